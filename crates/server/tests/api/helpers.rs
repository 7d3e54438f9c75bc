//! `spawn_app` and the small vocabulary the API tests share.

use concerto_core::{OrgId, SubmissionId};
use concerto_server::clock::Clock;
use concerto_server::store::Store;
use concerto_server::{Server, Settings, token};
use serde_json::{Value, json};
use std::sync::Arc;

/// The origin of the partner site allowed by `sample_spec`.
pub const PARTNER: &str = "https://asso.example";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    /// The server's clock, which tests may move forward.
    pub clock: Clock,
    /// The data directory.
    pub data_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// A password that passes the rules.
pub const PASSWORD: &str = "correct horse battery staple";

/// An organiser logged in through the browser flow.
pub struct Organiser {
    pub email: String,
    /// The `Cookie` header value carrying the session.
    pub cookie: String,
}

/// Starts a server on a random port with an empty temporary data directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// `spawn_app` with settings adjusted by `adjust`.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::new(
        dir.path().join("data"),
        "127.0.0.1:0".parse().unwrap(),
        dir.path().join("dist"),
    );
    // Cheaper hashes keep the suite quick; the algorithm and the code path are the same.
    settings.password_hash_memory_kib = 1024;
    adjust(&mut settings);
    let server = Server::bind(&settings).await.expect("server binds");
    let base = format!("http://{}", server.addr);
    let store = server.state.store.clone();
    tokio::spawn(server.run(std::future::pending()));
    TestApp {
        base,
        client: reqwest::Client::new(),
        store,
        clock: settings.clock.clone(),
        data_dir: settings.data_dir.clone(),
        _dir: dir,
    }
}

/// A fresh submission id.
pub fn new_submission_id() -> String {
    SubmissionId::from_random_bytes(token::random_bytes()).to_string()
}

/// A consultation with one question of every kind.
pub fn sample_spec() -> Value {
    json!({
        "title": "Le marché du samedi",
        "description": "Aidez-nous à améliorer le marché.",
        "allowed_origins": [PARTNER],
        "questions": [
            {"id": "venue", "prompt": "Venez-vous au marché ?", "required": true, "kind": "single_choice",
             "allow_other": true,
             "options": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}]},
            {"id": "stands", "prompt": "Quels stands ?", "kind": "multiple_choice",
             "min_selections": 1, "max_selections": 2,
             "options": [{"id": "fruits", "label": "Fruits"}, {"id": "fromage", "label": "Fromage"},
                         {"id": "pain", "label": "Pain"}]},
            {"id": "note", "prompt": "Votre note", "required": true, "kind": "rating",
             "min": 1, "max": 5, "min_label": "Bof", "max_label": "Super"},
            {"id": "nom", "prompt": "Votre prénom", "kind": "short_text", "max_length": 20},
            {"id": "idee", "prompt": "Une idée ?", "kind": "long_text", "max_length": 500}
        ]
    })
}

/// A complete valid answer to `sample_spec`.
pub fn sample_answers() -> Value {
    json!({
        "venue": {"option": "oui"},
        "stands": {"options": ["fruits", "pain"]},
        "note": {"rating": 4},
        "nom": {"text": "Zoé"},
        "idee": {"text": "Plus de bancs"}
    })
}

impl TestApp {
    /// Creates an organisation and returns its id and a token.
    pub async fn org(&self, name: &str) -> (OrgId, String) {
        let id = OrgId::parse(token::random_id(10)).unwrap();
        self.store.create_org(&id, name).await.unwrap();
        let tok = token::generate();
        self.store.add_token(&id, &token::hash(&tok)).await.unwrap();
        (id, tok)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates a consultation from `spec` and returns its id (still a draft).
    pub async fn create_poll(&self, token: &str, spec: &Value) -> String {
        let resp = self
            .client
            .post(self.url("/api/v1/org/polls"))
            .bearer_auth(token)
            .json(spec)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "create: {}", resp.text().await.unwrap());
        let body: Value = resp.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }

    /// Posts to an organiser action such as `open` or `close`.
    pub async fn action(&self, token: &str, id: &str, action: &str) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/v1/org/polls/{id}/{action}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// An open consultation from `sample_spec`, with its organiser's token.
    pub async fn open_poll(&self) -> (String, String) {
        let (_, tok) = self.org("Comité des fêtes").await;
        let id = self.create_poll(&tok, &sample_spec()).await;
        assert_eq!(self.action(&tok, &id, "open").await.status(), 200);
        (id, tok)
    }

    /// Submits a raw body as a browser on `origin` would.
    pub async fn submit_raw(
        &self,
        id: &str,
        body: &Value,
        origin: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(&format!("/api/v1/polls/{id}/responses")))
            .json(body);
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        req.send().await.unwrap()
    }

    /// Submits `answers` under `submission_id` from the partner's origin.
    pub async fn submit(
        &self,
        id: &str,
        submission_id: &str,
        answers: &Value,
    ) -> reqwest::Response {
        self.submit_raw(
            id,
            &json!({"submission_id": submission_id, "answers": answers}),
            Some(PARTNER),
        )
        .await
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }
}

impl TestApp {
    /// Asks for an invitation to the organisation of `token` and returns its token.
    pub async fn invitation(&self, token: &str) -> String {
        let resp = self
            .client
            .post(self.url("/api/v1/org/invitations"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        let body: Value = resp.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// The organisation's team (organisers and pending invitations), as the token's
    /// organisation sees it.
    pub async fn team(&self, token: &str) -> Value {
        let resp = self.get("/api/v1/org/team", Some(token)).await;
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    /// The HTML a partner's page gets at `path` (a widget view): asserts a 200 with CORS
    /// headers for the partner and an HTML type.
    pub async fn partner_html(&self, path: &str) -> String {
        let resp = self
            .client
            .get(self.url(path))
            .header("Origin", PARTNER)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["access-control-allow-origin"], PARTNER);
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        resp.text().await.unwrap()
    }

    /// Accepts an invitation with these details.
    pub async fn accept(&self, invitation: &str, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/invitations/accept"))
            .json(&json!({"token": invitation, "email": email, "name": "Zoé Martin", "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Logs in from this server's own pages.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .header("Origin", &self.base)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// A new organiser of the organisation of `token`, invited, registered and logged in.
    pub async fn organiser(&self, token: &str) -> Organiser {
        let email = format!("{}@asso.example", token::random_id(8));
        let invitation = self.invitation(token).await;
        let resp = self.accept(&invitation, &email, PASSWORD).await;
        assert_eq!(resp.status(), 201);
        Organiser {
            email,
            cookie: session_cookie(&resp),
        }
    }

    /// A request with a session cookie, sent as the dashboard would (same origin).
    pub fn with_cookie(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .header("Cookie", cookie)
            .header("Origin", &self.base)
            .header("Sec-Fetch-Site", "same-origin")
    }
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(resp: &reqwest::Response) -> String {
    let set = resp
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// Reads a problem+json body, checking its media type.
pub async fn problem(resp: reqwest::Response) -> Value {
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json");
    resp.json().await.unwrap()
}

/// The `field` of each entry of a problem's `errors`.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
