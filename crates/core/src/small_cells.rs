//! Small groups kept out of public breakdowns: a count under the threshold (a partner that
//! brought three answers, say) is shown as "fewer than N", never as itself, so that nobody
//! can learn how a handful of known people answered or where they came from.

use crate::api::PartnerCount;

/// The threshold public views use unless the server is told otherwise.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// The public form of a breakdown of `total` answers into named counts: each count under
/// `threshold` is hidden. When exactly one count is hidden, the total and the others would
/// give it away by subtraction, so the smallest shown one is hidden too.
pub fn protect(counts: Vec<(String, u64)>, threshold: u64) -> Vec<PartnerCount> {
    let mut shown: Vec<PartnerCount> = counts
        .iter()
        .map(|(name, n)| PartnerCount {
            name: name.clone(),
            answers: (*n >= threshold).then_some(*n),
        })
        .collect();
    let hidden = shown.iter().filter(|c| c.answers.is_none()).count();
    if hidden == 1
        && let Some(smallest) = shown
            .iter_mut()
            .filter(|c| c.answers.is_some())
            .min_by_key(|c| c.answers)
    {
        smallest.answers = None;
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect()
    }

    fn shown(list: &[PartnerCount]) -> Vec<Option<u64>> {
        list.iter().map(|c| c.answers).collect()
    }

    #[test]
    fn counts_at_or_above_the_threshold_are_shown() {
        let out = protect(counts(&[("Mairie", 40), ("Asso", 5), ("Café", 12)]), 5);
        assert_eq!(shown(&out), [Some(40), Some(5), Some(12)]);
        assert_eq!(out[1].name, "Asso");
    }

    #[test]
    fn one_small_count_hides_the_next_smallest_so_the_total_does_not_give_it_away() {
        let out = protect(counts(&[("Mairie", 40), ("Asso", 3), ("Café", 12)]), 5);
        assert_eq!(shown(&out), [Some(40), None, None]);
    }

    #[test]
    fn two_small_counts_hide_only_themselves() {
        let out = protect(counts(&[("Mairie", 40), ("Asso", 3), ("Café", 1)]), 5);
        assert_eq!(shown(&out), [Some(40), None, None]);
        let out = protect(
            counts(&[("Mairie", 40), ("Asso", 3), ("Café", 1), ("Club", 9)]),
            5,
        );
        assert_eq!(shown(&out), [Some(40), None, None, Some(9)]);
    }

    #[test]
    fn a_threshold_of_one_hides_only_empty_groups_and_zero_hides_nothing() {
        let out = protect(counts(&[("Mairie", 4), ("Asso", 0), ("Café", 1)]), 1);
        assert_eq!(shown(&out), [Some(4), None, None]);
        let out = protect(counts(&[("Mairie", 4), ("Asso", 0)]), 0);
        assert_eq!(shown(&out), [Some(4), Some(0)]);
    }
}
