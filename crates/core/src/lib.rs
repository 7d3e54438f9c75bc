//! The Concerto consultation model, shared by the widget and the server.
//!
//! Everything here is plain Rust with no I/O, so the same checks run in the resident's
//! browser (as they type) and on the server (which decides).

pub mod answer;
pub mod api;
pub mod code;
pub mod ids;
pub mod limits;
#[cfg(feature = "openapi")]
mod openapi;
pub mod origin;
pub mod partner;
pub mod poll;
pub mod results;
pub mod small_cells;
pub mod templates;
pub mod text;

pub use answer::{Answer, AnswerError, AnswerProblem, Answers, RawAnswers, Submission, validate};
pub use code::{CodeError, Participation, ParticipationCode};
pub use ids::{IdError, OptionId, OrgId, PollId, QuestionId, SubmissionId};
pub use origin::{Origin, OriginError};
pub use partner::{PartnerKey, PartnerKeyError, PartnerState, Via};
pub use poll::{
    Availability, ChoiceOption, PollSpec, PollState, PublicPoll, Question, QuestionKind,
    ResultsVisibility, SpecError, SpecProblem,
};
pub use results::{Bucket, OptionCount, QuestionResult, RatingCount, Results, Tally};
pub use templates::Template;
pub use text::{Language, Text};
