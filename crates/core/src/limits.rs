//! Size limits on everything organisers and residents can send.
//!
//! They bound storage and rendering costs, and the widget shows them to residents
//! (a counter on text answers), so they live in the shared model.

/// Longest consultation title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest consultation description, in characters.
pub const DESCRIPTION_MAX: usize = 4_000;
/// Longest question prompt, in characters.
pub const PROMPT_MAX: usize = 500;
/// Longest option label or rating end label, in characters.
pub const LABEL_MAX: usize = 200;
/// Most questions in one consultation.
pub const QUESTIONS_MAX: usize = 100;
/// Most options in one choice question.
pub const OPTIONS_MAX: usize = 50;
/// Fewest options in one choice question.
pub const OPTIONS_MIN: usize = 2;
/// Largest `max_length` an organiser may set on a short text question.
pub const SHORT_TEXT_MAX: u16 = 500;
/// Largest `max_length` an organiser may set on a long text question.
pub const LONG_TEXT_MAX: u16 = 10_000;
/// Longest "other, please specify" answer, in characters.
pub const OTHER_TEXT_MAX: usize = 200;
/// Most origins allowed to embed one consultation.
pub const ORIGINS_MAX: usize = 50;
/// Longest origin, in bytes.
pub const ORIGIN_MAX: usize = 253 + 16;
/// Highest value a rating scale may reach.
pub const RATING_TOP: u8 = 10;
/// Longest organisation name, in characters.
pub const ORG_NAME_MAX: usize = 200;
