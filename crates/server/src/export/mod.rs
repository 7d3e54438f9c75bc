//! Export formats of a consultation's answers. Each turns one stored answer into bytes on its
//! own, so that exports stream in constant memory however many answers there are.

pub mod csv;
pub mod json;
pub mod layout;
pub mod ods;
pub mod sheet;
pub mod xlsx;

use std::borrow::Cow;

/// Neutralises a cell a spreadsheet would read as a formula (OWASP "CSV injection"): a cell
/// starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, which spreadsheets show
/// as text and do not evaluate.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starters_are_neutralised() {
        for cell in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for cell in ["", "Bonjour", "1+1=2", "a=b", "'déjà"] {
            assert_eq!(neutralise(cell), cell);
        }
    }
}
