//! Organiser routes: authentication and the life of a consultation (isolation between
//! organisations is `isolation.rs`).

use crate::helpers::*;
use concerto_server::app::organiser_route_list;
use reqwest::Method;
use serde_json::{Value, json};

async fn call(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.request(
        Method::from_bytes(method.as_bytes()).unwrap(),
        app.url(path),
    );
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if method == "PUT" || method == "POST" {
        req = req.json(&sample_spec());
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn every_organiser_route_refuses_a_missing_or_wrong_token() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    // The app's own table: a route added later is covered without touching this test.
    let routes = organiser_route_list();
    assert!(routes.len() >= 10, "{routes:?}");
    for (method, pattern) in routes {
        let path = pattern
            .replace("{id}", &id)
            .replace("{submission}", &new_submission_id())
            .replace("{invitation}", &"0".repeat(64))
            .replace("{org}", "quelque-asso");
        assert!(!path.contains('{'), "{pattern}: fill in its new parameter");
        for token in [None, Some("cct_wrong"), Some("")] {
            let resp = call(&app, method.as_str(), &path, token).await;
            assert_eq!(resp.status(), 401, "{method} {path} with {token:?}");
            assert!(resp.headers().contains_key("www-authenticate"));
            assert_eq!(fields(&problem(resp).await), vec!["Authorization"]);
        }
    }
}

#[tokio::test]
async fn a_consultation_goes_from_draft_to_open_to_closed_and_can_reopen() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Mairie").await;
    let id = app.create_poll(&tok, &sample_spec()).await;
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(poll["state"], "draft");
    assert!(
        poll["standalone_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/p/{id}"))
    );
    assert!(
        poll["embed_snippet"]
            .as_str()
            .unwrap()
            .contains(&format!("data-concerto-poll=\"{id}\""))
    );
    assert!(
        poll["embed_snippet"]
            .as_str()
            .unwrap()
            .starts_with("<link rel=\"preload\" href=\"http"),
        "the snippet preloads the first view"
    );
    assert!(poll["embed_snippet"].as_str().unwrap().contains(&format!(
        "/api/v1/polls/{id}/view?lang=fr\" as=\"fetch\" crossorigin>"
    )));
    assert!(
        poll["embed_snippet"].as_str().unwrap().contains(
            "/widget/concerto-widget_bg.wasm\" as=\"fetch\" crossorigin fetchpriority=\"low\">"
        ),
        "the snippet preloads the wasm"
    );

    let resp = app.action(&tok, &id, "close").await;
    assert_eq!(resp.status(), 409, "a draft cannot be closed");
    problem(resp).await;
    for (action, state) in [("open", "open"), ("close", "closed"), ("open", "open")] {
        let resp = app.action(&tok, &id, action).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.json::<Value>().await.unwrap()["state"], state);
    }
}

#[tokio::test]
async fn an_edit_replaces_the_definition_residents_see() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let mut spec = sample_spec();
    spec["title"] = json!("Le marché du dimanche");
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/org/polls/{id}")))
        .bearer_auth(&tok)
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let public: Value = app
        .get(&format!("/api/v1/polls/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["title"], "Le marché du dimanche");
}

#[tokio::test]
async fn the_list_holds_only_the_organisations_own_consultations() {
    let app = spawn_app().await;
    let (_, tok_a) = app.org("A").await;
    let (_, tok_b) = app.org("B").await;
    let a1 = app.create_poll(&tok_a, &sample_spec()).await;
    let a2 = app.create_poll(&tok_a, &sample_spec()).await;
    let b1 = app.create_poll(&tok_b, &sample_spec()).await;
    let list: Vec<Value> = app
        .get("/api/v1/org/polls", Some(&tok_a))
        .await
        .json()
        .await
        .unwrap();
    let mut ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = vec![a1.as_str(), a2.as_str()];
    expected.sort();
    assert_eq!(ids, expected);
    assert!(!ids.contains(&b1.as_str()));
}

#[tokio::test]
async fn an_edit_that_would_strand_answers_is_refused_but_rewording_goes_through() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );
    let put = |spec: Value| {
        app.client
            .put(app.url(&format!("/api/v1/org/polls/{id}")))
            .bearer_auth(&tok)
            .json(&spec)
            .send()
    };

    let mut breaking = sample_spec();
    // "oui" was chosen, "fruits" was ticked, a 4 was given, "nom" was answered.
    breaking["questions"][0]["options"] =
        json!([{"id": "non", "label": "Non"}, {"id": "x", "label": "X"}]);
    breaking["questions"][1]["options"][0]["id"] = json!("legumes");
    breaking["questions"][2]["max"] = json!(3);
    breaking["questions"][3] =
        json!({"id": "nom", "prompt": "Prénom", "kind": "rating", "min": 1, "max": 3});
    let resp = put(breaking).await.unwrap();
    assert_eq!(resp.status(), 409, "{}", resp.text().await.unwrap());
    let p = problem(resp).await;
    assert_eq!(
        fields(&p),
        vec![
            "questions[0].options",
            "questions[1].options",
            "questions[2].max",
            "questions[3].kind"
        ]
    );
    assert_eq!(p["errors"][0]["code"], "answered_option_removed");
    assert_eq!(p["errors"][0]["option"], "oui");
    assert_eq!(p["errors"][3]["code"], "kind_changed");

    // Nothing changed.
    let poll: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    let questions = &poll["spec"]["questions"];
    assert_eq!(
        questions[0]["options"],
        sample_spec()["questions"][0]["options"]
    );
    assert_eq!(questions[2]["max"], 5);
    assert_eq!(questions[3]["kind"], "short_text");

    // Wording fixes and additions go through.
    let mut reworded = sample_spec();
    reworded["questions"][0]["prompt"] = json!("Venez-vous souvent au marché ?");
    reworded["questions"][0]["options"][0]["label"] = json!("Oui, souvent");
    reworded["questions"][1]["options"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "fleurs", "label": "Fleurs"}));
    let resp = put(reworded).await.unwrap();
    assert_eq!(resp.status(), 200);
    let poll: Value = resp.json().await.unwrap();
    assert_eq!(
        poll["spec"]["questions"][0]["options"][0]["label"],
        "Oui, souvent"
    );
}

#[tokio::test]
async fn a_consultation_without_answers_may_change_entirely() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    let mut spec = sample_spec();
    spec["questions"] =
        json!([{"id": "autre", "prompt": "Autre chose ?", "kind": "short_text", "max_length": 50}]);
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/org/polls/{id}")))
        .bearer_auth(&tok)
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn a_consultation_is_duplicated_as_a_draft_without_its_answers() {
    let app = spawn_app().await;
    let (id, tok) = app.open_poll().await;
    assert_eq!(
        app.submit(&id, &new_submission_id(), &sample_answers())
            .await
            .status(),
        201
    );
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/org/polls/{id}/duplicate")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let copy: Value = resp.json().await.unwrap();
    assert_ne!(copy["id"], id.as_str());
    assert_eq!(copy["state"], "draft");
    assert_eq!(copy["responses"], 0);
    assert_eq!(copy["spec"]["title"], "Le marché du samedi (copie)");
    let original: Value = app
        .get(&format!("/api/v1/org/polls/{id}"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(copy["spec"]["questions"], original["spec"]["questions"]);
    assert_eq!(original["responses"], 1);
}
