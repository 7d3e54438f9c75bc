//! Taking over the first view: the consultation's form as the server rendered it (from the
//! same `concerto-ui` components), which `embed.js` put in the shadow root while the wasm was
//! downloading, or which the standalone page carries in a declarative shadow root.
//!
//! The resident may already have chosen options, typed and pressed send there, with native
//! controls. The widget reads all of that back, renders its own live form with those answers
//! aside, swaps it in at once and puts the focus (and the text cursor) back where it was.

use concerto_core::{Answer, OptionId, PublicPoll, Question, QuestionKind, SubmissionId};
use concerto_ui::code_field::CODE_FIELD;
use concerto_ui::form::SUBMISSION_FIELD;
use concerto_ui::question::{OTHER_VALUE, other_field};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot};

/// Marks the element that holds a first view (`embed.js` and the server set it).
pub const VIEW_MARK: &str = "data-concerto-view";
/// Set on the view by `embed.js` when send was pressed before the widget was ready.
pub const SUBMIT_MARK: &str = "data-concerto-submit";
/// Marks the script element that carries the consultation's definition as JSON.
const DEFINITION: &str = "script[data-concerto-definition]";

/// A first view found in a shadow root.
pub struct FirstView {
    /// The element holding it, replaced by the widget's own.
    pub container: HtmlElement,
    /// The consultation it shows.
    pub poll: PublicPoll,
}

impl FirstView {
    /// The first view in `root`, if there is one with a readable definition.
    pub fn find(root: &ShadowRoot) -> Option<Self> {
        let container: HtmlElement = root
            .query_selector(&format!("[{VIEW_MARK}]"))
            .ok()??
            .dyn_into()
            .ok()?;
        let json = container.query_selector(DEFINITION).ok()??.text_content()?;
        let poll = crate::decode::poll(&crate::decode::parse(&json)?)?;
        Some(Self { container, poll })
    }
}

/// What the resident did in the first view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TakenOver {
    /// One answer per question, in the consultation's order, as the controls hold it.
    pub answers: Vec<Option<Answer>>,
    /// The submission id the first view carried.
    pub submission_id: Option<SubmissionId>,
    /// Whether send was pressed.
    pub submit: bool,
    /// The participation code typed (or filled in from the link), if the form asks for one.
    pub code: Option<String>,
}

impl TakenOver {
    /// Reads the answers, submission id and pending send of the first view in `view`.
    pub fn read(view: &Element, questions: &[Question]) -> Self {
        let inputs = |name: &str| -> Vec<HtmlInputElement> {
            let Ok(list) = view.query_selector_all(&format!("input[name=\"{name}\"]")) else {
                return Vec::new();
            };
            (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into().ok())
                .collect()
        };
        let checked = |name: &str| -> Vec<String> {
            inputs(name)
                .into_iter()
                .filter(HtmlInputElement::checked)
                .map(|i| i.value())
                .collect()
        };
        let text = |name: &str| -> Option<String> {
            let el = view.query_selector(&format!("[name=\"{name}\"]")).ok()??;
            match el.dyn_ref::<HtmlTextAreaElement>() {
                Some(area) => Some(area.value()),
                None => el
                    .dyn_ref::<HtmlInputElement>()
                    .map(HtmlInputElement::value),
            }
        };
        let answers = questions
            .iter()
            .map(|q| {
                let name = q.id.as_str();
                match &q.kind {
                    QuestionKind::SingleChoice { .. } => {
                        let value = checked(name).into_iter().next()?;
                        if value == OTHER_VALUE {
                            Some(Answer::Other(text(&other_field(name)).unwrap_or_default()))
                        } else {
                            OptionId::parse(&value).ok().map(Answer::Option)
                        }
                    }
                    QuestionKind::MultipleChoice { options, .. } => {
                        let ticked = checked(name);
                        let ids: Vec<OptionId> = options
                            .iter()
                            .filter(|o| ticked.iter().any(|t| t == o.id.as_str()))
                            .map(|o| o.id.clone())
                            .collect();
                        (!ids.is_empty()).then_some(Answer::Options(ids))
                    }
                    QuestionKind::Rating { .. } => {
                        let value = checked(name).into_iter().next()?;
                        value.parse().ok().map(Answer::Rating)
                    }
                    QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                        text(name).filter(|t| !t.is_empty()).map(Answer::Text)
                    }
                }
            })
            .collect();
        let submission_id = inputs(SUBMISSION_FIELD)
            .first()
            .and_then(|i| SubmissionId::parse(&i.value()).ok());
        let code = inputs(CODE_FIELD).first().map(HtmlInputElement::value);
        Self {
            answers,
            submission_id,
            submit: view.has_attribute(SUBMIT_MARK),
            code,
        }
    }
}

/// Where the focus was in the first view, to put it back on the same control of the
/// widget's own form.
#[derive(Debug, Clone)]
pub struct Focus {
    /// A CSS selector for the control in the new form.
    selector: String,
    /// The text cursor or selection, in a text box.
    selection: Option<(u32, u32)>,
}

impl Focus {
    /// The focused control of `root`, if it can be found again.
    pub fn save(root: &ShadowRoot) -> Option<Self> {
        let el = root.active_element()?;
        let selector = if !el.id().is_empty() {
            format!("[id=\"{}\"]", css_string(&el.id()))
        } else if let Some(name) = el.get_attribute("name") {
            let value = el.get_attribute("value").unwrap_or_default();
            format!(
                "[name=\"{}\"][value=\"{}\"]",
                css_string(&name),
                css_string(&value)
            )
        } else if let Some(testid) = el.get_attribute("data-testid") {
            format!("[data-testid=\"{}\"]", css_string(&testid))
        } else {
            return None;
        };
        let selection = match (
            el.dyn_ref::<HtmlInputElement>(),
            el.dyn_ref::<HtmlTextAreaElement>(),
        ) {
            (Some(i), _) => i
                .selection_start()
                .ok()
                .flatten()
                .zip(i.selection_end().ok().flatten()),
            (_, Some(t)) => t
                .selection_start()
                .ok()
                .flatten()
                .zip(t.selection_end().ok().flatten()),
            _ => None,
        };
        Some(Self {
            selector,
            selection,
        })
    }

    /// Focuses the same control inside `view`, with the same text selection.
    pub fn restore(&self, view: &Element) {
        let Some(el) = view.query_selector(&self.selector).ok().flatten() else {
            return;
        };
        if let Some(el) = el.dyn_ref::<HtmlElement>() {
            let _ = el.focus();
        }
        if let Some((start, end)) = self.selection {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                let _ = i.set_selection_range(start, end);
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                let _ = t.set_selection_range(start, end);
            }
        }
    }
}

/// `text` escaped for a double-quoted CSS string.
fn css_string(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
