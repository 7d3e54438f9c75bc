//! The live preview: the widget's own components, in a shadow root with the widget's
//! stylesheet (a file, which the dashboard's CSP allows), exactly as on a partner's page.

use concerto_core::PublicPoll;
use concerto_ui::Lang;
use concerto_ui::preview::Preview;
use leptos::html::Div;
use leptos::prelude::*;
use std::any::Any;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, copied beside the dashboard by trunk.
const WIDGET_CSS: &str = "/admin/widget.css";

/// The consultation as residents will see it, following `poll` as it changes.
#[component]
pub fn PreviewPane(
    /// The consultation as it stands.
    #[prop(into)]
    poll: Signal<PublicPoll>,
    /// The language to show it in.
    #[prop(into)]
    lang: Signal<Lang>,
) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    // The inner app, kept alive as long as this pane; dropping it unmounts it.
    let mounted = StoredValue::new_local(None::<Box<dyn Any>>);
    Effect::new(move |_| {
        let Some(el) = host.get() else {
            return;
        };
        if mounted.with_value(Option::is_some) {
            return;
        }
        let Ok(root) = el.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) else {
            return;
        };
        let document = document();
        if let Ok(link) = document.create_element("link") {
            let _ = link.set_attribute("rel", "stylesheet");
            let _ = link.set_attribute("href", WIDGET_CSS);
            let _ = root.append_child(&link);
        }
        let Ok(container) = document.create_element("div") else {
            return;
        };
        let _ = root.append_child(&container);
        let container: HtmlElement = container.unchecked_into();
        let handle = leptos::mount::mount_to(container, move || {
            move || {
                let lang = lang.get();
                view! { <Preview poll lang /> }
            }
        });
        mounted.set_value(Some(Box::new(handle)));
    });
    on_cleanup(move || {
        // Unmount before the signals it reads are disposed.
        drop(mounted.try_update_value(Option::take));
    });
    view! { <div class="cc-admin-preview__host" node_ref=host data-testid="preview"></div> }
}
