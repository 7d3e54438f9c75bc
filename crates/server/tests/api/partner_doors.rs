//! The doors of a partner's answers: its snippet (the widget sends `partner` and `via`), its
//! link and QR code (`/p/{id}?partner=KEY&via=qr`, carried in hidden fields without script).
//! Each answer reads back with the partner it came through and its door; a key that is none
//! of the consultation's partners is refused naming `partner` when answering, left out of the
//! page when opening it, and a 400 for a QR code.

use crate::helpers::*;
use crate::qr::{png_link, svg_link};
use concerto_core::{OrgId, Origin, PartnerKey, PollId};
use serde_json::{Value, json};

/// The partner's site.
const VELO: &str = "https://velo.example";

/// An open consultation of `sample_spec` with one active partner embedding it from `VELO`.
struct Partnered {
    id: String,
    owner_token: String,
    partner: OrgId,
    key: PartnerKey,
}

/// Seeds the partnership through the store (invited, accepted, its site added), before any
/// resident reads the consultation.
async fn partnered(app: &TestApp) -> Partnered {
    let (owner, owner_token) = app.org("Comité des fêtes").await;
    let id = app.create_poll(&owner_token, &sample_spec()).await;
    assert_eq!(app.action(&owner_token, &id, "open").await.status(), 200);
    let (partner, _) = app.org("Asso vélo").await;
    let poll = PollId::parse(&id).unwrap();
    let key = PartnerKey::from_random([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12]);
    let now = app.clock.now();
    app.store
        .invite_partner(&owner, &poll, &partner, &key, now)
        .await
        .unwrap();
    app.store
        .accept_partnership(&partner, &poll, now)
        .await
        .unwrap();
    app.store
        .set_partner_origins(&partner, &poll, &[Origin::parse(VELO).unwrap()])
        .await
        .unwrap();
    Partnered {
        id,
        owner_token,
        partner,
        key,
    }
}

/// The stored answer `sid`, as its owner reads it.
async fn stored(app: &TestApp, p: &Partnered, sid: &str) -> Value {
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{}/responses/{sid}", p.id),
            Some(&p.owner_token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Posts `fields` to the standalone page as a browser form would, without script.
async fn post_form(app: &TestApp, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/p/{id}")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_answer_from_a_partner_s_site_reads_back_with_its_partner_and_door() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let sid = new_submission_id();
    let resp = app
        .submit_raw(
            &p.id,
            &json!({"submission_id": sid, "answers": sample_answers(),
                    "partner": p.key.as_str(), "via": "site"}),
            Some(VELO),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let answer = stored(&app, &p, &sid).await;
    assert_eq!(answer["partner"], p.partner.as_str(), "{answer}");
    assert_eq!(answer["via"], "site");

    // The owner's own answer, from its own site: no partner.
    let own = new_submission_id();
    let resp = app.submit(&p.id, &own, &sample_answers()).await;
    assert_eq!(resp.status(), 201);
    let answer = stored(&app, &p, &own).await;
    assert_eq!(answer.get("partner"), None, "{answer}");
    assert_eq!(answer["via"], "site");
}

#[tokio::test]
async fn an_unknown_or_malformed_partner_key_is_refused_naming_partner() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let other = PartnerKey::from_random([1; 12]);
    for key in [other.as_str(), "NOT-A-KEY", "abcdefghijk0"] {
        let resp = app
            .submit_raw(
                &p.id,
                &json!({"submission_id": new_submission_id(), "answers": sample_answers(),
                        "partner": key, "via": "site"}),
                Some(PARTNER),
            )
            .await;
        assert_eq!(resp.status(), 422, "{key}");
        let problem = problem(resp).await;
        assert_eq!(fields(&problem), vec!["partner"], "{key}: {problem}");
    }
    let results: Value = app
        .get(
            &format!("/api/v1/org/polls/{}/results", p.id),
            Some(&p.owner_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["total"], 0, "{results}");
}

#[tokio::test]
async fn the_partner_s_qr_link_opens_the_page_with_its_partner_and_door_for_the_widget_and_the_form()
 {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let resp = app
        .get(&format!("/p/{}?partner={}&via=qr", p.id, p.key), None)
        .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(&format!(
            r#"<div data-concerto-poll="{}" data-concerto-partner="{}" data-concerto-via="qr">"#,
            p.id, p.key
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"<input type="hidden" name="source.partner" value="{}""#,
        p.key
    )));
    assert!(html.contains(r#"<input type="hidden" name="source.via" value="qr""#));

    // The owner's plain link: the page's own door, no partner.
    let html = app
        .get(&format!("/p/{}", p.id), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!(
        r#"<div data-concerto-poll="{}" data-concerto-via="page">"#,
        p.id
    )));
    assert!(!html.contains("source.partner"));
    assert!(html.contains(r#"name="source.via" value="page""#));
}

#[tokio::test]
async fn an_old_or_mistyped_link_still_opens_the_page_without_its_partner_and_a_bad_door_is_the_page()
 {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let unknown = PartnerKey::from_random([1; 12]);
    for query in [
        format!("partner={unknown}&via=qr"),
        "partner=NOT%3Ca%3Ekey&via=email".to_owned(),
        format!("partner={}&via=%3Cscript%3E", p.key),
    ] {
        let resp = app.get(&format!("/p/{}?{query}", p.id), None).await;
        assert_eq!(resp.status(), 200, "{query}");
        let html = resp.text().await.unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("NOT<a>"),
            "{query}"
        );
        if query.starts_with(&format!("partner={}", p.key)) {
            // A known key with a door that is none: the key stays, the door is the page.
            assert!(html.contains(&format!(r#"data-concerto-partner="{}""#, p.key)));
        } else {
            assert!(!html.contains("data-concerto-partner"), "{query}: {html}");
            assert!(!html.contains("source.partner"), "{query}");
        }
        let door = if query.ends_with("via=qr") {
            "qr"
        } else {
            "page"
        };
        assert!(
            html.contains(&format!(r#"data-concerto-via="{door}""#)),
            "{query}"
        );
        assert!(html.contains(&format!(r#"name="source.via" value="{door}""#)));
    }
}

#[tokio::test]
async fn the_form_posted_without_script_from_the_partner_s_qr_code_stores_its_partner_and_door() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let sid = new_submission_id();
    let resp = post_form(
        &app,
        &p.id,
        &[
            ("submission.id", &sid),
            ("source.partner", p.key.as_str()),
            ("source.via", "qr"),
            ("venue", "oui"),
            ("note", "4"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains(r#"data-testid="thanks""#)
    );
    let answer = stored(&app, &p, &sid).await;
    assert_eq!(answer["partner"], p.partner.as_str(), "{answer}");
    assert_eq!(answer["via"], "qr");

    // Sent back with an error, the form keeps its partner and door for the next post.
    let again = new_submission_id();
    let resp = post_form(
        &app,
        &p.id,
        &[
            ("submission.id", &again),
            ("source.partner", p.key.as_str()),
            ("source.via", "qr"),
            ("note", "4"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!(r#"name="source.partner" value="{}""#, p.key)));
    assert!(html.contains(r#"name="source.via" value="qr""#));

    // Without the fields (an old page), the page's door and no partner; a door that is none
    // is the page's too.
    for extra in [None, Some(("source.via", "somewhere"))] {
        let own = new_submission_id();
        let mut form = vec![
            ("submission.id", own.as_str()),
            ("venue", "non"),
            ("note", "2"),
        ];
        form.extend(extra);
        assert_eq!(post_form(&app, &p.id, &form).await.status(), 200);
        let answer = stored(&app, &p, &own).await;
        assert_eq!(answer.get("partner"), None, "{answer}");
        assert_eq!(answer["via"], "page");
    }
}

#[tokio::test]
async fn a_form_posted_with_a_key_that_is_none_of_the_partners_is_refused_naming_partner() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let unknown = PartnerKey::from_random([1; 12]);
    let resp = post_form(
        &app,
        &p.id,
        &[
            ("submission.id", &new_submission_id()),
            ("source.partner", unknown.as_str()),
            ("source.via", "qr"),
            ("venue", "oui"),
            ("note", "4"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(fields(&problem(resp).await), vec!["partner"]);
}

#[tokio::test]
async fn the_owner_s_qr_code_of_a_partner_reads_back_as_the_partner_s_link_from_a_qr_code() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{}", p.id), Some(&p.owner_token))
        .await
        .json()
        .await
        .unwrap();
    let url = poll["standalone_url"].as_str().unwrap().to_owned();
    let read = svg_link(
        &app,
        &format!("/api/v1/org/polls/{}/qr.svg?partner={}", p.id, p.key),
        &p.owner_token,
    )
    .await;
    assert_eq!(read, format!("{url}?partner={}&via=qr", p.key));
    // The link it gives opens the page with the partner and the QR door.
    let path = read.strip_prefix(&app.base).unwrap().to_owned();
    let html = app.get(&path, None).await.text().await.unwrap();
    assert!(html.contains(&format!(
        r#"data-concerto-partner="{}" data-concerto-via="qr""#,
        p.key
    )));
    // The PNG too.
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{}/qr.png?partner={}", p.id, p.key),
            Some(&p.owner_token),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(png_link(&bytes), format!("{url}?partner={}&via=qr", p.key));
}

#[tokio::test]
async fn a_qr_code_for_a_malformed_key_or_another_s_partner_is_a_400_naming_partner() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let unknown = PartnerKey::from_random([1; 12]);
    for (key, why) in [
        ("NOT-A-KEY".to_owned(), "format"),
        (unknown.to_string(), "unknown"),
    ] {
        for ext in ["svg", "png"] {
            let resp = app
                .get(
                    &format!("/api/v1/org/polls/{}/qr.{ext}?partner={key}", p.id),
                    Some(&p.owner_token),
                )
                .await;
            assert_eq!(resp.status(), 400, "{key}");
            let problem = problem(resp).await;
            assert_eq!(fields(&problem), vec!["partner"], "{key}: {problem}");
            assert_eq!(problem["errors"][0]["code"], why, "{key}: {problem}");
        }
    }
    // Another organisation's consultation stays a 404, with its partner's key or not.
    let (_, other) = app.org("Une autre association").await;
    let resp = app
        .get(
            &format!("/api/v1/org/polls/{}/qr.svg?partner={}", p.id, p.key),
            Some(&other),
        )
        .await;
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn the_iframe_page_on_a_partner_s_site_carries_its_key_for_the_widget() {
    let app = spawn_app().await;
    let p = partnered(&app).await;
    let resp = app
        .get(
            &format!("/embed/{}?origin={VELO}&partner={}", p.id, p.key),
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains(VELO), "{csp}");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(&format!(
            r#"<div data-concerto-poll="{}" data-concerto-partner="{}"></div>"#,
            p.id, p.key
        )),
        "{html}"
    );
    // A key that is none of its partners', or no key: the owner's.
    let unknown = PartnerKey::from_random([1; 12]);
    for query in [
        format!("&partner={unknown}"),
        "&partner=%22%3E".to_owned(),
        String::new(),
    ] {
        let html = app
            .get(&format!("/embed/{}?origin={VELO}{query}", p.id), None)
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("data-concerto-partner"), "{query}: {html}");
    }
}
