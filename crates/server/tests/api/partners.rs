//! Partners over HTTP: the owner invites an organisation of the server, the partner accepts
//! and adds its sites, answers count for the partner they came through; each side sees what
//! it should and nothing more; public views hide small groups.

use crate::helpers::*;
use serde_json::{Value, json};

/// The partner's own site: not among the owner's allowed origins.
const VELO: &str = "https://velo.example";

async fn post_json(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn delete(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .delete(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn json_of(resp: reqwest::Response, status: u16) -> Value {
    let got = resp.status().as_u16();
    let body = resp.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Whether a page of `origin` may send an answer (the CORS preflight).
async fn may_embed(app: &TestApp, id: &str, origin: &str) -> bool {
    let resp = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            app.url(&format!("/api/v1/polls/{id}/responses")),
        )
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    resp.headers()
        .get("access-control-allow-origin")
        .is_some_and(|v| v == origin)
}

/// An answer through `key` (or none), from `origin`.
async fn answer(app: &TestApp, id: &str, key: Option<&str>, origin: &str) -> String {
    let sid = new_submission_id();
    let mut body = json!({"submission_id": sid, "answers": sample_answers()});
    if let Some(k) = key {
        body["partner"] = json!(k);
    }
    let resp = app.submit_raw(id, &body, Some(origin)).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    sid
}

/// An open consultation of the town hall, and an association invited and active on it.
struct Cast {
    id: String,
    owner: String,
    partner_org: String,
    partner: String,
    key: String,
}

async fn cast(app: &TestApp) -> Cast {
    let (_, owner) = app.org("Mairie").await;
    let id = app.create_poll(&owner, &sample_spec()).await;
    assert_eq!(app.action(&owner, &id, "open").await.status(), 200);
    let (partner_org, partner) = app.org("Asso vélo").await;
    let invited = json_of(
        post_json(
            app,
            &format!("/api/v1/org/polls/{id}/partners"),
            &owner,
            &json!({"org": partner_org}),
        )
        .await,
        201,
    )
    .await;
    let accepted = json_of(
        post_json(
            app,
            &format!("/api/v1/org/partnerships/{id}/accept"),
            &partner,
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(accepted["state"], "active");
    json_of(
        put_json(
            app,
            &format!("/api/v1/org/partnerships/{id}/origins"),
            &partner,
            &json!({"origins": [VELO]}),
        )
        .await,
        200,
    )
    .await;
    Cast {
        id,
        owner,
        partner_org: partner_org.to_string(),
        partner,
        key: invited["key"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn an_owner_invites_a_partner_which_accepts_and_adds_its_site() {
    let app = spawn_app().await;
    let (owner_org, owner) = app.org("Mairie").await;
    let id = app.create_poll(&owner, &sample_spec()).await;
    assert_eq!(app.action(&owner, &id, "open").await.status(), 200);
    let (asso, partner) = app.org("Asso vélo").await;

    // The directory lists the other organisations, not the caller's.
    let directory = json_of(app.get("/api/v1/org/directory", Some(&owner)).await, 200).await;
    let ids: Vec<&str> = directory["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [asso.as_str()]);
    assert_eq!(directory["orgs"][0]["name"], "Asso vélo");

    // Refusals name `org`.
    let path = format!("/api/v1/org/polls/{id}/partners");
    for (org, status, code) in [
        (owner_org.as_str(), 422, "owner"),
        ("personne-ici", 422, "unknown"),
    ] {
        let resp = post_json(&app, &path, &owner, &json!({"org": org})).await;
        assert_eq!(resp.status(), status, "{org}");
        let p = problem(resp).await;
        assert_eq!(fields(&p), ["org"]);
        assert_eq!(p["errors"][0]["code"], code);
    }
    let invited = json_of(
        post_json(&app, &path, &owner, &json!({"org": asso})).await,
        201,
    )
    .await;
    assert_eq!(invited["state"], "invited");
    assert_eq!(invited["name"], "Asso vélo");
    let key = invited["key"].as_str().unwrap();
    assert_eq!(key.len(), 12);
    let snippet = invited["embed_snippet"].as_str().unwrap();
    assert!(
        snippet.contains(&format!(
            r#"<div data-concerto-poll="{id}" data-concerto-partner="{key}"></div>"#
        )),
        "{snippet}"
    );
    assert!(
        invited["qr_link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/p/{id}?partner={key}&via=qr"))
    );
    let again = post_json(&app, &path, &owner, &json!({"org": asso})).await;
    assert_eq!(again.status(), 409);
    assert_eq!(fields(&problem(again).await), ["org"]);

    // The partner sees the invitation; its site is not allowed yet, nor may it add one.
    let list = json_of(
        app.get("/api/v1/org/partnerships", Some(&partner)).await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["state"], "invited");
    assert_eq!(list["items"][0]["owner_name"], "Mairie");
    assert_eq!(list["items"][0]["title"], "Le marché du samedi");
    let origins = format!("/api/v1/org/partnerships/{id}/origins");
    let early = put_json(&app, &origins, &partner, &json!({"origins": [VELO]})).await;
    assert_eq!(early.status(), 409);
    assert_eq!(fields(&problem(early).await), ["state"]);
    assert!(!may_embed(&app, &id, VELO).await);
    let qr = app
        .get(
            &format!("/api/v1/org/partnerships/{id}/qr.svg"),
            Some(&partner),
        )
        .await;
    assert_eq!(qr.status(), 409, "no flyer before accepting");

    // Accepted, with a site: that site may embed the consultation now.
    let accept = format!("/api/v1/org/partnerships/{id}/accept");
    let active = json_of(post_json(&app, &accept, &partner, &json!({})).await, 200).await;
    assert_eq!(active["state"], "active");
    let bad = put_json(
        &app,
        &origins,
        &partner,
        &json!({"origins": [VELO, "velo.example/page"]}),
    )
    .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(fields(&problem(bad).await), ["origins[1]"]);
    assert!(!may_embed(&app, &id, VELO).await);
    let set = json_of(
        put_json(&app, &origins, &partner, &json!({"origins": [VELO, VELO]})).await,
        200,
    )
    .await;
    assert_eq!(set["origins"], json!([VELO]));
    assert!(may_embed(&app, &id, VELO).await);
    assert!(
        !may_embed(&app, &id, "https://ailleurs.example").await,
        "only its own sites"
    );
    let qr = app
        .get(
            &format!("/api/v1/org/partnerships/{id}/qr.svg"),
            Some(&partner),
        )
        .await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");

    // The owner sees it active with its site.
    let partners = json_of(app.get(&path, Some(&owner)).await, 200).await;
    assert_eq!(partners["partners"][0]["state"], "active");
    assert_eq!(partners["partners"][0]["origins"], json!([VELO]));
    assert!(partners["partners"][0]["accepted_at"].is_string());
}

#[tokio::test]
async fn answers_count_for_the_partner_they_came_through_and_each_side_sees_its_share() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let through_partner = answer(&app, &c.id, Some(&c.key), VELO).await;
    answer(&app, &c.id, Some(&c.key), VELO).await;
    answer(&app, &c.id, None, PARTNER).await;

    // A key that is none of the consultation's partners is refused, naming `partner`.
    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers(),
        "partner": "abcdefghijkm"});
    let resp = app.submit_raw(&c.id, &body, Some(PARTNER)).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(fields(&problem(resp).await), ["partner"]);

    // The owner: every partner's count, its own, the total.
    let partners = json_of(
        app.get(
            &format!("/api/v1/org/polls/{}/partners", c.id),
            Some(&c.owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(partners["partners"][0]["answers"], 2);
    assert_eq!(partners["own"], 1);
    assert_eq!(partners["total"], 3);
    let one = json_of(
        app.get(
            &format!("/api/v1/org/polls/{}/responses/{through_partner}", c.id),
            Some(&c.owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(one["partner"], c.partner_org.as_str());
    assert_eq!(one["via"], "site");

    // The cross-tab by partner: the owner's group, then the partner's, named.
    let crosstab = json_of(
        app.get(
            &format!(
                "/api/v1/org/polls/{}/crosstab?question=venue&by_partner=true",
                c.id
            ),
            Some(&c.owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(crosstab["by_partner"], true);
    let groups: Vec<(String, String, u64)> = crosstab["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_owned(),
                g["label"].as_str().unwrap().to_owned(),
                g["respondents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("own".to_owned(), "Mairie".to_owned(), 1),
            (
                format!("partner:{}", c.partner_org),
                "Asso vélo".to_owned(),
                2
            ),
        ]
    );
    let both = app
        .get(
            &format!(
                "/api/v1/org/polls/{}/crosstab?question=venue&by=venue&by_partner=true",
                c.id
            ),
            Some(&c.owner),
        )
        .await;
    assert_eq!(both.status(), 400);
    assert_eq!(fields(&problem(both).await), ["by"]);

    // The exports name the partner in their last columns.
    let csv = app
        .get(
            &format!("/api/v1/org/polls/{}/export.csv", c.id),
            Some(&c.owner),
        )
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[header.len() - 2..], ["Partenaire", "Provenance"]);
    let partners_column: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().iter().rev().nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(partners_column, ["Asso vélo", "Asso vélo", ""]);

    // The partner: the overall results, its own count, its share; nobody's answers.
    let view = app
        .get(
            &format!("/api/v1/org/partnerships/{}", c.id),
            Some(&c.partner),
        )
        .await;
    let text = view.text().await.unwrap();
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["own"], 2);
    assert_eq!(view["total"], 3);
    assert_eq!(view["results"]["total"], 3);
    assert_eq!(view["poll"]["questions"].as_array().unwrap().len(), 5);
    assert!(!text.contains("Plus de bancs"), "no written answer: {text}");
    assert!(!text.contains("submission_id"), "no answer: {text}");
}

#[tokio::test]
async fn a_partner_reads_none_of_the_owner_s_answers_nor_another_partner_s_view() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    answer(&app, &c.id, Some(&c.key), VELO).await;
    let (other_org, other) = app.org("Café du coin").await;
    json_of(
        post_json(
            &app,
            &format!("/api/v1/org/polls/{}/partners", c.id),
            &c.owner,
            &json!({"org": other_org}),
        )
        .await,
        201,
    )
    .await;
    let (_, stranger) = app.org("Club d'échecs").await;

    // The owner's routes are the owner's alone, partner or not.
    for token in [&c.partner, &other, &stranger] {
        for path in [
            "responses",
            "export.csv",
            "export.json",
            "export.ods",
            "export.xlsx",
            "texts?question=idee",
            "crosstab?question=venue&by_partner=true",
            "partners",
            "results",
            "timeline",
            "codes",
        ] {
            let resp = app
                .get(&format!("/api/v1/org/polls/{}/{path}", c.id), Some(token))
                .await;
            assert_eq!(resp.status(), 404, "{path}");
        }
        let resp = app
            .get(&format!("/api/v1/org/polls/{}", c.id), Some(token))
            .await;
        assert_eq!(resp.status(), 404);
    }
    // A stranger has no partnership to read; the invited café sees only its own count.
    let resp = app
        .get(
            &format!("/api/v1/org/partnerships/{}", c.id),
            Some(&stranger),
        )
        .await;
    assert_eq!(resp.status(), 404);
    let cafe = json_of(
        app.get(&format!("/api/v1/org/partnerships/{}", c.id), Some(&other))
            .await,
        200,
    )
    .await;
    assert_eq!(cafe["partnership"]["state"], "invited");
    assert_eq!(cafe["own"], 0);
    assert_eq!(cafe["total"], 1);
    // A partner cannot end another's partnership.
    let resp = delete(
        &app,
        &format!("/api/v1/org/polls/{}/partners/{}", c.id, c.partner_org),
        &other,
    )
    .await;
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn an_ended_partnership_closes_the_partner_s_sites_but_its_flyers_still_count() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    assert!(may_embed(&app, &c.id, VELO).await);
    let ended = json_of(
        delete(
            &app,
            &format!("/api/v1/org/polls/{}/partners/{}", c.id, c.partner_org),
            &c.owner,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ended["state"], "ended");
    assert!(!may_embed(&app, &c.id, VELO).await);
    let list = json_of(
        app.get("/api/v1/org/partnerships", Some(&c.partner)).await,
        200,
    )
    .await;
    assert_eq!(list["items"], json!([]));
    // An answer from its printed QR code (the standalone page, this server's origin).
    let own_origin = app.base.clone();
    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers(),
        "partner": c.key, "via": "qr"});
    let resp = app.submit_raw(&c.id, &body, Some(&own_origin)).await;
    assert_eq!(resp.status(), 201);
    let partners = json_of(
        app.get(
            &format!("/api/v1/org/polls/{}/partners", c.id),
            Some(&c.owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(partners["partners"][0]["answers"], 1);
    // Invited again, it keeps its key.
    let again = json_of(
        post_json(
            &app,
            &format!("/api/v1/org/polls/{}/partners", c.id),
            &c.owner,
            &json!({"org": c.partner_org}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(again["key"], c.key.as_str());
    assert_eq!(again["state"], "invited");
    // Leaving is the partner's own way out.
    let resp = delete(
        &app,
        &format!("/api/v1/org/partnerships/{}", c.id),
        &c.partner,
    )
    .await;
    assert_eq!(resp.status(), 204);
    let resp = delete(
        &app,
        &format!("/api/v1/org/partnerships/{}", c.id),
        &c.partner,
    )
    .await;
    assert_eq!(resp.status(), 404);
}

/// The partners' counts of the public results page, as (name, shown count).
fn public_counts(html: &str) -> Vec<(String, String)> {
    html.split(r#"data-testid="partner-count""#)
        .skip(1)
        .map(|item| {
            let text = |class: &str| {
                let start = item.find(&format!(r#"class="{class}">"#)).unwrap() + class.len() + 9;
                item[start..].split('<').next().unwrap().to_owned()
            };
            (text("cc-partners__name"), text("cc-partners__count"))
        })
        .collect()
}

#[tokio::test]
async fn public_results_show_each_partner_s_count_but_hide_small_groups() {
    let app = spawn_app_with(|s| s.public_min_count = 3).await;
    let c = cast(&app).await;
    let (cafe_org, cafe) = app.org("Café du coin").await;
    let invited = json_of(
        post_json(
            &app,
            &format!("/api/v1/org/polls/{}/partners", c.id),
            &c.owner,
            &json!({"org": cafe_org}),
        )
        .await,
        201,
    )
    .await;
    let cafe_key = invited["key"].as_str().unwrap().to_owned();
    // Before the café accepts, the page lists the owner and the active partner only.
    for _ in 0..4 {
        answer(&app, &c.id, None, PARTNER).await;
    }
    for _ in 0..3 {
        answer(&app, &c.id, Some(&c.key), VELO).await;
    }
    let page = |lang: &'static str| {
        let app = &app;
        let id = c.id.clone();
        async move {
            app.client
                .get(app.url(&format!("/p/{id}/results?lang={lang}")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let before = page("fr").await;
    assert_eq!(
        public_counts(&before),
        [
            ("Mairie".to_owned(), "4 réponses".to_owned()),
            ("Asso vélo".to_owned(), "3 réponses".to_owned()),
        ],
        "{before}"
    );
    // The café accepts and brings one answer: its count is hidden, and so is the next
    // smallest, which with the total would give it away.
    json_of(
        post_json(
            &app,
            &format!("/api/v1/org/partnerships/{}/accept", c.id),
            &cafe,
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    let own_origin = app.base.clone();
    let body = json!({"submission_id": new_submission_id(), "answers": sample_answers(),
        "partner": cafe_key, "via": "qr"});
    assert_eq!(
        app.submit_raw(&c.id, &body, Some(&own_origin))
            .await
            .status(),
        201
    );
    let fr = page("fr").await;
    assert_eq!(
        public_counts(&fr),
        [
            ("Mairie".to_owned(), "4 réponses".to_owned()),
            ("Asso vélo".to_owned(), "moins de 3 réponses".to_owned()),
            ("Café du coin".to_owned(), "moins de 3 réponses".to_owned()),
        ]
    );
    assert!(fr.contains("Réponses par partenaire"));
    assert!(fr.contains("un nombre sous 3 n’est pas publié"));
    let en = page("en").await;
    assert_eq!(public_counts(&en)[2].1, "fewer than 3 responses");
    // The embed shows the same, from the same components.
    let embed = app
        .partner_html(&format!(
            "/api/v1/polls/{}/results/view?layout=page&lang=fr",
            c.id
        ))
        .await;
    assert_eq!(public_counts(&embed), public_counts(&fr));
    // The owner's dashboard is not a public view: exact counts there.
    let partners = json_of(
        app.get(
            &format!("/api/v1/org/polls/{}/partners", c.id),
            Some(&c.owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(partners["partners"][1]["answers"], 1);
}

#[tokio::test]
async fn a_consultation_without_partners_shows_no_partner_breakdown() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    answer(&app, &id, None, PARTNER).await;
    let html = app
        .client
        .get(app.url(&format!("/p/{id}/results")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("cc-partners"), "{html}");
}
