//! The OpenAPI document against the routes table: every route the tables list is documented,
//! and every documented operation is one the router serves.

use crate::helpers::spawn_app;
use axum::http::Method;
use concerto_server::app::{account_route_list, organiser_route_list, public_route_list};
use serde_json::Value;
use std::collections::BTreeSet;

/// Every (method, path) of the routes tables.
fn tabled() -> BTreeSet<(String, String)> {
    organiser_route_list()
        .into_iter()
        .chain(account_route_list())
        .chain(public_route_list())
        .map(|(m, p)| (m.as_str().to_owned(), p.to_owned()))
        .collect()
}

/// Every (method, path) of the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if let Ok(m) = method.to_uppercase().parse::<Method>() {
                out.insert((m.as_str().to_owned(), path.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_document_is_openapi_3_1_served_as_json() {
    let app = spawn_app().await;
    let resp = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["schemas"]["Problem"]["type"], "object",
        "the problem+json body has a schema"
    );
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_of_the_tables() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let documented = documented(&doc);
    let tabled = tabled();
    let missing: Vec<_> = tabled.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&tabled).collect();
    assert!(
        missing.is_empty(),
        "routes not in the document: {missing:?}"
    );
    assert!(extra.is_empty(), "documented but in no table: {extra:?}");
}

#[tokio::test]
async fn the_router_serves_every_documented_operation() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for (method, path) in documented(&doc) {
        // Any value for the parameters: a missing consultation is a 404 of its own kind,
        // told apart from the fallback's by its problem type.
        let url = path
            .replace("{id}", "nope")
            .replace("{submission}", "0b6f9c2e-3d4a-4f6b-9a1e-2c3d4e5f6a7b")
            .replace("{invitation}", &"0".repeat(64));
        let resp = app
            .client
            .request(method.parse().unwrap(), app.url(&url))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        let fallback = body.contains("problem:not-found\"")
            || body.contains("urn:concerto:problem:method-not-allowed");
        assert!(
            !fallback && status != 405,
            "{method} {path}: the router has no such route ({status} {body})"
        );
    }
}

#[tokio::test]
async fn every_refusal_is_documented_as_problem_json() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status}: not problem+json"
                    );
                }
            }
        }
    }
}
