//! Answers over time: one bar per day along a date axis.

use crate::api;
use crate::ctx::Ctx;
use crate::i18n;
use concerto_core::PollId;
use leptos::prelude::*;

/// Answers per day, as bars.
#[component]
pub(super) fn Timeline(
    /// The consultation.
    id: PollId,
) -> impl IntoView {
    let ctx = Ctx::get();
    let timeline = LocalResource::new(move || {
        let id = id.clone();
        async move { api::timeline(&id).await }
    });
    let chart = move || {
        let periods = timeline.get()?.ok()?.periods;
        let days = every_day(&periods);
        if days.is_empty() {
            return None;
        }
        let lang = ctx.lang.get();
        let top = days.iter().map(|d| d.1).max().unwrap_or(1).max(1);
        let total: u64 = days.iter().map(|d| d.1).sum();
        // About eight dates along the axis, the last one always.
        let step = days.len().div_ceil(8).max(1);
        let last = days.len() - 1;
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, (day, count))| {
                let label = i18n::short_day(lang, day);
                let spoken = i18n::day_count(lang, &label, *count);
                let height = format!("{}%", (count * 100 / top).max(u64::from(*count > 0)));
                let shown = (i % step == 0 || i == last).then(|| label.clone());
                view! {
                    <li class="cc-admin-timeline__day" data-testid="timeline-day" data-day=day.clone()>
                        <span class="cc-admin-visually-hidden">{spoken}</span>
                        <span class="cc-admin-timeline__track" aria-hidden="true">
                            <span class="cc-admin-timeline__bar" style:height=height></span>
                        </span>
                        <span class="cc-admin-timeline__label" aria-hidden="true">{shown}</span>
                    </li>
                }
            })
            .collect_view();
        let summary = i18n::timeline_summary(lang, total, days.len());
        Some(view! {
            <figure class="cc-admin-timeline" data-testid="timeline">
                <figcaption>{ctx.t().timeline} " — " {summary}</figcaption>
                <ol class="cc-admin-timeline__days">{bars}</ol>
            </figure>
        })
    };
    view! { {chart} }
}

/// Every day from the first answer's to the last one's, with its count (0 for days without
/// answers, which the server leaves out), as (`YYYY-MM-DD`, count): the latest year at most.
fn every_day(periods: &[api::Period]) -> Vec<(String, u64)> {
    // Each period starts at a local midnight, with the offset of that day: its date is the
    // town's day.
    let (Some(first), Some(end)) = (periods.first(), periods.last()) else {
        return Vec::new();
    };
    let end = end.start.date();
    // A consultation open longer than a year shows its latest year.
    let mut day = first.start.date().max(end - time::Duration::days(365));
    let mut days = Vec::new();
    while day <= end {
        let count = periods
            .iter()
            .filter(|p| p.start.date() == day)
            .map(|p| p.count)
            .sum();
        days.push((
            format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            ),
            count,
        ));
        let Some(next) = day.next_day() else { break };
        day = next;
    }
    days
}
