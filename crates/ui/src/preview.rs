//! A preview of a consultation as residents will see it, for the organiser dashboard.
//!
//! It renders the widget's own form from a definition that changes as the organiser types,
//! and sends nothing: no server, no device storage, no submission. The dashboard places it
//! in a shadow root with the widget's stylesheet, as `embed.js` does.

use crate::form::{FieldState, FormView};
use crate::lang::Lang;
use concerto_core::{PublicPoll, RawAnswers, validate};
use leptos::prelude::*;
use std::sync::Arc;

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
    let body = move || poll.with(|p| form(Arc::new(p.clone()), lang));
    view! {
        <section class="cc-widget" data-testid="concerto-preview" lang=lang.code()>
            {body}
        </section>
    }
}

fn form(poll: Arc<PublicPoll>, lang: Lang) -> AnyView {
    let questions = poll.questions.clone();
    let answers: Vec<_> = questions
        .iter()
        .map(|_| (RwSignal::new(None), RwSignal::new(false)))
        .collect();
    let problems = Memo::new({
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
    let fields: Arc<[FieldState]> = poll
        .questions
        .iter()
        .zip(&answers)
        .map(|(q, &(answer, touched))| {
            let id = q.id.to_string();
            let error = Signal::derive(move || {
                touched.get().then_some(())?;
                problems.with(|ps| {
                    ps.iter()
                        .find(|e| e.question == id)
                        .map(|e| lang.problem(&e.problem))
                })
            });
            FieldState {
                answer,
                touched,
                error,
                node: NodeRef::new(),
            }
        })
        .collect();
    let touch_all = Callback::new(move |()| {
        for (_, touched) in &answers {
            touched.set(true);
        }
    });
    view! { <FormView poll fields submission_id=String::new() lang on_send=touch_all /> }.into_any()
}
