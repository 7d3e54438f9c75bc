//! Organisers' accounts: invitations, passwords, logins, sessions and their end.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

async fn me(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.with_cookie(Method::GET, "/api/v1/auth/me", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invited_organiser_sets_a_password_and_is_logged_in_to_their_organisation() {
    let app = spawn_app().await;
    let (org, tok) = app.org("Comité des fêtes").await;
    let poll = app.create_poll(&tok, &sample_spec()).await;
    let invitation = app.invitation(&tok).await;
    let resp = app
        .accept(&invitation, " Zoe@Asso.example ", PASSWORD)
        .await;
    assert_eq!(resp.status(), 201);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("concerto_session="));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: no Secure");
    let cookie = session_cookie(&resp);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["user"]["email"], "zoe@asso.example");
    assert!(body["user"].get("password_hash").is_none());

    let who: Value = me(&app, &cookie).await.json().await.unwrap();
    assert_eq!(who["org"]["id"], org.as_str());
    assert_eq!(who["org"]["name"], "Comité des fêtes");
    assert_eq!(who["user"]["name"], "Zoé Martin");

    let list: Vec<Value> = app
        .with_cookie(Method::GET, "/api/v1/org/polls", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], poll.as_str());
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(|s| s.public_url = Some("https://consultation.example".into())).await;
    let (_, tok) = app.org("Mairie").await;
    let invitation = app.invitation(&tok).await;
    let resp = app.accept(&invitation, "a@b.example", PASSWORD).await;
    assert_eq!(resp.status(), 201);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(set_cookie.starts_with("__Host-concerto_session="));
    assert!(set_cookie.contains("; Secure"));
}

#[tokio::test]
async fn an_invitation_can_be_used_only_once() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let invitation = app.invitation(&tok).await;
    assert_eq!(
        app.accept(&invitation, "a@asso.example", PASSWORD)
            .await
            .status(),
        201
    );
    let resp = app.accept(&invitation, "b@asso.example", PASSWORD).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(fields(&problem(resp).await), vec!["token"]);
    assert_eq!(
        app.login("b@asso.example", PASSWORD).await.status(),
        401,
        "no second account was made"
    );
}

#[tokio::test]
async fn an_invitation_expires_after_seven_days() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let fresh = app.invitation(&tok).await;
    let old = app.invitation(&tok).await;
    app.clock.advance(Duration::days(6));
    assert_eq!(
        app.accept(&fresh, "a@asso.example", PASSWORD)
            .await
            .status(),
        201
    );
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    let resp = app.accept(&old, "b@asso.example", PASSWORD).await;
    assert_eq!(resp.status(), 404);
    problem(resp).await;
}

#[tokio::test]
async fn an_unknown_invitation_is_a_404() {
    let app = spawn_app().await;
    let resp = app.accept("cci_nothing", "a@asso.example", PASSWORD).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(fields(&problem(resp).await), vec!["token"]);
}

#[tokio::test]
async fn a_bad_acceptance_names_each_faulty_field_and_keeps_the_invitation() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let invitation = app.invitation(&tok).await;
    let resp = app.accept(&invitation, "not an email", "short").await;
    assert_eq!(resp.status(), 422);
    let p = problem(resp).await;
    assert_eq!(fields(&p), vec!["email", "password"]);
    assert_eq!(p["errors"][1]["code"], "too_short");
    assert_eq!(p["errors"][1]["min"], 12);
    let resp = app
        .accept(&invitation, "a@asso.example", &"x".repeat(1025))
        .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(problem(resp).await["errors"][0]["code"], "too_long");
    assert_eq!(
        app.accept(&invitation, "a@asso.example", PASSWORD)
            .await
            .status(),
        201,
        "a refused acceptance does not use the invitation"
    );
}

#[tokio::test]
async fn a_second_account_with_the_same_email_is_refused() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    let invitation = app.invitation(&tok).await;
    let resp = app
        .accept(&invitation, &organiser.email.to_uppercase(), PASSWORD)
        .await;
    assert_eq!(resp.status(), 409);
    assert_eq!(fields(&problem(resp).await), vec!["email"]);
}

#[tokio::test]
async fn the_right_password_logs_in_and_a_wrong_one_or_an_unknown_email_is_a_401() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;

    let resp = app.login(&organiser.email, PASSWORD).await;
    assert_eq!(resp.status(), 200);
    let cookie = session_cookie(&resp);
    assert_ne!(cookie, organiser.cookie, "each login is a new session");
    assert_eq!(me(&app, &cookie).await.status(), 200);

    let wrong = app
        .login(&organiser.email, "correct horse battery stapler")
        .await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    let wrong = problem(wrong).await;
    let unknown = problem(app.login("nobody@asso.example", PASSWORD).await).await;
    assert_eq!(
        wrong, unknown,
        "the answer does not tell which emails exist"
    );
    assert_eq!(fields(&wrong), vec!["credentials"]);
}

#[tokio::test]
async fn logging_out_revokes_the_session() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    let other = app.login(&organiser.email, PASSWORD).await;
    let other = session_cookie(&other);

    let resp = app
        .with_cookie(Method::POST, "/api/v1/auth/logout", &organiser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert!(
        resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(me(&app, &organiser.cookie).await.status(), 401);
    let resp = app
        .with_cookie(Method::GET, "/api/v1/org/polls", &organiser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    problem(resp).await;
    assert_eq!(
        me(&app, &other).await.status(),
        200,
        "other sessions live on"
    );
}

#[tokio::test]
async fn revoking_all_sessions_ends_every_session_of_the_account_only() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    let second = session_cookie(&app.login(&organiser.email, PASSWORD).await);
    let colleague = app.organiser(&tok).await;

    let resp = app
        .with_cookie(
            Method::POST,
            "/api/v1/auth/sessions/revoke-all",
            &organiser.cookie,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap()["revoked"], 2);
    assert_eq!(me(&app, &organiser.cookie).await.status(), 401);
    assert_eq!(me(&app, &second).await.status(), 401);
    assert_eq!(me(&app, &colleague.cookie).await.status(), 200);
}

#[tokio::test]
async fn a_session_ends_after_twelve_idle_hours() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    app.clock.advance(Duration::hours(11));
    assert_eq!(me(&app, &organiser.cookie).await.status(), 200);
    // 22 hours since login, but only 11 since the last request.
    app.clock.advance(Duration::hours(11));
    assert_eq!(
        me(&app, &organiser.cookie).await.status(),
        200,
        "activity keeps it alive"
    );
    app.clock
        .advance(Duration::hours(12) + Duration::minutes(1));
    let resp = me(&app, &organiser.cookie).await;
    assert_eq!(resp.status(), 401);
    problem(resp).await;
}

#[tokio::test]
async fn a_session_ends_after_seven_days_however_active() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    for _ in 0..16 {
        app.clock.advance(Duration::hours(10));
        assert_eq!(me(&app, &organiser.cookie).await.status(), 200);
    }
    // 160 hours so far; the lifetime is 168.
    app.clock.advance(Duration::hours(9));
    assert_eq!(me(&app, &organiser.cookie).await.status(), 401);
}

#[tokio::test]
async fn login_attempts_are_limited_per_account_and_per_address() {
    let app = spawn_app_with(|s| {
        s.login_account_burst = 3;
        s.login_account_per_minute = 1;
        s.login_address_burst = 6;
        s.login_address_per_minute = 1;
    })
    .await;
    let (_, tok) = app.org("Asso").await;
    let target = app.organiser(&tok).await;
    let other = app.organiser(&tok).await;
    for _ in 0..3 {
        assert_eq!(
            app.login(&target.email, "wrong password!!").await.status(),
            401
        );
    }
    let resp = app.login(&target.email, PASSWORD).await;
    assert_eq!(resp.status(), 429, "even the right password waits");
    assert_eq!(resp.headers()["retry-after"], "60");
    problem(resp).await;

    // Another account from the same address still may, until the address has made six
    // attempts (four above, two here).
    assert_eq!(app.login(&other.email, PASSWORD).await.status(), 200);
    assert_eq!(
        app.login("nobody@asso.example", PASSWORD).await.status(),
        401
    );
    assert_eq!(app.login(&other.email, PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn passwords_are_never_stored_in_clear() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    assert_eq!(app.login(&organiser.email, PASSWORD).await.status(), 200);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&app.data_dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(contains(organiser.email.as_bytes()), "the files were read");
    assert!(contains(b"$argon2id$v=19$"), "the hash is stored");
    assert!(!contains(PASSWORD.as_bytes()), "the password is not");
    let session_id = organiser.cookie.split_once('=').unwrap().1;
    assert!(!contains(session_id.as_bytes()), "nor the session id");
}

#[tokio::test]
async fn me_and_logout_need_a_session_not_a_token() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    for (method, path) in [
        (Method::GET, "/api/v1/auth/me"),
        (Method::POST, "/api/v1/auth/logout"),
        (Method::POST, "/api/v1/auth/sessions/revoke-all"),
    ] {
        let resp = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{method} {path}");
        problem(resp).await;
    }
}

#[tokio::test]
async fn the_operator_command_prints_an_invitation_for_the_first_organiser() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_concerto-server"))
        .args([
            "org",
            "create",
            "--name",
            "Conseil de quartier",
            "--data-dir",
        ])
        .arg(&data)
        .args(["--public-url", "https://consultation.example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let link = stdout
        .lines()
        .find_map(|l| l.strip_prefix("invitation for the first organiser: "))
        .expect("an invitation line");
    let invitation = link
        .strip_prefix("https://consultation.example/admin/invitation#")
        .expect("a link to the dashboard");

    let app = spawn_app_with(|s| s.data_dir = data).await;
    let resp = app
        .accept(invitation, "first@quartier.example", PASSWORD)
        .await;
    assert_eq!(resp.status(), 201);
    let who: Value = me(&app, &session_cookie(&resp)).await.json().await.unwrap();
    assert_eq!(who["org"]["name"], "Conseil de quartier");
}

#[tokio::test]
async fn sessions_past_their_lifetime_are_deleted_when_a_new_one_starts() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let organiser = app.organiser(&tok).await;
    assert_eq!(app.login(&organiser.email, PASSWORD).await.status(), 200);
    let sessions = || {
        let db = rusqlite::Connection::open(app.data_dir.join("concerto.sqlite3")).unwrap();
        db.query_row("SELECT count(*) FROM sessions", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(sessions(), 2);
    app.clock.advance(Duration::days(8));
    assert_eq!(app.login(&organiser.email, PASSWORD).await.status(), 200);
    assert_eq!(sessions(), 1, "only the new session is left");
}

#[tokio::test]
async fn the_team_lists_organisers_and_pending_invitations_which_can_be_revoked() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Comité des fêtes").await;
    let zoe = app.organiser(&tok).await;
    let pending = app.invitation(&tok).await;
    let revoked = app.invitation(&tok).await;

    let team = app.team(&tok).await;
    let organisers = team["organisers"].as_array().unwrap();
    assert_eq!(organisers.len(), 1, "{team}");
    assert_eq!(organisers[0]["email"], zoe.email.as_str());
    assert_eq!(organisers[0]["name"], "Zoé Martin");
    // The invitation used by Zoé is gone; two remain, named by their hash, never the token.
    let invitations = team["invitations"].as_array().unwrap();
    assert_eq!(invitations.len(), 2, "{team}");
    let text = team.to_string();
    assert!(
        !text.contains(&pending) && !text.contains(&revoked),
        "{text}"
    );
    let id_of = |token: &str| concerto_server::token::hash(token);
    // Newest first.
    assert_eq!(invitations[0]["id"], id_of(&revoked).as_str());
    assert_eq!(invitations[1]["id"], id_of(&pending).as_str());

    // Another organisation can neither see nor revoke it.
    let (_, other) = app.org("Autre").await;
    let theirs = app.team(&other).await;
    assert_eq!(theirs["invitations"], json!([]));
    assert_eq!(theirs["organisers"], json!([]));
    let path = format!("/api/v1/org/invitations/{}", id_of(&revoked));
    let resp = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    problem(resp).await;

    // Revoked by its own organisation (from the dashboard, with a session): it no longer works.
    let resp = app
        .with_cookie(Method::DELETE, &path, &zoe.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = app
        .with_cookie(Method::DELETE, &path, &zoe.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let resp = app.accept(&revoked, "tard@asso.example", PASSWORD).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        app.accept(&pending, "ines@asso.example", PASSWORD)
            .await
            .status(),
        201
    );
    // A used invitation cannot be revoked (nor can an id in capitals, or one that is none).
    for id in [
        id_of(&pending),
        id_of(&pending).to_uppercase(),
        "pas-un-id".to_owned(),
    ] {
        let resp = app
            .client
            .delete(app.url(&format!("/api/v1/org/invitations/{id}")))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{id}");
    }
}

#[tokio::test]
async fn an_expired_invitation_is_neither_listed_nor_revoked() {
    let app = spawn_app_with(|s| s.invitation_lifetime_hours = 0).await;
    let (_, tok) = app.org("Comité des fêtes").await;
    let expired = app.invitation(&tok).await;
    let team = app.team(&tok).await;
    assert_eq!(team["invitations"], json!([]), "{team}");
    let path = format!(
        "/api/v1/org/invitations/{}",
        concerto_server::token::hash(&expired)
    );
    let resp = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn an_invitation_token_is_taken_from_the_body_only() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let invitation = app.invitation(&tok).await;
    // In the path, where a proxy's access log would keep it: no such route.
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/auth/invitations/{invitation}")))
        .json(&serde_json::json!({"email": "a@b.example", "name": "A", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    // Without it in the body: the body is refused, naming the field.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/invitations/accept"))
        .json(&serde_json::json!({"email": "a@b.example", "name": "A", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("token"));
    // In the body: the account is made, and the token works once.
    assert_eq!(
        app.accept(&invitation, "a@b.example", PASSWORD)
            .await
            .status(),
        201
    );
    assert_eq!(
        app.accept(&invitation, "c@b.example", PASSWORD)
            .await
            .status(),
        404
    );
}
