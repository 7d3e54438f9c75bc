//! The widget's markup rendered here, from the same `concerto-ui` components the widget runs
//! in the browser: the first view `embed.js` shows before the wasm has arrived, and the
//! standalone page's form, errors and thanks, which work without any script.
//!
//! Leptos escapes every text it renders: organisers' and residents' words stay text. The
//! consultation's definition travels beside the markup as JSON in an inert
//! `<script type="application/json">`, so that the widget takes over without asking again.

use concerto_core::{Answer, Availability, Participation, PublicPoll, Results, ResultsVisibility};
use concerto_ui::Lang;
use concerto_ui::code_field::CodeState;
use concerto_ui::form::{FieldState, FormError, FormView, Source, StatusRegion};
use concerto_ui::frame::WidgetFrame;
use concerto_ui::results::{ResultList, ResultsSection};
use concerto_ui::states::{ClosedNotice, NotYetOpenNotice};
use concerto_ui::thanks::Thanks;
use leptos::prelude::*;
use std::sync::Arc;

/// How to render the form.
#[derive(Debug, Default)]
pub struct FormOptions {
    /// The submission id the form posts; `None` leaves it to the widget (a cached first view
    /// must never hand the same id to two residents).
    pub submission_id: Option<String>,
    /// Where a plain form post goes, for the standalone page.
    pub action: Option<String>,
    /// The answers to show, in the consultation's order (none: an empty form).
    pub shown: Vec<Option<Answer>>,
    /// The message to show under each question, in the same order.
    pub errors: Vec<Option<String>>,
    /// An error about the whole form.
    pub form_error: Option<FormError>,
    /// The town's time zone, in which the closing time is written (UTC when `None`).
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// The participation code to show, and the message under it, where the consultation asks
    /// for one (none: an empty box).
    pub code: Option<(String, Option<String>)>,
    /// The partner and the door a plain form post says it came through (the standalone
    /// page's hidden fields); `None` for the widget's first view, whose widget sends them.
    pub source: Option<Source>,
}

/// Renders `f`'s view to HTML under a fresh reactive owner, dropped afterwards.
pub(crate) fn render<V: IntoView + 'static>(f: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    let html = owner.with(|| f().to_html());
    owner.cleanup();
    html
}

/// The consultation's form inside the widget's frame, with its live region.
pub fn form(poll: &PublicPoll, lang: Lang, options: FormOptions) -> String {
    let poll = Arc::new(poll.clone());
    render(move || {
        let fields: Arc<[FieldState]> = (0..poll.questions.len())
            .map(|i| {
                FieldState::new(
                    options.shown.get(i).cloned().flatten(),
                    options.errors.get(i).cloned().flatten(),
                )
            })
            .collect();
        let status = options
            .form_error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        let code = (poll.participation == Participation::OneAnswerPerCode).then(|| {
            let (value, error) = options.code.clone().unwrap_or_default();
            CodeState::new(value, error)
        });
        let name = poll.title.get(lang).to_owned();
        let open_until = poll.closes_at.map(|at| {
            let zone = options.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
            lang.open_until(&moment(lang, at, &zone))
        });
        view! {
            <WidgetFrame lang name=Signal::stored(name)>
                <FormView
                    poll
                    open_until
                    fields
                    submission_id=options.submission_id.unwrap_or_default()
                    lang
                    on_send=Callback::new(|()| {})
                    form_error=Signal::stored(options.form_error)
                    action=options.action
                    code
                    source=options.source
                />
                <StatusRegion text=Signal::stored(status) />
            </WidgetFrame>
        }
    })
}

/// What a consultation that takes no answers says: not open yet, or closed (with that its
/// results are private, where they are). Dates and public results are the widget's to add:
/// they need the resident's time zone, and a request of their own.
pub fn notice(poll: &PublicPoll, lang: Lang) -> String {
    let poll = poll.clone();
    render(move || {
        let t = lang.t();
        let name = poll.title.get(lang).to_owned();
        let body = match poll.status {
            Availability::NotYetOpen => view! {
                <NotYetOpenNotice title=poll.title.clone() when=t.not_yet_open.to_owned() lang />
            }
            .into_any(),
            _ => {
                let private = (poll.results_visibility == ResultsVisibility::OrganisersOnly)
                    .then(|| view! { <p class="cc-state__text">{t.results_private}</p> });
                view! {
                    <ClosedNotice title=poll.title.clone() text=t.closed.to_owned() lang>
                        {private}
                    </ClosedNotice>
                }
                .into_any()
            }
        };
        view! { <WidgetFrame lang name=Signal::stored(name)>{body}</WidgetFrame> }
    })
}

/// A moment as residents read it, in `zone`: "3 mars 2027 à 09:00", "March 3, 2027 at 9:00 AM"
/// (the forms the browser's `Intl` gives the widget, so taking the first view over changes
/// nothing for a resident in the town's time zone).
pub fn moment(lang: Lang, at: time::OffsetDateTime, zone: &jiff::tz::TimeZone) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let local = crate::local_time::in_zone(at, zone);
    let month = usize::try_from(local.month() - 1).unwrap_or(0);
    let (day, year) = (local.day(), local.year());
    let (hour, minute) = (local.hour(), local.minute());
    match lang {
        Lang::Fr => format!("{day} {} {year} à {hour:02}:{minute:02}", FR[month]),
        Lang::En => {
            let (h12, half) = match hour {
                0 => (12, "AM"),
                1..=11 => (hour, "AM"),
                12 => (12, "PM"),
                _ => (hour - 12, "PM"),
            };
            format!(
                "{} {day}, {year} at {h12}:{minute:02}\u{202f}{half}",
                EN[month]
            )
        }
    }
}

/// A consultation's results as the widget shows them: the list alone (the widget draws the
/// section and its heading around it, and the bars' lengths from their `data-percent`).
pub fn results(poll: &PublicPoll, lang: Lang, results: Results) -> String {
    let poll = Arc::new(poll.clone());
    render(move || view! { <ResultList poll results lang /> })
}

/// The thanks after an answer, and the results when residents may see them.
pub fn thanks(poll: &PublicPoll, lang: Lang, results: Option<Results>) -> String {
    let poll = Arc::new(poll.clone());
    render(move || {
        let name = poll.title.get(lang).to_owned();
        let results = results.map(|results| {
            view! {
                <ResultsSection lang>
                    <ResultList poll=poll.clone() results lang inline_widths=true />
                </ResultsSection>
            }
        });
        view! {
            <WidgetFrame lang name=Signal::stored(name)>
                <Thanks lang remembered=false />
                {results}
            </WidgetFrame>
        }
    })
}

/// The widget's stylesheet, read from the bundle at each request (a new bundle needs no
/// restart); `None` when the bundle lacks it or it holds `</`, which could end the element
/// it is put in.
pub async fn widget_css(widget_dir: &std::path::Path) -> Option<String> {
    let css = tokio::fs::read_to_string(widget_dir.join("widget.css"))
        .await
        .ok()?;
    (!css.contains("</")).then_some(css)
}

/// A preload of the widget's wasm from the server at `base` (ending in `/`), for a page's head:
/// its download, the longest of the widget's, starts with the page instead of after
/// `embed.js`, which takes it over (same URL, same `crossorigin` mode). Low priority, so that
/// the first view and the loader come first.
pub fn wasm_preload(base: &str) -> String {
    format!(
        r#"<link rel="preload" href="{base}widget/concerto-widget_bg.wasm" as="fetch" crossorigin fetchpriority="low">"#
    )
}

/// The stylesheet as an inert element of the first view: `embed.js` adopts its text as a
/// constructable stylesheet (which a host page's CSP without `'unsafe-inline'` allows, where a
/// `<style>` would be blocked), so the first view needs no second request to be styled.
pub fn stylesheet_script(css: &str) -> String {
    format!(r#"<script type="text/css" data-concerto-style>{css}</script>"#)
}

/// The definition as an inert JSON script element. `<` is escaped (only strings can hold
/// it), so no text can close the element.
pub fn definition_script(poll: &PublicPoll) -> String {
    let json = serde_json::to_string(poll).unwrap_or_else(|_| "null".to_owned());
    format!(
        r#"<script type="application/json" data-concerto-definition>{}</script>"#,
        json.replace('<', "\\u003c")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::{Availability, PollId, PollSpec};

    fn poll() -> PublicPoll {
        let spec: PollSpec = serde_json::from_value(serde_json::json!({
            "title": "<script>alert(1)</script> Le square",
            "description": "Un\n\nDeux",
            "questions": [
                {"id": "freq", "prompt": "Souvent ?", "required": true, "kind": "single_choice",
                 "allow_other": true, "options": [{"id": "oui", "label": "Oui <b>"}]},
                {"id": "idee", "prompt": "Idée", "kind": "long_text", "max_length": 20}
            ]
        }))
        .unwrap();
        PublicPoll::new(PollId::parse("square").unwrap(), &spec, Availability::Open)
    }

    #[test]
    fn the_form_says_until_when_it_is_open_in_the_town_s_zone() {
        let mut poll = poll();
        poll.closes_at = Some(time::macros::datetime!(2026-12-31 17:00 UTC));
        let options = FormOptions {
            time_zone: Some(jiff::tz::TimeZone::get("Europe/Paris").unwrap()),
            ..FormOptions::default()
        };
        let html = form(&poll, Lang::Fr, options);
        assert!(
            html.contains("Ouverte jusqu’au 31 décembre 2026 à 18:00."),
            "{html}"
        );
        let without = form(&super::tests::poll(), Lang::Fr, FormOptions::default());
        assert!(!without.contains("poll-dates"));
    }

    #[test]
    fn moments_read_as_the_browser_writes_them_in_the_town_s_zone() {
        let zone = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        let at = time::macros::datetime!(2026-12-31 17:00 UTC);
        assert_eq!(moment(Lang::Fr, at, &zone), "31 décembre 2026 à 18:00");
        assert_eq!(
            moment(Lang::En, at, &zone),
            "December 31, 2026 at 6:00\u{202f}PM"
        );
        let morning = time::macros::datetime!(2027-03-03 08:05 UTC);
        assert_eq!(
            moment(Lang::En, morning, &zone),
            "March 3, 2027 at 9:05\u{202f}AM"
        );
    }

    #[test]
    fn the_form_carries_every_question_with_native_controls_and_escaped_texts() {
        let html = form(&poll(), Lang::Fr, FormOptions::default());
        assert!(html.contains(r#"data-testid="question-freq""#), "{html}");
        assert!(html.contains(r#"type="radio""#) && html.contains(r#"name="freq""#));
        assert!(html.contains("<textarea"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Le square"));
        assert!(html.contains("Oui &lt;b&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("Envoyer mes réponses"));
        assert!(!html.contains("method=\"post\""));
    }

    #[test]
    fn a_consultation_with_codes_asks_for_one_first_and_a_refused_code_takes_the_focus() {
        let mut with_codes = poll();
        assert!(
            !form(&with_codes, Lang::Fr, FormOptions::default())
                .contains(r#"name="participation.code""#)
        );
        with_codes.participation = Participation::OneAnswerPerCode;
        let html = form(&with_codes, Lang::Fr, FormOptions::default());
        assert!(
            html.contains(r#"name="participation.code""#)
                && html.contains("Votre code de participation")
        );
        assert!(
            html.find(r#"name="participation.code""#) < html.find("cc-question__legend"),
            "{html}"
        );
        let html = form(
            &with_codes,
            Lang::En,
            FormOptions {
                code: Some(("k7m<3qx".into(), Some("This code was already used.".into()))),
                errors: vec![Some("Please answer this question.".into()), None],
                ..FormOptions::default()
            },
        );
        assert!(html.contains(r#"value="k7m&lt;3qx""#), "{html}");
        assert!(html.contains("This code was already used."));
        let code_input = &html[html.find(r#"id="cc-code""#).unwrap()..];
        assert!(code_input[..code_input.find('>').unwrap()].contains("autofocus"));
        assert_eq!(html.matches("autofocus").count(), 1, "{html}");
    }

    #[test]
    fn a_form_sent_back_keeps_the_answers_and_focuses_the_first_error() {
        let html = form(
            &poll(),
            Lang::En,
            FormOptions {
                submission_id: Some("0b6f1c52-6a4e-4d0b-9a51-3f4f9a0f2c11".into()),
                action: Some("/p/square".into()),
                shown: vec![None, Some(Answer::Text("trop <long>".into()))],
                errors: vec![Some("This question is required.".into()), None],
                form_error: None,
                time_zone: None,
                code: None,
                source: None,
            },
        );
        assert!(html.contains(r#"method="post""#) && html.contains(r#"action="/p/square""#));
        assert!(html.contains(r#"value="0b6f1c52-6a4e-4d0b-9a51-3f4f9a0f2c11""#));
        assert!(html.contains("trop &lt;long&gt;"), "{html}");
        let breakout = form(
            &poll(),
            Lang::Fr,
            FormOptions {
                shown: vec![
                    None,
                    Some(Answer::Text(
                        "</textarea><img src=x onerror=alert(1)>".into(),
                    )),
                ],
                ..FormOptions::default()
            },
        );
        assert_eq!(breakout.matches("</textarea>").count(), 1, "{breakout}");
        assert!(!breakout.contains("<img"));
        assert!(html.contains("This question is required."));
        let focus = html.find("autofocus").expect("a control takes the focus");
        assert!(focus < html.find("question-idee").unwrap());
    }

    #[test]
    fn the_standalone_form_says_where_its_answer_comes_from_in_hidden_fields() {
        let key = concerto_core::PartnerKey::parse("abcdefghijkm").unwrap();
        let html = form(
            &poll(),
            Lang::Fr,
            FormOptions {
                action: Some("/p/square".into()),
                source: Some(Source {
                    partner: Some(key),
                    via: concerto_core::Via::Qr,
                }),
                ..FormOptions::default()
            },
        );
        assert!(
            html.contains(r#"<input type="hidden" name="source.partner" value="abcdefghijkm""#),
            "{html}"
        );
        assert!(html.contains(r#"<input type="hidden" name="source.via" value="qr""#));
        // The owner's own link: the door alone. The widget's first view: neither.
        let own = form(
            &poll(),
            Lang::Fr,
            FormOptions {
                source: Some(Source::default()),
                ..FormOptions::default()
            },
        );
        assert!(!own.contains("source.partner") && own.contains(r#"value="site""#));
        let first_view = form(&poll(), Lang::Fr, FormOptions::default());
        assert!(!first_view.contains("source."), "{first_view}");
    }

    #[test]
    fn no_text_can_close_the_definition_script() {
        let script = definition_script(&poll());
        assert_eq!(script.matches("</script>").count(), 1);
        assert!(script.contains("\\u003cscript>alert(1)"));
    }
}
