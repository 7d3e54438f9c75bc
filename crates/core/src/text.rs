//! Texts organisers write (titles, descriptions, prompts, labels), in one language or in both.
//!
//! In JSON a text is either a plain string, shown to every resident, or an object with a
//! French and an English version, `{"fr": "…", "en": "…"}`, of which at least one is given.
//! Each form serialises back as it came, so existing consultations keep their plain strings.

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A language residents can read a consultation in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// French, the default.
    #[default]
    Fr,
    /// English.
    En,
}

impl Language {
    /// The key of this language in a translated text: `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }

    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Language::Fr => Language::En,
            Language::En => Language::Fr,
        }
    }
}

/// An organiser's text: the same for everyone, or given in French and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// One text whatever the resident's language (a plain JSON string).
    Same(String),
    /// A French and an English version; one of them may be empty, and then the other is shown.
    Translated {
        /// The French version.
        fr: String,
        /// The English version.
        en: String,
    },
}

impl Default for Text {
    fn default() -> Self {
        Text::Same(String::new())
    }
}

impl Text {
    /// A text given in both languages.
    pub fn translated(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Text::Translated {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// The text to show a resident reading `lang`: that language's version, or the other
    /// one when it is missing (empty or only spaces).
    pub fn get(&self, lang: impl Into<Language>) -> &str {
        match self {
            Text::Same(s) => s,
            Text::Translated { .. } => {
                let lang = lang.into();
                let wanted = self.version(lang);
                if wanted.trim().is_empty() {
                    self.version(lang.other())
                } else {
                    wanted
                }
            }
        }
    }

    /// The language of what [`Text::get`] shows a resident reading `lang`: `None` for a plain
    /// text (its language is unknown), else `lang` or, when it falls back, the other one. A
    /// view marks the text with it (`lang="fr"`) when it differs from the view's language.
    pub fn language_shown(&self, lang: impl Into<Language>) -> Option<Language> {
        match self {
            Text::Same(_) => None,
            Text::Translated { .. } => {
                let lang = lang.into();
                Some(if self.version(lang).trim().is_empty() {
                    lang.other()
                } else {
                    lang
                })
            }
        }
    }

    /// The version written for `lang`, possibly empty; a plain text is every language's.
    pub fn version(&self, lang: Language) -> &str {
        match (self, lang) {
            (Text::Same(s), _) => s,
            (Text::Translated { fr, .. }, Language::Fr) => fr,
            (Text::Translated { en, .. }, Language::En) => en,
        }
    }

    /// Whether no language has anything but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Text::Same(s) => s.trim().is_empty(),
            Text::Translated { fr, en } => fr.trim().is_empty() && en.trim().is_empty(),
        }
    }

    /// Each written version with the field suffix that names it in errors: `("", text)` for
    /// a plain text, `(".fr", …)` and `(".en", …)` for the non-empty versions of a translated one.
    pub fn versions(&self) -> Vec<(&'static str, &str)> {
        match self {
            Text::Same(s) => vec![("", s.as_str())],
            Text::Translated { fr, en } => [(".fr", fr), (".en", en)]
                .into_iter()
                .filter(|(_, s)| !s.is_empty())
                .map(|(k, s)| (k, s.as_str()))
                .collect(),
        }
    }
}

/// Writes the French text, or the English one when there is no French: French first, for the
/// places that have no resident's language (file names, logs). Views use [`Text::get`].
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get(Language::Fr))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::Same(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Same(s.to_owned())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Text::Same(s) => serializer.serialize_str(s),
            Text::Translated { .. } => {
                let versions = self.versions();
                let mut map = serializer.serialize_map(Some(versions.len()))?;
                for (key, value) in versions {
                    map.serialize_entry(key.trim_start_matches('.'), value)?;
                }
                map.end()
            }
        }
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a string or an object {"fr": "…", "en": "…"}"#)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Same(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::Same(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let (mut fr, mut en) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "fr" => &mut fr,
                "en" => &mut en,
                other => return Err(de::Error::unknown_field(other, &["fr", "en"])),
            };
            if slot.is_some() {
                return Err(de::Error::custom(format_args!(
                    "duplicate language `{key}`"
                )));
            }
            *slot = Some(map.next_value::<String>()?);
        }
        let text = Text::Translated {
            fr: fr.unwrap_or_default(),
            en: en.unwrap_or_default(),
        };
        if text.is_blank() {
            return Err(de::Error::custom(
                r#"a translated text needs a non-empty "fr" or "en""#,
            ));
        }
        Ok(text)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: serde_json::Value) -> Result<Text, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn a_plain_string_is_the_same_text_in_every_language() {
        let t = parse(json!("Bonjour")).unwrap();
        assert_eq!(t, Text::Same("Bonjour".into()));
        assert_eq!(t.get(Language::Fr), "Bonjour");
        assert_eq!(t.get(Language::En), "Bonjour");
    }

    #[test]
    fn a_translated_text_gives_each_language_its_version() {
        let t = parse(json!({"fr": "Bonjour", "en": "Hello"})).unwrap();
        assert_eq!(t.get(Language::Fr), "Bonjour");
        assert_eq!(t.get(Language::En), "Hello");
    }

    #[test]
    fn a_missing_or_blank_version_falls_back_to_the_other_language() {
        let only_fr = parse(json!({"fr": "Bonjour"})).unwrap();
        assert_eq!(only_fr.get(Language::En), "Bonjour");
        let blank_fr = parse(json!({"fr": "  ", "en": "Hello"})).unwrap();
        assert_eq!(blank_fr.get(Language::Fr), "Hello");
        assert_eq!(blank_fr.get(Language::Fr), "Hello");
    }

    #[test]
    fn the_language_shown_is_known_for_translated_texts_only() {
        assert_eq!(Text::from("Bonjour").language_shown(Language::En), None);
        let t = Text::translated("Bonjour", "");
        assert_eq!(t.language_shown(Language::En), Some(Language::Fr));
        assert_eq!(t.language_shown(Language::Fr), Some(Language::Fr));
        let both = Text::translated("Bonjour", "Hello");
        assert_eq!(both.language_shown(Language::En), Some(Language::En));
    }

    #[test]
    fn each_form_serialises_back_as_it_came() {
        for v in [
            json!("Bonjour"),
            json!(""),
            json!({"fr": "Bonjour", "en": "Hello"}),
            json!({"en": "Hello"}),
        ] {
            assert_eq!(serde_json::to_value(parse(v.clone()).unwrap()).unwrap(), v);
        }
    }

    #[test]
    fn a_translated_text_needs_one_non_empty_version_and_known_languages_only() {
        assert!(parse(json!({})).is_err());
        assert!(parse(json!({"fr": "", "en": " "})).is_err());
        assert!(parse(json!({"fr": "a", "de": "b"})).is_err());
        assert!(parse(json!({"fr": 3})).is_err());
        assert!(parse(json!(42)).is_err());
        assert!(serde_json::from_str::<Text>(r#"{"fr": "a", "fr": "b"}"#).is_err());
    }

    #[test]
    fn the_default_text_for_exports_is_french_first() {
        let t = Text::translated("Bonjour", "Hello");
        assert_eq!(t.to_string(), "Bonjour");
        assert_eq!(Text::translated("", "Hello").to_string(), "Hello");
    }
}
