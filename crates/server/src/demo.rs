//! The demo: an organisation and a consultation with every kind of question (created once),
//! and a pretend partner site on a second origin that embeds it.

use crate::store::{Store, StoreError};
use crate::token;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use concerto_core::{OrgId, Origin, PollId, PollSpec, PollState};
use std::path::Path;

/// Id of the demo organisation.
pub const DEMO_ORG: &str = "demo";
/// Id of the demo consultation.
pub const DEMO_POLL: &str = "demo";
/// File in the data directory holding the demo organiser token (demo only).
const TOKEN_FILE: &str = "demo-organiser-token.txt";

fn demo_spec(origins: &[Origin]) -> PollSpec {
    let mut spec: PollSpec = serde_json::from_value(serde_json::json!({
        "title": "Le square Henri-IV se refait une beauté",
        "description": "La ville et le conseil de quartier préparent le réaménagement du square. Dites-nous comment vous l'utilisez et ce que vous aimeriez y trouver : vos réponses guideront le projet présenté en réunion publique.",
        "results_visibility": "after_answering",
        "questions": [
            {"id": "frequence", "prompt": "À quelle fréquence allez-vous au square ?", "required": true,
             "kind": "single_choice", "allow_other": true, "options": [
                {"id": "chaque-jour", "label": "Presque tous les jours"},
                {"id": "chaque-semaine", "label": "Une ou deux fois par semaine"},
                {"id": "rarement", "label": "Rarement"},
                {"id": "jamais", "label": "Jamais"}]},
            {"id": "envies", "prompt": "Qu'aimeriez-vous y trouver ? (deux choix au plus)", "required": false,
             "kind": "multiple_choice", "min_selections": 1, "max_selections": 2, "options": [
                {"id": "jeux", "label": "Des jeux pour enfants"},
                {"id": "ombre", "label": "Plus d'arbres et d'ombre"},
                {"id": "bancs", "label": "Des bancs et des tables"},
                {"id": "fontaine", "label": "Une fontaine à boire"}]},
            {"id": "satisfaction", "prompt": "Êtes-vous satisfait du square aujourd'hui ?", "required": true,
             "kind": "rating", "min": 1, "max": 5, "min_label": "Pas du tout", "max_label": "Tout à fait"},
            {"id": "quartier", "prompt": "Dans quelle rue habitez-vous ?", "required": false,
             "kind": "short_text", "max_length": 80},
            {"id": "idees", "prompt": "Une idée, une remarque ?", "required": false,
             "kind": "long_text", "max_length": 1000}
        ]
    }))
    .expect("the demo consultation is valid JSON for a PollSpec");
    spec.allowed_origins = origins.to_vec();
    spec
}

/// Creates the demo organisation and consultation if missing, makes sure `origins` may embed
/// it, and returns the demo organiser token (kept in the data directory between runs).
pub async fn seed(
    store: &dyn Store,
    data_dir: &Path,
    origins: &[Origin],
) -> Result<String, String> {
    let org = OrgId::parse(DEMO_ORG).map_err(|e| e.to_string())?;
    let poll = PollId::parse(DEMO_POLL).map_err(|e| e.to_string())?;
    let err = |e: StoreError| e.to_string();
    if !store.org_exists(&org).await.map_err(err)? {
        store.create_org(&org, "Ville de Démo").await.map_err(err)?;
    }
    match store.org_poll(&org, &poll).await {
        Ok(existing) => {
            let missing: Vec<Origin> = origins
                .iter()
                .filter(|o| !existing.spec.allowed_origins.contains(o))
                .cloned()
                .collect();
            if !missing.is_empty() {
                let mut spec = existing.spec.clone();
                spec.allowed_origins.extend(missing);
                store.update_poll(&org, &poll, &spec).await.map_err(err)?;
            }
        }
        Err(StoreError::NotFound) => {
            store
                .create_poll(&org, &poll, &demo_spec(origins))
                .await
                .map_err(err)?;
            store
                .set_state(&org, &poll, PollState::Open)
                .await
                .map_err(err)?;
        }
        Err(e) => return Err(e.to_string()),
    }
    let path = data_dir.join(TOKEN_FILE);
    if let Ok(saved) = std::fs::read_to_string(&path) {
        let saved = saved.trim().to_owned();
        if store
            .org_for_token(&token::hash(&saved))
            .await
            .map_err(err)?
            == Some(org.clone())
        {
            return Ok(saved);
        }
    }
    let fresh = token::generate();
    store
        .add_token(&org, &token::hash(&fresh))
        .await
        .map_err(err)?;
    std::fs::write(&path, &fresh).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(fresh)
}

/// The pretend partner site: a neighbourhood association's page embedding the demo.
pub fn host_site(server_url: &str) -> Router {
    let page = format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Conseil de quartier Henri-IV</title>
<style>
  body {{ margin: 0; font-family: Georgia, serif; background: #fffaf0; color: #222; }}
  header {{ background: #2d5a27; color: #fff; padding: 1rem; }}
  main {{ max-width: 44rem; margin: 0 auto; padding: 1rem; }}
</style>
</head>
<body>
<header><h1>Conseil de quartier Henri-IV</h1></header>
<main>
<p>Ce site est celui d'une association partenaire : la consultation ci-dessous est servie par
le serveur Concerto de la ville, sur une autre origine.</p>
<script src="{server_url}embed.js" async></script>
<div data-concerto-poll="{DEMO_POLL}"></div>
</main>
</body>
</html>
"#
    );
    Router::new().route("/", get(move || async move { Html(page.clone()) }))
}
