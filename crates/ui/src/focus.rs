//! Moving the focus to a state that replaces what the resident was in (the thanks after the
//! form, the closed notice, the waiting answer), so that it is read out and the keyboard
//! carries on from there.

use leptos::html::Div;
use leptos::prelude::*;

/// A node for a state's box that takes the focus once it is in the page, when `take` is set.
pub fn focus_when_shown(take: bool) -> NodeRef<Div> {
    let node = NodeRef::<Div>::new();
    if take {
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        });
    }
    node
}
