//! Participation codes, for a consultation that asks for one with each answer: how many were
//! made and used, a form to make more, and the sheet of slips to print (title, code, the link
//! that fills it in and its QR code), shown only once since the server keeps only hashes.

use crate::api::{self, ApiError, CodeCounts, OrgPoll};
use crate::ctx::Ctx;
use crate::export;
use crate::i18n;
use crate::pages::{ErrorNote, error_text};
use concerto_core::PollId;
use leptos::prelude::*;
use std::sync::Arc;

/// The standalone link that fills in `code`: what a slip prints and its QR code carries.
fn code_link(standalone_url: &str, code: &str) -> String {
    format!("{standalone_url}?code={code}")
}

/// The codes as CSV, one per line with its link. Codes and links are letters, digits, `-`,
/// `:`, `/`, `.` and `?=`: nothing a spreadsheet would read as a formula or needs quoted.
fn codes_csv(standalone_url: &str, codes: &[String]) -> String {
    let mut csv = String::from("code,link\r\n");
    for c in codes {
        csv.push_str(&format!("{c},{}\r\n", code_link(standalone_url, c)));
    }
    csv
}

/// The message for a refused request for codes: the count's range, said in the organiser's
/// language, when the server names `count`.
fn make_error(ctx: Ctx, e: &ApiError) -> String {
    match e {
        ApiError::Status(_, p) if p.errors.iter().any(|f| f.field == "count") => {
            ctx.t().codes_count_range.to_owned()
        }
        e => error_text(ctx, e),
    }
}

/// The codes' counts, the form to make more, and the sheet of the codes made on this visit.
#[component]
pub(super) fn CodesPanel(
    /// The consultation.
    poll: Arc<OrgPoll>,
    /// The codes made since the page was opened: kept by the page, so that reading the
    /// consultation again (opening it, say) does not lose codes not yet printed.
    made: RwSignal<Vec<String>>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let t = move || ctx.t();
    let id = poll.id.clone();
    let stored = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { api::code_counts(&id).await }
        }
    });
    // The counts a request for codes answered with, newer than the ones read at first.
    let latest = RwSignal::new(None::<CodeCounts>);
    let make = Action::new_local({
        let id = id.clone();
        move |count: &u32| {
            let (id, count) = (id.clone(), *count);
            async move {
                let issued = api::make_codes(&id, count).await?;
                made.try_update(|m| m.extend(issued.codes));
                latest.try_set(Some(issued.counts));
                Ok::<_, ApiError>(())
            }
        }
    });
    let count = RwSignal::new(String::from("100"));
    let typed_wrong = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Out-of-range numbers go to the server, which names `count`; only what is not a
        // number at all stays here.
        match count.get_untracked().trim().parse::<u32>() {
            Ok(n) => {
                typed_wrong.set(false);
                make.dispatch(n);
            }
            Err(_) => typed_wrong.set(true),
        }
    };
    let pending = make.pending();
    let counts = move || match latest.get() {
        Some(c) => Some(Ok(c)),
        None => stored.get(),
    };
    let error = move || {
        if typed_wrong.get() {
            return Some(t().codes_count_range.to_owned());
        }
        match make.value().get() {
            Some(Err(e)) if !pending.get() => Some(make_error(ctx, &e)),
            _ => None,
        }
    };
    let url = poll.standalone_url.clone();
    let title = {
        let poll = poll.clone();
        move || poll.spec.title.get(ctx.lang.get()).to_owned()
    };
    let download = {
        let url = url.clone();
        move |_| {
            let csv = made.with_untracked(|m| codes_csv(&url, m));
            let chunks = js_sys::Array::of1(&js_sys::Uint8Array::from(csv.as_bytes()));
            let _ = export::save(
                &chunks,
                "text/csv;charset=utf-8",
                &format!("codes-{}.csv", poll.id),
            );
        }
    };
    view! {
        <section class="cc-admin-card cc-admin-codes" aria-labelledby="cc-admin-codes-title" data-testid="codes"
            aria-busy=move || pending.get().to_string()>
            <h2 id="cc-admin-codes-title">{move || t().codes_title}</h2>
            <p data-testid="codes-counts" role="status">
                {move || match counts() {
                    None => t().loading.to_owned(),
                    Some(Ok(c)) if c.total == 0 => t().codes_none.to_owned(),
                    Some(Ok(c)) => i18n::codes_used(ctx.lang.get(), c.used, c.total),
                    Some(Err(e)) => error_text(ctx, &e),
                }}
            </p>
            <form class="cc-admin-row cc-admin-codes__form" novalidate on:submit=submit>
                <label class="cc-admin-field">
                    <span>{move || t().codes_count_label}</span>
                    <input type="number" min="1" max="5000" step="1" inputmode="numeric" data-testid="codes-count"
                        aria-invalid=move || error().is_some().to_string()
                        aria-describedby="cc-admin-codes-error"
                        prop:value=move || count.get()
                        on:input=move |ev| count.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="cc-admin-button" data-testid="make-codes" disabled=move || pending.get()>
                    {move || if pending.get() { t().codes_making } else { t().codes_make }}
                </button>
            </form>
            <div id="cc-admin-codes-error">
                {move || error().map(|message| view! { <ErrorNote message /> })}
            </div>
            {move || pending.get().then(|| view! {
                <p class="cc-admin-status" role="status" data-testid="codes-pending">
                    <progress aria-label=t().codes_making></progress> " " {t().codes_making}
                </p>
            })}
            {move || {
                let codes = made.get();
                (!codes.is_empty()).then(|| view! {
                    <div class="cc-admin-sheet" data-testid="codes-sheet">
                        <p class="cc-admin-warning" data-testid="codes-warning">
                            <strong>{move || t().codes_warning}</strong>
                        </p>
                        <p>{move || i18n::codes_made(ctx.lang.get(), made.with(Vec::len))}</p>
                        <div class="cc-admin-row">
                            <button type="button" class="cc-admin-button" data-testid="print-codes"
                                on:click=move |_| { let _ = window().print(); }>
                                {move || t().codes_print}
                            </button>
                            <button type="button" class="cc-admin-button cc-admin-button--secondary" data-testid="codes-csv"
                                on:click=download.clone()>
                                {move || t().codes_csv}
                            </button>
                        </div>
                        <ul class="cc-admin-slips" aria-label=move || t().codes_sheet_label>
                            {codes.into_iter().map(|code| view! {
                                <Slip id=id.clone() code url=url.clone() title=Signal::derive(title.clone()) />
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
        </section>
    }
}

/// One slip to cut out: the consultation's title, the code, the link that fills it in and
/// that link's QR code.
#[component]
fn Slip(
    /// The consultation.
    id: PollId,
    /// The code, as printed (`K7M-3QX`).
    code: String,
    /// The consultation's standalone link.
    url: String,
    /// The consultation's title, in the organiser's language.
    title: Signal<String>,
) -> impl IntoView {
    let ctx = Ctx::get();
    let link = code_link(&url, &code);
    let qr = api::code_qr_url(&id, &code);
    view! {
        <li class="cc-admin-slip" data-testid="slip">
            <div class="cc-admin-slip__text">
                <p class="cc-admin-slip__title">{title}</p>
                <p>{move || ctx.t().codes_slip_intro}</p>
                <p class="cc-admin-slip__code" data-testid="slip-code">{code}</p>
                <p class="cc-admin-slip__link">
                    {move || ctx.t().codes_slip_link} " "
                    <span data-testid="slip-link">{link}</span>
                </p>
            </div>
            <img class="cc-admin-slip__qr" src=qr width="112" height="112" alt=move || ctx.t().codes_slip_qr
                data-testid="slip-qr" />
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://consultation.ville.example/p/k3x9m2pq7rtw";

    #[test]
    fn a_slips_link_fills_its_code_in() {
        assert_eq!(
            code_link(URL, "K7M-3QX"),
            "https://consultation.ville.example/p/k3x9m2pq7rtw?code=K7M-3QX"
        );
    }

    #[test]
    fn the_csv_has_a_header_then_one_line_per_code_with_its_link() {
        let csv = codes_csv(URL, &["K7M-3QX".into(), "A4C-9DE".into()]);
        assert_eq!(
            csv,
            format!("code,link\r\nK7M-3QX,{URL}?code=K7M-3QX\r\nA4C-9DE,{URL}?code=A4C-9DE\r\n")
        );
    }
}
