//! The Concerto widget's components, shared by three renderers: the collection server, which
//! renders a consultation's first view to HTML (shown before the widget's wasm has loaded,
//! and the whole standalone page when scripts are off); the widget, which takes that markup
//! over in the browser; and the dashboard, whose live preview shows the same questions.
//!
//! Nothing here does I/O or touches the page outside what it renders: fetching, device
//! storage and mounting belong to the widget crate. Every string a resident sees comes from
//! [`i18n`].

pub mod code_field;
pub mod escape;
pub mod focus;
pub mod form;
pub mod frame;
pub mod i18n;
pub mod lang;
pub mod post;
pub mod preview;
pub mod public_results;
pub mod question;
pub mod results;
pub mod states;
pub mod thanks;

pub use lang::Lang;
