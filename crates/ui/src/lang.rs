//! The resident's language: which one the widget speaks, and how it is chosen.
//!
//! French comes first: it is the default whenever nothing says English.

use std::fmt;

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French, the default.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The language a BCP 47 tag names, if the widget speaks it (`fr-CA` is French).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Chooses from candidate tags, most specific first (the placeholder's `lang`, the page's,
    /// the browser's): the first non-empty one decides, and French is the answer unless it
    /// names English.
    pub fn choose<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        candidates
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|tag| !tag.is_empty())
            .and_then(Self::from_tag)
            .unwrap_or_default()
    }

    /// The `lang` attribute of an organiser's text shown in this language: the text's own
    /// language when it was not written in this one (and falls back to the other), else
    /// `None`, the widget's `lang` applying.
    pub fn of_text(self, text: &concerto_core::Text) -> Option<&'static str> {
        text.language_shown(self)
            .filter(|&shown| shown != self.into())
            .map(concerto_core::Language::code)
    }

    /// The BCP 47 tag, for `lang` attributes and date formatting.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// The model's language, to pick the version of an organiser's text that fits.
impl From<Lang> for concerto_core::Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Fr => concerto_core::Language::Fr,
            Lang::En => concerto_core::Language::En,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_tags_name_their_language() {
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
    }

    #[test]
    fn the_placeholder_wins_over_the_page_and_the_browser() {
        assert_eq!(Lang::choose([Some("en"), Some("fr"), Some("fr")]), Lang::En);
        assert_eq!(Lang::choose([None, Some("en-US"), Some("fr")]), Lang::En);
        assert_eq!(Lang::choose([Some(" "), None, Some("en")]), Lang::En);
    }

    #[test]
    fn a_text_falling_back_to_the_other_language_is_marked_with_it() {
        use concerto_core::Text;
        assert_eq!(Lang::En.of_text(&Text::translated("Oui", "")), Some("fr"));
        assert_eq!(Lang::Fr.of_text(&Text::translated("", "Yes")), Some("en"));
        assert_eq!(Lang::En.of_text(&Text::translated("Oui", "Yes")), None);
        assert_eq!(Lang::En.of_text(&Text::from("Oui")), None);
    }

    #[test]
    fn french_is_chosen_when_nothing_says_english() {
        assert_eq!(Lang::choose([None, None, None]), Lang::Fr);
        assert_eq!(Lang::choose([Some("de"), None, Some("en")]), Lang::Fr);
    }
}
