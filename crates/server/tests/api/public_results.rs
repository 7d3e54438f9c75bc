//! The public results page, `/p/{id}/results`, and the results' view its embed shows: shown
//! where the visibility allows in every state, refused with a page that says why elsewhere,
//! in both languages, with the organiser's text escaped and no script or inline style.

use crate::helpers::{new_submission_id, problem, sample_answers, sample_spec, spawn_app};
use serde_json::json;

/// How a browser asks for a page.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// The page at `path` as a browser gets it: its status, headers and body.
async fn browse(
    app: &crate::helpers::TestApp,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let resp = app
        .client
        .get(app.url(path))
        .header("Accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap())
}

#[tokio::test]
async fn the_page_shows_results_only_where_the_visibility_allows_in_every_state() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let future = (time::OffsetDateTime::now_utc() + time::Duration::days(30))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // (visibility, not yet open, open, closed): 200 shown, 403 refused.
    for (visibility, expected) in [
        ("after_answering", [200, 200, 200]),
        ("after_closing", [403, 403, 200]),
        ("organisers_only", [403, 403, 403]),
    ] {
        let mut spec = sample_spec();
        spec["results_visibility"] = json!(visibility);
        let id = app.create_poll(&tok, &spec).await;
        app.action(&tok, &id, "open").await;
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await;
        let mut later = spec.clone();
        later["opens_at"] = json!(future);
        let waiting = app.create_poll(&tok, &later).await;
        app.action(&tok, &waiting, "open").await;
        let mut states = vec![("not yet open", waiting.clone()), ("open", id.clone())];
        states.push(("closed", id.clone()));
        for ((state, poll), status) in states.into_iter().zip(expected) {
            if state == "closed" {
                app.action(&tok, &poll, "close").await;
            }
            let (got, headers, html) = browse(&app, &format!("/p/{poll}/results?lang=fr")).await;
            assert_eq!(got, status, "{visibility} {state}: {html}");
            assert!(
                headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            );
            assert!(html.starts_with("<!doctype html>"));
            assert!(html.contains("Le marché du samedi"), "{html}");
            if status == 200 {
                assert!(html.contains(r#"data-testid="results""#), "{html}");
                assert!(!html.contains("results-hidden"));
            } else {
                assert!(html.contains(r#"data-testid="results-hidden""#), "{html}");
                assert!(html.contains("Résultats non publics"), "{html}");
                assert!(!html.contains(r#"data-testid="results""#), "{html}");
                let why = if visibility == "after_closing" {
                    "seront publiés à sa clôture"
                } else {
                    "ont choisi de ne pas publier"
                };
                assert!(html.contains(why), "{visibility}: {html}");
                // Still a way to answer while it is open, and the other language.
                assert_eq!(
                    html.contains(r#"data-testid="answer-link""#),
                    state != "closed" && state != "not yet open",
                    "{visibility} {state}"
                );
                assert!(html.contains(&format!(r#"href="/p/{poll}/results?lang=en""#)));
            }
            // The results API follows the same rule.
            let api = app
                .get(
                    &format!("/api/v1/polls/{poll}/results/view?layout=page"),
                    None,
                )
                .await;
            assert_eq!(api.status().as_u16(), status, "{visibility} {state} api");
        }
    }
}

#[tokio::test]
async fn the_page_gives_counts_dates_and_the_participation_rule_in_both_languages() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["title"] = json!({"fr": "Le marché du samedi", "en": "The Saturday market"});
    spec["closes_at"] = json!("2099-12-31T17:00:00Z");
    let id = app.create_poll(&tok, &spec).await;
    app.action(&tok, &id, "open").await;
    for _ in 0..3 {
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await;
    }

    let (status, headers, fr) = browse(&app, &format!("/p/{id}/results?lang=fr")).await;
    assert_eq!(status, 200, "{fr}");
    assert!(fr.contains(r#"<html lang="fr">"#));
    assert!(fr.contains("Le marché du samedi"));
    assert!(
        fr.contains(r#"data-testid="results-count" class="cc-facts__value">3</dd>"#),
        "{fr}"
    );
    assert!(fr.contains("3 participants"), "{fr}");
    // In the town's time zone (the default, Europe/Paris).
    assert!(fr.contains("Clôture</dt>"), "{fr}");
    assert!(fr.contains("31 décembre 2099 à 18:00"), "{fr}");
    assert!(fr.contains("Les réponses ne sont pas limitées à une par personne."));
    assert!(fr.contains("Votre note"));
    // Every question's chart, its bars sized by the page's stylesheet.
    for q in ["venue", "stands", "note", "nom", "idee"] {
        assert!(fr.contains(&format!(r#"data-testid="result-{q}""#)), "{q}");
    }
    assert!(fr.contains(r#"data-percent="100""#));
    assert!(fr.contains(r#"href="/p/results.css""#));
    assert!(fr.contains(&format!(r#"href="/p/{id}?lang=fr""#)), "{fr}");
    assert!(fr.contains(&format!(r#"href="/p/{id}/results?lang=en""#)));
    // A strict policy: no script anywhere, no inline style.
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(!fr.contains("<script") && !fr.contains("style="), "{fr}");
    assert!(!fr.contains("<style"));

    let (_, _, en) = browse(&app, &format!("/p/{id}/results?lang=en")).await;
    assert!(en.contains(r#"<html lang="en">"#));
    assert!(en.contains("The Saturday market"));
    assert!(en.contains("3 respondents"), "{en}");
    assert!(en.contains("December 31, 2099 at 6:00"), "{en}");
    assert!(en.contains("Answers are not limited to one per person."));
    assert!(en.contains("Version française"));

    // Without `?lang=`, the browser's language.
    let resp = app
        .client
        .get(app.url(&format!("/p/{id}/results")))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("3 respondents"));

    // The stylesheet gives each whole percentage its length and prints without links.
    let css = app.get("/p/results.css", None).await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let css = css.text().await.unwrap();
    assert!(css.contains(r#".cc-bar__fill[data-percent="42"] { width: 42%; }"#));
    assert!(css.contains("@media print"));
}

#[tokio::test]
async fn the_organiser_s_text_is_text_on_the_page_and_in_the_embed() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["title"] = json!("<script>alert(1)</script> Marché");
    spec["description"] = json!("<img src=x onerror=alert(2)>");
    spec["questions"][0]["prompt"] = json!("</h4><b>Venez</b>");
    spec["questions"][0]["options"][0]["label"] = json!("<i>Oui</i>");
    let id = app.create_poll(&tok, &spec).await;
    app.action(&tok, &id, "open").await;
    app.submit(&id, &new_submission_id(), &sample_answers())
        .await;

    let (_, _, page) = browse(&app, &format!("/p/{id}/results")).await;
    let embed = app
        .partner_html(&format!(
            "/api/v1/polls/{id}/results/view?layout=page&lang=en"
        ))
        .await;
    for html in [&page, &embed] {
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Marché"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;/h4&gt;&lt;b&gt;Venez&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;i&gt;Oui&lt;/i&gt;"), "{html}");
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<i>"));
    }
    // The embed's content: the page's, without the page around it, and no inline style.
    assert!(embed.contains(r#"data-testid="public-results""#), "{embed}");
    assert!(embed.contains("Answers are not limited to one per person."));
    assert!(
        !embed.contains("<html") && !embed.contains("style="),
        "{embed}"
    );
    // Without `layout=page`, the widget's list, as before.
    let list = app
        .partner_html(&format!("/api/v1/polls/{id}/results/view?layout=nonsense"))
        .await;
    assert!(!list.contains("public-results") && list.contains(r#"data-testid="results""#));
}

#[tokio::test]
async fn an_unknown_consultation_or_a_draft_is_a_404() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let draft = app.create_poll(&tok, &sample_spec()).await;
    for id in ["nothing", "bad%20id", draft.as_str()] {
        // Scripts get the API's problem.
        let resp = app.get(&format!("/p/{id}/results"), None).await;
        assert_eq!(resp.status(), 404, "{id}");
        assert_eq!(
            resp.headers()["content-type"],
            "application/problem+json",
            "{id}"
        );
        assert_eq!(problem(resp).await["status"], 404);
        // Browsers a page in the resident's language.
        let (status, headers, html) = browse(&app, &format!("/p/{id}/results?lang=en")).await;
        assert_eq!(status, 404, "{id}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            html.contains(r#"data-testid="results-not-found""#),
            "{html}"
        );
        assert!(html.contains(r#"<html lang="en">"#));
        let api = app
            .get(
                &format!("/api/v1/polls/{id}/results/view?layout=page"),
                None,
            )
            .await;
        assert_eq!(api.status(), 404);
        assert_eq!(api.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn with_participation_codes_the_page_says_how_many_were_used() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let mut spec = sample_spec();
    spec["participation"] = json!("one_answer_per_code");
    let id = app.create_poll(&tok, &spec).await;
    app.action(&tok, &id, "open").await;
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/org/polls/{id}/codes")))
        .bearer_auth(&tok)
        .json(&json!({ "count": 3 }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let issued: serde_json::Value = resp.json().await.unwrap();
    let body = json!({
        "submission_id": new_submission_id(),
        "answers": sample_answers(),
        "code": issued["codes"][0],
    });
    assert_eq!(app.submit_raw(&id, &body, None).await.status(), 201);

    let (_, _, fr) = browse(&app, &format!("/p/{id}/results?lang=fr")).await;
    assert!(
        fr.contains("Une réponse par code de participation\u{202f}: 1 code utilisé sur 3."),
        "{fr}"
    );
    let embed = app
        .get(
            &format!("/api/v1/polls/{id}/results/view?layout=page&lang=en"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        embed.contains("One answer per participation code: 1 of 3 codes used."),
        "{embed}"
    );
}

#[tokio::test]
async fn a_malformed_query_is_a_400_naming_it() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    for path in [
        format!("/p/{id}/results?lang=fr&lang=en"),
        format!("/api/v1/polls/{id}/results/view?layout=page&layout=list"),
    ] {
        let resp = app.get(&path, None).await;
        assert_eq!(resp.status(), 400, "{path}");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        assert_eq!(problem(resp).await["errors"][0]["field"], "query", "{path}");
    }
}
