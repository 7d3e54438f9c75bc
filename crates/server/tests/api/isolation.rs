//! Organisations never reach each other's data, by token or by session, on any organiser
//! route; and no other site can make a logged-in organiser's browser change anything.
//!
//! The matrix below must name every organiser route the app declares
//! (`concerto_server::app::organiser_route_list`): a route added without an entry here fails
//! `the_matrix_covers_every_organiser_route_the_app_declares`.

use crate::helpers::*;
use concerto_server::app::{account_route_list, organiser_route_list};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// What a route must do when organisation A calls it about organisation B's consultation.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// It names B's consultation: 404, and nothing of B's changes.
    NotFound,
    /// It lists: only A's own consultations.
    OwnList,
    /// It creates a consultation: in A's organisation.
    CreatesForOwnOrg,
    /// It invites an organiser: into A's organisation.
    InvitesToOwnOrg,
    /// It reads the activity log: only A's own.
    OwnActivity,
    /// It lists the team: only A's own organisers and invitations.
    OwnTeam,
    /// It lists the other organisations of the server: never A itself.
    Directory,
    /// It lists the consultations A co-hosts: not B's, which did not invite A.
    OwnPartnerships,
}

/// Every organiser route, with what isolation means for it.
const MATRIX: &[(&str, &str, Expect)] = &[
    ("GET", "/api/v1/org/polls", Expect::OwnList),
    ("POST", "/api/v1/org/polls", Expect::CreatesForOwnOrg),
    ("GET", "/api/v1/org/polls/{id}", Expect::NotFound),
    ("PUT", "/api/v1/org/polls/{id}", Expect::NotFound),
    ("POST", "/api/v1/org/polls/{id}/open", Expect::NotFound),
    ("POST", "/api/v1/org/polls/{id}/close", Expect::NotFound),
    ("POST", "/api/v1/org/polls/{id}/duplicate", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/results", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/codes", Expect::NotFound),
    ("POST", "/api/v1/org/polls/{id}/codes", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/export.csv", Expect::NotFound),
    (
        "GET",
        "/api/v1/org/polls/{id}/export.json",
        Expect::NotFound,
    ),
    ("GET", "/api/v1/org/polls/{id}/export.ods", Expect::NotFound),
    (
        "GET",
        "/api/v1/org/polls/{id}/export.xlsx",
        Expect::NotFound,
    ),
    ("GET", "/api/v1/org/polls/{id}/events", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/timeline", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/texts", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/crosstab", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/qr.svg", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/qr.png", Expect::NotFound),
    ("DELETE", "/api/v1/org/polls/{id}", Expect::NotFound),
    ("GET", "/api/v1/org/polls/{id}/responses", Expect::NotFound),
    (
        "DELETE",
        "/api/v1/org/polls/{id}/responses",
        Expect::NotFound,
    ),
    (
        "GET",
        "/api/v1/org/polls/{id}/responses/{submission}",
        Expect::NotFound,
    ),
    (
        "DELETE",
        "/api/v1/org/polls/{id}/responses/{submission}",
        Expect::NotFound,
    ),
    ("GET", "/api/v1/org/activity", Expect::OwnActivity),
    ("POST", "/api/v1/org/invitations", Expect::InvitesToOwnOrg),
    (
        "DELETE",
        "/api/v1/org/invitations/{invitation}",
        Expect::NotFound,
    ),
    ("GET", "/api/v1/org/team", Expect::OwnTeam),
    ("GET", "/api/v1/org/directory", Expect::Directory),
    ("GET", "/api/v1/org/polls/{id}/partners", Expect::NotFound),
    ("POST", "/api/v1/org/polls/{id}/partners", Expect::NotFound),
    (
        "DELETE",
        "/api/v1/org/polls/{id}/partners/{org}",
        Expect::NotFound,
    ),
    ("GET", "/api/v1/org/partnerships", Expect::OwnPartnerships),
    ("GET", "/api/v1/org/partnerships/{id}", Expect::NotFound),
    ("DELETE", "/api/v1/org/partnerships/{id}", Expect::NotFound),
    (
        "POST",
        "/api/v1/org/partnerships/{id}/accept",
        Expect::NotFound,
    ),
    (
        "PUT",
        "/api/v1/org/partnerships/{id}/origins",
        Expect::NotFound,
    ),
    (
        "GET",
        "/api/v1/org/partnerships/{id}/qr.svg",
        Expect::NotFound,
    ),
    (
        "GET",
        "/api/v1/org/partnerships/{id}/qr.png",
        Expect::NotFound,
    ),
];

/// The organisation a partner route names: one that is no partner of anything.
const SOME_ORG: &str = "quelque-asso";

/// The id of the answer B's consultation holds.
const B_SUBMISSION: &str = "0b6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b";

/// `path` with its parameters filled in: B's consultation, an invitation token, and B's
/// pending invitation (as the team page names it).
fn fill(path: &str, poll: &str, invitation: &str, pending: &str) -> String {
    // B's answer: the tests submit it with this id.
    let filled = path
        .replace("{id}", poll)
        .replace("{token}", invitation)
        .replace("{invitation}", pending)
        .replace("{submission}", B_SUBMISSION)
        .replace("{org}", SOME_ORG);
    assert!(
        !filled.contains('{'),
        "{path}: a new path parameter; teach these tests what to put there"
    );
    filled
}

/// How a request proves who it is.
#[derive(Clone, Copy, Debug)]
enum Auth<'a> {
    Token(&'a str),
    Cookie(&'a str),
}

async fn call(app: &TestApp, method: &str, path: &str, auth: Auth<'_>) -> reqwest::Response {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut spec = sample_spec();
    spec["title"] = json!("Détourné");
    let mut req = match auth {
        Auth::Token(t) => app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(t),
        Auth::Cookie(c) => app.with_cookie(method.clone(), path, c),
    };
    if method == Method::PUT || method == Method::POST {
        req = req.json(&spec);
    }
    req.send().await.unwrap()
}

#[test]
fn the_matrix_covers_every_organiser_route_the_app_declares() {
    let declared: BTreeSet<(String, String)> = organiser_route_list()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    let tested: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        declared.difference(&tested).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "organiser routes without an isolation entry"
    );
    assert_eq!(
        tested.difference(&declared).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "matrix entries for routes that do not exist"
    );
}

/// B's consultation as B sees it: state, title, answers, exports.
async fn snapshot(app: &TestApp, id: &str, tok: &str) -> Value {
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(tok))
        .await
        .json()
        .await
        .unwrap();
    let export: Value = app
        .get(&format!("/api/v1/org/polls/{id}/export.json"), Some(tok))
        .await
        .json()
        .await
        .unwrap();
    let list: Vec<Value> = app
        .get("/api/v1/org/polls", Some(tok))
        .await
        .json()
        .await
        .unwrap();
    // Its team: a revoked invitation would be missing from it.
    let team = app.team(tok).await;
    json!({
        "team": team,
        "state": poll["state"],
        "spec": poll["spec"],
        "updated_at": poll["updated_at"],
        "responses": poll["responses"],
        "export": export,
        "list": list.iter().map(|p| p["id"].clone()).collect::<Vec<_>>(),
    })
}

#[tokio::test]
async fn no_organisation_reads_or_writes_anothers_data_on_any_organiser_route() {
    let app = spawn_app().await;
    let (id_b, tok_b) = app.open_poll().await;
    assert_eq!(
        app.submit(&id_b, B_SUBMISSION, &sample_answers())
            .await
            .status(),
        201
    );
    let (org_a, tok_a) = app.org("Organisation A").await;
    let organiser_a = app.organiser(&tok_a).await;
    let pending_b = concerto_server::token::hash(&app.invitation(&tok_b).await);
    let before = snapshot(&app, &id_b, &tok_b).await;

    for auth in [Auth::Token(&tok_a), Auth::Cookie(&organiser_a.cookie)] {
        for (method, pattern, expect) in MATRIX {
            let path = fill(pattern, &id_b, "", &pending_b);
            let what = format!("{method} {path} with {auth:?}");
            let resp = call(&app, method, &path, auth).await;
            match expect {
                Expect::NotFound => {
                    assert_eq!(resp.status(), 404, "{what}");
                    problem(resp).await;
                }
                Expect::OwnActivity => {
                    assert_eq!(resp.status(), 200, "{what}");
                    let log: Vec<Value> = resp.json().await.unwrap();
                    assert!(log.iter().all(|e| e["poll_id"] != id_b.as_str()), "{what}");
                }
                Expect::OwnTeam => {
                    assert_eq!(resp.status(), 200, "{what}");
                    let team: Value = resp.json().await.unwrap();
                    let ids = team["invitations"].as_array().unwrap();
                    assert!(ids.iter().all(|i| i["id"] != pending_b.as_str()), "{what}");
                }
                Expect::Directory => {
                    assert_eq!(resp.status(), 200, "{what}");
                    let directory: Value = resp.json().await.unwrap();
                    let orgs = directory["orgs"].as_array().unwrap();
                    assert!(orgs.iter().all(|o| o["id"] != org_a.as_str()), "{what}");
                }
                Expect::OwnPartnerships => {
                    assert_eq!(resp.status(), 200, "{what}");
                    let list: Value = resp.json().await.unwrap();
                    assert_eq!(list["items"], json!([]), "{what}");
                }
                Expect::OwnList => {
                    assert_eq!(resp.status(), 200, "{what}");
                    let list: Vec<Value> = resp.json().await.unwrap();
                    assert!(list.iter().all(|p| p["id"] != id_b.as_str()), "{what}");
                    assert!(list.iter().all(|p| p["org"] == org_a.as_str()), "{what}");
                }
                Expect::CreatesForOwnOrg => {
                    assert_eq!(resp.status(), 201, "{what}");
                    let poll: Value = resp.json().await.unwrap();
                    assert_eq!(poll["org"], org_a.as_str(), "{what}");
                }
                Expect::InvitesToOwnOrg => {
                    assert_eq!(resp.status(), 201, "{what}");
                    let invitation: Value = resp.json().await.unwrap();
                    let email = format!("{}@a.example", concerto_server::token::random_id(6));
                    let resp = app
                        .accept(invitation["token"].as_str().unwrap(), &email, PASSWORD)
                        .await;
                    assert_eq!(resp.status(), 201, "{what}");
                    let who: Value = app
                        .with_cookie(Method::GET, "/api/v1/auth/me", &session_cookie(&resp))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    assert_eq!(who["org"]["id"], org_a.as_str(), "{what}");
                }
            }
        }
    }
    assert_eq!(
        snapshot(&app, &id_b, &tok_b).await,
        before,
        "B's consultation, answers and list are unchanged"
    );
}

#[tokio::test]
async fn cross_site_requests_are_refused_on_every_state_changing_cookie_route() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    let id = app.create_poll(&tok, &sample_spec()).await;
    assert_eq!(app.action(&tok, &id, "open").await.status(), 200);
    let invitation = app.invitation(&tok).await;
    let pending = concerto_server::token::hash(&invitation);
    let before = snapshot(&app, &id, &tok).await;

    let routes: Vec<(Method, &str)> = organiser_route_list()
        .into_iter()
        .chain(account_route_list())
        .filter(|(m, _)| *m != Method::GET)
        .collect();
    assert!(routes.len() >= 9, "{routes:?}");
    let evil = "https://evil.example";
    for (method, pattern) in &routes {
        let path = fill(pattern, &id, &invitation, &pending);
        let body = if path.starts_with("/api/v1/auth/login") {
            json!({"email": organiser.email, "password": PASSWORD})
        } else if path.starts_with("/api/v1/auth/invitations/") {
            json!({"token": invitation, "email": "new@asso.example", "name": "Nouvelle", "password": PASSWORD})
        } else {
            sample_spec()
        };
        let attempts: [(&str, Vec<(&str, &str)>); 3] = [
            ("a foreign Origin", vec![("Origin", evil)]),
            (
                "Sec-Fetch-Site: cross-site",
                vec![("Sec-Fetch-Site", "cross-site"), ("Origin", evil)],
            ),
            (
                "a same-site but cross-origin request",
                vec![("Sec-Fetch-Site", "same-site")],
            ),
        ];
        for (label, headers) in attempts {
            let mut req = app
                .client
                .request(method.clone(), app.url(&path))
                .header("Cookie", &organiser.cookie)
                .json(&body);
            for (name, value) in headers {
                req = req.header(name, value);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 403, "{method} {path} with {label}");
            assert_eq!(
                fields(&problem(resp).await),
                vec!["Origin"],
                "{method} {path}"
            );
        }
    }
    // Nothing happened: the consultation, the session and the invitation are as they were.
    assert_eq!(snapshot(&app, &id, &tok).await, before);
    let me = app
        .with_cookie(Method::GET, "/api/v1/auth/me", &organiser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the session survived logout attempts");
    assert_eq!(
        app.accept(&invitation, "later@asso.example", PASSWORD)
            .await
            .status(),
        201,
        "the invitation was not used"
    );
}

#[tokio::test]
async fn a_cookie_request_without_origin_or_fetch_metadata_may_not_change_anything() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    let id = app.create_poll(&tok, &sample_spec()).await;
    for (method, path) in [
        (Method::POST, format!("/api/v1/org/polls/{id}/open")),
        (Method::POST, "/api/v1/auth/logout".to_owned()),
    ] {
        let resp = app
            .client
            .request(method.clone(), app.url(&path))
            .header("Cookie", &organiser.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{method} {path}");
        problem(resp).await;
    }
    // The same with the dashboard's headers goes through, and reads need none.
    let resp = app
        .with_cookie(
            Method::POST,
            &format!("/api/v1/org/polls/{id}/open"),
            &organiser.cookie,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/org/polls/{id}")))
        .header("Cookie", &organiser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn organiser_and_account_routes_send_no_cors_headers() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    for (method, pattern) in organiser_route_list()
        .into_iter()
        .chain(account_route_list())
    {
        let path = fill(pattern, "unknown", "unknown", "unknown");
        let resp = app
            .client
            .request(method.clone(), app.url(&path))
            .header("Cookie", &organiser.cookie)
            .header("Origin", PARTNER)
            .send()
            .await
            .unwrap();
        for name in resp.headers().keys() {
            assert!(
                !name.as_str().starts_with("access-control-"),
                "{method} {path}: {name}"
            );
        }
        let preflight = app
            .client
            .request(Method::OPTIONS, app.url(&path))
            .header("Origin", PARTNER)
            .header("Access-Control-Request-Method", method.as_str())
            .send()
            .await
            .unwrap();
        assert!(
            preflight
                .headers()
                .keys()
                .all(|n| !n.as_str().starts_with("access-control-")),
            "{method} {path}: preflight"
        );
    }
}
