//! Creating and editing a consultation, with the live preview beside the form.

use crate::api::{self, ApiError};
use crate::ctx::Ctx;
use crate::draft::{Draft, DraftError, KINDS, edit_english, edit_text, edited_text, english};
use crate::i18n;
use crate::pages::{ErrorNote, error_text};
use crate::preview::PreviewPane;
use crate::route::Page;
use concerto_core::{Participation, PollId, PollSpec, QuestionKind, ResultsVisibility, Text};
use leptos::prelude::*;
use std::sync::Arc;
use time::OffsetDateTime;

/// Reads one text of the draft.
type GetText = Arc<dyn Fn(&Draft) -> Option<Text> + Send + Sync>;
/// Writes one text of the draft.
type SetText = Arc<dyn Fn(&mut Draft, Text) + Send + Sync>;

/// The English version of one text, shown when the consultation is written in both languages.
#[component]
fn EnglishInput(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// What the text is (its French field's label).
    label: fn(&crate::i18n::Texts) -> &'static str,
    /// Reads the text.
    get: GetText,
    /// Writes the text.
    set: SetText,
    /// A text area rather than one line.
    #[prop(optional)]
    multiline: bool,
    /// The test id.
    testid: &'static str,
) -> impl IntoView {
    let ctx = Ctx::get();
    // A memo, so that typing elsewhere does not rebuild (and unfocus) this field.
    let on = Memo::new(move |_| draft.with(|d| d.bilingual));
    move || {
        on.get().then(|| {
            let get = get.clone();
            let set = set.clone();
            let read = get.clone();
            let value = move || draft.with(|d| read(d).map(|t| english(&t).to_owned()).unwrap_or_default());
            let input = move |ev| {
                let v = event_target_value(&ev);
                draft.update(|d| {
                    if let Some(t) = get(d) {
                        set(d, edit_english(&t, v));
                    }
                })
            };
            let name = move || format!("{} — {}", label(ctx.t()), ctx.t().in_english);
            let field = if multiline {
                view! { <textarea rows="3" lang="en" data-testid=testid prop:value=value on:input=input></textarea> }.into_any()
            } else {
                view! { <input type="text" lang="en" data-testid=testid prop:value=value on:input=input /> }.into_any()
            };
            view! {
                <label class="cc-admin-field cc-admin-field--english">
                    <span>{name}</span>
                    {field}
                </label>
            }
        })
    }
}

/// A `datetime-local` value (the browser's time zone) as an instant.
fn from_local(value: &str) -> Option<OffsetDateTime> {
    if value.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&value.into()).get_time();
    if ms.is_nan() {
        return None;
    }
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).ok()
}

/// An instant as a `datetime-local` value in the browser's time zone.
fn to_local(at: Option<OffsetDateTime>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let d = js_sys::Date::new(&((at.unix_timestamp_nanos() / 1_000_000) as f64).into());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The editor page: loads the consultation first when editing one.
#[component]
pub fn Editor(
    /// The consultation to edit; `None` for a new one.
    id: Option<PollId>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let draft = RwSignal::new(Draft::default());
    let original = StoredValue::new(None::<Arc<PollSpec>>);
    let loaded = RwSignal::new(if id.is_none() { Some(Ok(())) } else { None });
    if let Some(id) = id.clone() {
        leptos::task::spawn_local(async move {
            let result = api::poll(&id).await.map(|p| {
                draft.set(Draft::from_spec(&p.spec));
                original.try_set_value(Some(Arc::new(p.spec)));
            });
            loaded.try_set(Some(result));
        });
    }
    move || match loaded.get() {
        None => view! { <p class="cc-admin-status">{ctx.t().loading}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNote message=error_text(ctx, &e) /> }.into_any(),
        Some(Ok(())) => {
            let original = original.get_value();
            view! { <EditorForm draft id=id.clone() original /> }.into_any()
        }
    }
}

/// The form and the preview.
#[component]
fn EditorForm(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Its id, once saved.
    id: Option<PollId>,
    /// The definition as saved, which names what an edit removed when the server refuses it.
    #[prop(default = None)]
    original: Option<Arc<PollSpec>>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let lang = ctx.lang;
    let is_new = id.is_none();
    let back = id.clone().map_or(Page::List, Page::Poll);
    let checked = Memo::new(move |_| {
        let (spec, draft_errors) = draft.with(Draft::to_spec);
        let l = lang.get();
        let mut messages: Vec<String> = draft_errors
            .iter()
            .map(|DraftError::Origin(line)| i18n::bad_origin(l, line))
            .collect();
        if let Err(errors) = spec.check() {
            messages.extend(errors.iter().map(|e| {
                format!(
                    "{} : {}",
                    i18n::field(l, &e.field),
                    i18n::spec_problem(l, &e.problem)
                )
            }));
        }
        (spec, messages)
    });
    let save = Action::new_local(move |spec: &PollSpec| {
        let spec = spec.clone();
        let id = id.clone();
        async move {
            match id {
                Some(id) => api::update(&id, &spec).await,
                None => api::create(&spec).await,
            }
        }
    });
    let pending = save.pending();
    Effect::new(move |_| {
        if let Some(Ok(poll)) = save.value().get() {
            ctx.go(Page::Poll(poll.id));
        }
    });
    // 422: the definition breaks a rule; 409: the edit would strand answers already given
    // (removing an answered option, changing an answered question's kind). One line per field.
    let save_error = move || match save.value().get() {
        Some(Err(ApiError::Status(status @ (409 | 422), p))) if !p.errors.is_empty() => {
            let list = p
                .errors
                .iter()
                .map(|e| {
                    let l = lang.get();
                    let why = i18n::refused_edit(l, e, original.as_deref()).unwrap_or_else(|| {
                        if e.detail.is_empty() {
                            e.code.clone()
                        } else {
                            e.detail.clone()
                        }
                    });
                    format!("{} : {why}", i18n::field(l, &e.field))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            Some(match (status, p.detail.as_str()) {
                (409, _) => format!("{} — {list}", ctx.t().stranded),
                (_, "") => list,
                (_, detail) => format!("{detail} — {list}"),
            })
        }
        Some(Err(e)) => Some(error_text(ctx, &e)),
        _ => None,
    };
    let errors = move || {
        let messages = checked.with(|(_, m)| m.clone());
        (!messages.is_empty()).then(|| {
            view! {
                <div class="cc-admin-errors" data-testid="editor-errors">
                    <p>{ctx.t().fix_before_saving}</p>
                    <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    let text_input = move |get: fn(&Draft) -> &Text, set: fn(&mut Draft, Text)| {
        (
            move || draft.with(|d| edited_text(get(d)).to_owned()),
            move |ev| {
                let v = event_target_value(&ev);
                draft.update(|d| {
                    let t = edit_text(get(d), v);
                    set(d, t);
                })
            },
        )
    };
    let (title_value, title_input) = text_input(|d| &d.title, |d, t| d.title = t);
    let (desc_value, desc_input) = text_input(|d| &d.description, |d, t| d.description = t);
    let keys = move || draft.with(|d| d.questions.iter().map(|q| q.key).collect::<Vec<_>>());
    let preview = Signal::derive(move || draft.with(Draft::public));

    view! {
        <div class="cc-admin-editor">
            <section class="cc-admin-card cc-admin-editor__form">
                <a href=back.path()>{move || ctx.t().back_to_list}</a>
                <h1>{move || if is_new { ctx.t().editor_new_title } else { ctx.t().editor_edit_title }}</h1>
                <form class="cc-admin-form" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(checked.with_untracked(|(spec, _)| spec.clone()));
                }>
                    <label class="cc-admin-field">
                        <span>{move || ctx.t().field_title}</span>
                        <input type="text" data-testid="title-input" prop:value=title_value on:input=title_input />
                    </label>
                    <EnglishInput draft label=|t| t.field_title testid="title-en"
                        get=Arc::new(|d: &Draft| Some(d.title.clone()))
                        set=Arc::new(|d: &mut Draft, t| d.title = t) />
                    <label class="cc-admin-field">
                        <span>{move || ctx.t().field_description}</span>
                        <textarea rows="3" data-testid="description-input" prop:value=desc_value on:input=desc_input></textarea>
                    </label>
                    <EnglishInput draft label=|t| t.field_description multiline=true testid="description-en"
                        get=Arc::new(|d: &Draft| Some(d.description.clone()))
                        set=Arc::new(|d: &mut Draft, t| d.description = t) />
                    <h2>{move || ctx.t().questions}</h2>
                    <ol class="cc-admin-questions">
                        <For each=keys key=|k| *k let:key>
                            <QuestionEditor draft key />
                        </For>
                    </ol>
                    <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="add-question"
                        on:click=move |_| { draft.update(|d| { d.add_question(); }); }>
                        {move || ctx.t().add_question}
                    </button>
                    <Settings draft />
                    {errors}
                    {move || save_error().map(|message| view! { <ErrorNote message /> })}
                    <button type="submit" class="cc-admin-button" data-testid="save"
                        disabled=move || pending.get() || checked.with(|(_, m)| !m.is_empty())>
                        {move || if pending.get() { ctx.t().saving } else { ctx.t().save }}
                    </button>
                </form>
            </section>
            <aside class="cc-admin-card cc-admin-editor__preview" aria-labelledby="cc-admin-preview-title">
                <h2 id="cc-admin-preview-title">{move || ctx.t().preview}</h2>
                <p class="cc-admin-note">{move || ctx.t().preview_note}</p>
                <PreviewPane poll=preview lang />
            </aside>
        </div>
    }
}

/// One question's editor.
#[component]
fn QuestionEditor(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Which of its questions.
    key: u32,
) -> impl IntoView {
    let ctx = Ctx::get();
    let position = Memo::new(move |_| {
        draft.with(|d| {
            (
                d.questions.iter().position(|q| q.key == key).unwrap_or(0),
                d.questions.len(),
            )
        })
    });
    let kind_name = Memo::new(move |_| draft.with(|d| d.question(key).map(|q| q.kind.name())));
    let label_id = format!("cc-admin-q{key}");
    let labelled_by = label_id.clone();
    let prompt = move || draft.with(|d| d.question(key).map(|q| edited_text(&q.prompt).to_owned()));
    let required = move || draft.with(|d| d.question(key).is_some_and(|q| q.required));
    let kind_options = move || {
        let l = ctx.lang.get();
        KINDS
            .iter()
            .map(|k| {
                let k = *k;
                view! { <option value=k selected=move || kind_name.get() == Some(k)>{i18n::kind(l, k)}</option> }
            })
            .collect_view()
    };
    let settings = move || match kind_name.get() {
        Some("single_choice") | Some("multiple_choice") => {
            view! { <OptionsEditor draft key /> }.into_any()
        }
        Some("rating") => view! { <RatingSettings draft key /> }.into_any(),
        Some(_) => view! { <TextSettings draft key /> }.into_any(),
        None => ().into_any(),
    };
    view! {
        <li class="cc-admin-question" data-testid="question-editor">
            <fieldset aria-labelledby=labelled_by>
                <div class="cc-admin-question__head">
                    <h3 id=label_id>{move || format!("{} {}", ctx.t().question_n, position.get().0 + 1)}</h3>
                    <div class="cc-admin-question__tools">
                        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="question-up"
                            disabled=move || position.get().0 == 0
                            on:click=move |_| draft.update(|d| d.move_question(key, -1))>
                            {move || ctx.t().move_up}
                        </button>
                        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="question-down"
                            disabled=move || { let (i, n) = position.get(); i + 1 >= n }
                            on:click=move |_| draft.update(|d| d.move_question(key, 1))>
                            {move || ctx.t().move_down}
                        </button>
                        <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="question-remove"
                            disabled=move || position.get().1 <= 1
                            on:click=move |_| draft.update(|d| d.remove_question(key))>
                            {move || ctx.t().remove}
                        </button>
                    </div>
                </div>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().prompt}</span>
                    <input type="text" data-testid="prompt" prop:value=prompt
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.update_question(key, |q| q.prompt = edit_text(&q.prompt, v)));
                        } />
                </label>
                <EnglishInput draft label=|t| t.prompt testid="prompt-en"
                    get=Arc::new(move |d: &Draft| d.question(key).map(|q| q.prompt.clone()))
                    set=Arc::new(move |d: &mut Draft, t| d.update_question(key, |q| q.prompt = t)) />
                <div class="cc-admin-row">
                    <label class="cc-admin-field">
                        <span>{move || ctx.t().kind}</span>
                        <select data-testid="kind" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.set_kind(key, &v));
                        }>
                            {kind_options}
                        </select>
                    </label>
                    <label class="cc-admin-check">
                        <input type="checkbox" data-testid="required" prop:checked=required
                            on:change=move |ev| {
                                let v = event_target_checked(&ev);
                                draft.update(|d| d.update_question(key, |q| q.required = v));
                            } />
                        <span>{move || ctx.t().required}</span>
                    </label>
                </div>
                {settings}
            </fieldset>
        </li>
    }
}

/// Changes the kind settings of one question.
fn change_kind(draft: RwSignal<Draft>, key: u32, change: impl FnOnce(&mut QuestionKind)) {
    draft.update(|d| d.update_question(key, |q| change(&mut q.kind)));
}

/// A number typed in a field: `None` when empty or not a number.
fn number<T: std::str::FromStr>(ev: &leptos::ev::Event) -> Option<T> {
    event_target_value(ev).trim().parse().ok()
}

/// The options of a choice question, and its choice settings.
#[component]
fn OptionsEditor(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Which of its questions.
    key: u32,
) -> impl IntoView {
    let ctx = Ctx::get();
    let kind = move || draft.with(|d| d.question(key).map(|q| q.kind.clone()));
    let ids = move || {
        kind().map_or_else(Vec::new, |k| {
            k.options()
                .iter()
                .map(|o| o.id.to_string())
                .collect::<Vec<_>>()
        })
    };
    let extra = move || {
        match kind() {
        Some(QuestionKind::SingleChoice { allow_other, .. }) => view! {
            <label class="cc-admin-check">
                <input type="checkbox" data-testid="allow-other" prop:checked=allow_other
                    on:change=move |ev| {
                        let v = event_target_checked(&ev);
                        change_kind(draft, key, |k| if let QuestionKind::SingleChoice { allow_other, .. } = k { *allow_other = v });
                    } />
                <span>{ctx.t().allow_other}</span>
            </label>
        }
        .into_any(),
        Some(QuestionKind::MultipleChoice { min_selections, max_selections, .. }) => view! {
            <div class="cc-admin-row">
                <label class="cc-admin-field cc-admin-field--small">
                    <span>{ctx.t().min_selections}</span>
                    <input type="number" min="0" data-testid="min-selections"
                        prop:value=min_selections.map(|n| n.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let v = number::<u16>(&ev);
                            change_kind(draft, key, |k| if let QuestionKind::MultipleChoice { min_selections, .. } = k { *min_selections = v });
                        } />
                </label>
                <label class="cc-admin-field cc-admin-field--small">
                    <span>{ctx.t().max_selections}</span>
                    <input type="number" min="1" data-testid="max-selections"
                        prop:value=max_selections.map(|n| n.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let v = number::<u16>(&ev);
                            change_kind(draft, key, |k| if let QuestionKind::MultipleChoice { max_selections, .. } = k { *max_selections = v });
                        } />
                </label>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
    };
    view! {
        <div class="cc-admin-options">
            <p class="cc-admin-options__title">{move || ctx.t().options}</p>
            <ol>
                <For each=ids key=|id| id.clone() let:oid>
                    <OptionEditor draft key oid />
                </For>
            </ol>
            <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="add-option"
                on:click=move |_| draft.update(|d| d.add_option(key))>
                {move || ctx.t().add_option}
            </button>
            {extra}
        </div>
    }
}

/// One option of a choice question.
#[component]
fn OptionEditor(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Which of its questions.
    key: u32,
    /// The option's id.
    oid: String,
) -> impl IntoView {
    let ctx = Ctx::get();
    let place = {
        let oid = oid.clone();
        Memo::new(move |_| {
            draft.with(|d| {
                let options = d
                    .question(key)
                    .map(|q| q.kind.options())
                    .unwrap_or_default();
                (
                    options
                        .iter()
                        .position(|o| o.id.as_str() == oid)
                        .unwrap_or(0),
                    options.len(),
                )
            })
        })
    };
    let label = {
        let oid = oid.clone();
        move || {
            draft.with(|d| {
                d.question(key)
                    .and_then(|q| q.kind.options().iter().find(|o| o.id.as_str() == oid))
                    .map(|o| edited_text(&o.label).to_owned())
                    .unwrap_or_default()
            })
        }
    };
    let at = move || place.get_untracked().0;
    view! {
        <li class="cc-admin-option" data-testid="option-editor">
            <label class="cc-admin-field cc-admin-field--grow">
                <span class="cc-admin-visually-hidden">{move || format!("{} {}", ctx.t().option_label, place.get().0 + 1)}</span>
                <input type="text" data-testid="option-label" prop:value=label
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| d.update_option(key, at(), |o| o.label = edit_text(&o.label, v)));
                    } />
            </label>
            <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="option-up"
                aria-label=move || format!("{} : {} {}", ctx.t().move_up, ctx.t().option_label, place.get().0 + 1)
                disabled=move || place.get().0 == 0
                on:click=move |_| draft.update(|d| d.move_option(key, at(), -1))>"↑"</button>
            <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="option-down"
                aria-label=move || format!("{} : {} {}", ctx.t().move_down, ctx.t().option_label, place.get().0 + 1)
                disabled=move || { let (i, n) = place.get(); i + 1 >= n }
                on:click=move |_| draft.update(|d| d.move_option(key, at(), 1))>"↓"</button>
            <button type="button" class="cc-admin-button cc-admin-button--quiet" data-testid="option-remove"
                aria-label=move || format!("{} : {} {}", ctx.t().remove, ctx.t().option_label, place.get().0 + 1)
                on:click=move |_| draft.update(|d| d.remove_option(key, at()))>"✕"</button>
            <EnglishInput draft label=|t| t.option_label testid="option-label-en"
                get=Arc::new({
                    let oid = oid.clone();
                    move |d: &Draft| {
                        d.question(key)?.kind.options().iter().find(|o| o.id.as_str() == oid).map(|o| o.label.clone())
                    }
                })
                set=Arc::new({
                    let oid = oid.clone();
                    move |d: &mut Draft, t| {
                        let at = d.question(key).and_then(|q| q.kind.options().iter().position(|o| o.id.as_str() == oid));
                        if let Some(i) = at {
                            d.update_option(key, i, |o| o.label = t);
                        }
                    }
                }) />
        </li>
    }
}

/// A change to a rating's scale: its lowest and highest values and their labels.
type ScaleChange = dyn FnOnce(&mut u8, &mut u8, &mut Text, &mut Text);

/// The scale of a rating question.
#[component]
fn RatingSettings(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Which of its questions.
    key: u32,
) -> impl IntoView {
    let ctx = Ctx::get();
    let get = move || match draft.with(|d| d.question(key).map(|q| q.kind.clone())) {
        Some(QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        }) => Some((
            min,
            max,
            edited_text(&min_label).to_owned(),
            edited_text(&max_label).to_owned(),
        )),
        _ => None,
    };
    let set = move |f: Box<ScaleChange>| {
        change_kind(draft, key, |k| {
            if let QuestionKind::Rating {
                min,
                max,
                min_label,
                max_label,
            } = k
            {
                f(min, max, min_label, max_label);
            }
        })
    };
    view! {
        <div class="cc-admin-row">
            <label class="cc-admin-field cc-admin-field--small">
                <span>{move || ctx.t().rating_min}</span>
                <select data-testid="rating-min" on:change=move |ev| {
                    if let Some(v) = number::<u8>(&ev) { set(Box::new(move |min, _, _, _| *min = v)); }
                }>
                    {(0..=1u8).map(|v| view! { <option value=v selected=move || get().is_some_and(|g| g.0 == v)>{v}</option> }).collect_view()}
                </select>
            </label>
            <label class="cc-admin-field cc-admin-field--small">
                <span>{move || ctx.t().rating_max}</span>
                <select data-testid="rating-max" on:change=move |ev| {
                    if let Some(v) = number::<u8>(&ev) { set(Box::new(move |_, max, _, _| *max = v)); }
                }>
                    {(2..=10u8).map(|v| view! { <option value=v selected=move || get().is_some_and(|g| g.1 == v)>{v}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <div class="cc-admin-row">
            <label class="cc-admin-field">
                <span>{move || ctx.t().min_label}</span>
                <input type="text" data-testid="min-label" prop:value=move || get().map(|g| g.2).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        set(Box::new(move |_, _, l, _| *l = edit_text(l, v)));
                    } />
            </label>
            <label class="cc-admin-field">
                <span>{move || ctx.t().max_label}</span>
                <input type="text" data-testid="max-label" prop:value=move || get().map(|g| g.3).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        set(Box::new(move |_, _, _, l| *l = edit_text(l, v)));
                    } />
            </label>
        </div>
        <EnglishInput draft label=|t| t.min_label testid="min-label-en"
            get=Arc::new(move |d: &Draft| match &d.question(key)?.kind {
                QuestionKind::Rating { min_label, .. } => Some(min_label.clone()),
                _ => None,
            })
            set=Arc::new(move |d: &mut Draft, t| d.update_question(key, |q| {
                if let QuestionKind::Rating { min_label, .. } = &mut q.kind { *min_label = t; }
            })) />
        <EnglishInput draft label=|t| t.max_label testid="max-label-en"
            get=Arc::new(move |d: &Draft| match &d.question(key)?.kind {
                QuestionKind::Rating { max_label, .. } => Some(max_label.clone()),
                _ => None,
            })
            set=Arc::new(move |d: &mut Draft, t| d.update_question(key, |q| {
                if let QuestionKind::Rating { max_label, .. } = &mut q.kind { *max_label = t; }
            })) />
    }
}

/// The longest answer of a text question.
#[component]
fn TextSettings(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
    /// Which of its questions.
    key: u32,
) -> impl IntoView {
    let ctx = Ctx::get();
    let value = move || match draft.with(|d| d.question(key).map(|q| q.kind.clone())) {
        Some(QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length }) => {
            max_length.to_string()
        }
        _ => String::new(),
    };
    view! {
        <label class="cc-admin-field cc-admin-field--small">
            <span>{move || ctx.t().max_length}</span>
            <input type="number" min="1" data-testid="max-length" prop:value=value
                on:change=move |ev| {
                    if let Some(v) = number::<u16>(&ev) {
                        change_kind(draft, key, |k| match k {
                            QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => *max_length = v,
                            _ => {}
                        });
                    }
                } />
        </label>
    }
}

/// Opening and closing times, results visibility, allowed origins, several answers, one
/// answer per participation code.
#[component]
fn Settings(
    /// The consultation being edited.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let visibilities = [
        ResultsVisibility::AfterAnswering,
        ResultsVisibility::AfterClosing,
        ResultsVisibility::OrganisersOnly,
    ];
    let vis_name = |v: ResultsVisibility| match v {
        ResultsVisibility::AfterAnswering => "after_answering",
        ResultsVisibility::AfterClosing => "after_closing",
        ResultsVisibility::OrganisersOnly => "organisers_only",
    };
    let current = move || draft.with(|d| d.results_visibility);
    view! {
        <fieldset class="cc-admin-settings">
            <legend>{move || ctx.t().settings}</legend>
            <div class="cc-admin-row">
                <label class="cc-admin-field">
                    <span>{move || ctx.t().opens_at}</span>
                    <input type="datetime-local" data-testid="opens-at"
                        prop:value=move || draft.with(|d| to_local(d.opens_at))
                        on:change=move |ev| { let v = from_local(&event_target_value(&ev)); draft.update(|d| d.opens_at = v); } />
                </label>
                <label class="cc-admin-field">
                    <span>{move || ctx.t().closes_at}</span>
                    <input type="datetime-local" data-testid="closes-at"
                        prop:value=move || draft.with(|d| to_local(d.closes_at))
                        on:change=move |ev| { let v = from_local(&event_target_value(&ev)); draft.update(|d| d.closes_at = v); } />
                </label>
            </div>
            <label class="cc-admin-field">
                <span>{move || ctx.t().results_visibility}</span>
                <select data-testid="visibility" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(vis) = visibilities.into_iter().find(|x| vis_name(*x) == v) {
                        draft.update(|d| d.results_visibility = vis);
                    }
                }>
                    {move || {
                        let l = ctx.lang.get();
                        visibilities
                            .into_iter()
                            .map(|v| view! { <option value=vis_name(v) selected=move || current() == v>{i18n::visibility(l, v)}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            <label class="cc-admin-field">
                <span>{move || ctx.t().allowed_origins}</span>
                <textarea rows="3" data-testid="origins" aria-describedby="cc-admin-origins-hint"
                    prop:value=move || draft.with(|d| d.origins.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.origins = v); }></textarea>
                <small id="cc-admin-origins-hint">{move || ctx.t().allowed_origins_hint}</small>
            </label>
            <label class="cc-admin-check">
                <input type="checkbox" data-testid="allow-multiple"
                    prop:checked=move || draft.with(|d| d.allow_multiple_answers)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.allow_multiple_answers = v); } />
                <span>{move || ctx.t().allow_multiple}</span>
            </label>
            <div class="cc-admin-check-with-hint">
                <label class="cc-admin-check">
                    <input type="checkbox" data-testid="one-per-code" aria-describedby="cc-admin-one-per-code-hint"
                        prop:checked=move || draft.with(|d| d.participation == Participation::OneAnswerPerCode)
                        on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.set_one_answer_per_code(v)); } />
                    <span>{move || ctx.t().one_per_code}</span>
                </label>
                <small id="cc-admin-one-per-code-hint">{move || ctx.t().one_per_code_hint}</small>
            </div>
            <label class="cc-admin-check">
                <input type="checkbox" data-testid="bilingual"
                    prop:checked=move || draft.with(|d| d.bilingual)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.set_bilingual(v)); } />
                <span>{move || ctx.t().bilingual}</span>
            </label>
        </fieldset>
    }
}
