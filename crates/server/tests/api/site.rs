//! The widget bundle and the standalone page.

use crate::helpers::*;

#[tokio::test]
async fn the_bundle_is_served_cross_origin_with_the_right_types() {
    let bundle = tempfile::tempdir().unwrap();
    std::fs::write(bundle.path().join("embed.js"), "/* loader */").unwrap();
    std::fs::write(bundle.path().join("concerto-widget_bg.wasm"), b"\0asm").unwrap();
    let dir = bundle.path().to_path_buf();
    let app = spawn_app_with(move |s| s.widget_dir = dir).await;

    let resp = app.get("/embed.js", None).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        resp.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );

    let resp = app.get("/widget/concerto-widget_bg.wasm", None).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/wasm");
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn the_standalone_page_holds_the_widget_under_a_strict_policy() {
    let app = spawn_app().await;
    let (id, _) = app.open_poll().await;
    let resp = app
        .client
        .get(app.url(&format!("/p/{id}?lang=en")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("data-concerto-poll=\"{id}\"")));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("src=\"/embed.js\""));
    assert!(html.contains("<title>Le marché du samedi – Concerto</title>"));
    assert!(html.contains(">Le marché du samedi</h1>"));

    let resp = app
        .client
        .get(app.url(&format!("/p/{id}")))
        .header("Accept-Language", "de-DE, en;q=0.8")
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn the_standalone_page_of_a_draft_or_unknown_consultation_is_404() {
    let app = spawn_app().await;
    let (_, tok) = app.org("Asso").await;
    let draft = app.create_poll(&tok, &sample_spec()).await;
    assert_eq!(app.get(&format!("/p/{draft}"), None).await.status(), 404);
    assert_eq!(app.get("/p/nothing", None).await.status(), 404);
    assert_eq!(app.get("/p/%3Cb%3E", None).await.status(), 404);
}
