//! A preview of a consultation as residents will see it, for the organiser dashboard.
//!
//! It renders the widget's own question components from a definition that changes as the
//! organiser types, and sends nothing: no server, no device storage, no submission. The
//! dashboard places it in a shadow root with the widget's stylesheet, as `embed.js` does.

use crate::lang::Lang;
use crate::question::QuestionField;
use concerto_core::{Answer, PublicPoll, RawAnswers, validate};
use leptos::prelude::*;

/// Splits a description into paragraphs at blank lines, as the form does.
fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The consultation's form as residents see it; answering it checks the answers with
/// `core`'s validation, and the submit button only shows the errors.
#[component]
pub fn Preview(
    /// The consultation as it stands, re-rendered whenever it changes.
    #[prop(into)]
    poll: Signal<PublicPoll>,
    /// The language to show it in.
    lang: Lang,
) -> impl IntoView {
    let body = move || poll.with(|p| form(p, lang));
    view! {
        <section class="cc-widget" data-testid="concerto-preview" lang=lang.code()>
            {body}
        </section>
    }
}

fn form(poll: &PublicPoll, lang: Lang) -> AnyView {
    let t = lang.t();
    let questions = poll.questions.clone();
    let answers: Vec<(RwSignal<Option<Answer>>, RwSignal<bool>)> = questions
        .iter()
        .map(|_| (RwSignal::new(None), RwSignal::new(false)))
        .collect();
    let problems = Memo::new({
        let questions = questions.clone();
        let answers = answers.clone();
        move |_| {
            let raw: RawAnswers = questions
                .iter()
                .zip(&answers)
                .filter_map(|(q, (a, _))| {
                    Some((q.id.to_string(), serde_json::to_value(a.get()?).ok()?))
                })
                .collect();
            validate(&questions, &raw).err().unwrap_or_default()
        }
    });
    let fields = questions
        .iter()
        .zip(&answers)
        .map(|(q, (answer, touched))| {
            let id = q.id.to_string();
            let touched = *touched;
            let error = Signal::derive(move || {
                touched.get().then_some(())?;
                problems.with(|ps| {
                    ps.iter()
                        .find(|e| e.question == id)
                        .map(|e| lang.problem(&e.problem))
                })
            });
            view! {
                <QuestionField
                    question=q.clone()
                    answer=*answer
                    touched
                    error
                    node_ref=NodeRef::new()
                    lang
                />
            }
        })
        .collect_view();
    let description = paragraphs(poll.description.get(lang))
        .into_iter()
        .map(|p| view! { <p class="cc-form__description">{p}</p> })
        .collect_view();
    let touch_all = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for (_, touched) in &answers {
            touched.set(true);
        }
    };
    view! {
        <form class="cc-form" novalidate on:submit=touch_all>
            <h2 class="cc-form__title">{poll.title.get(lang).to_owned()}</h2>
            {description}
            {fields}
            <div class="cc-form__footer">
                <button type="submit" class="cc-button">
                    {t.submit}
                </button>
            </div>
        </form>
    }
    .into_any()
}
