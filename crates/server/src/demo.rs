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
        "title": {"fr": "Le square Henri-IV se refait une beauté",
                  "en": "A new look for the Henri-IV square"},
        "description": {
            "fr": "La ville et le conseil de quartier préparent le réaménagement du square. Dites-nous comment vous l'utilisez et ce que vous aimeriez y trouver : vos réponses guideront le projet présenté en réunion publique.",
            "en": "The town and the neighbourhood council are preparing the square's redesign. Tell us how you use it and what you would like to find there: your answers will guide the project presented at a public meeting."
        },
        "results_visibility": "after_answering",
        "questions": [
            {"id": "frequence", "required": true,
             "prompt": {"fr": "À quelle fréquence allez-vous au square ?", "en": "How often do you go to the square?"},
             "kind": "single_choice", "allow_other": true, "options": [
                {"id": "chaque-jour", "label": {"fr": "Presque tous les jours", "en": "Almost every day"}},
                {"id": "chaque-semaine", "label": {"fr": "Une ou deux fois par semaine", "en": "Once or twice a week"}},
                {"id": "rarement", "label": {"fr": "Rarement", "en": "Rarely"}},
                {"id": "jamais", "label": {"fr": "Jamais", "en": "Never"}}]},
            {"id": "envies", "required": false,
             "prompt": {"fr": "Qu'aimeriez-vous y trouver ? (deux choix au plus)", "en": "What would you like to find there? (two choices at most)"},
             "kind": "multiple_choice", "min_selections": 1, "max_selections": 2, "options": [
                {"id": "jeux", "label": {"fr": "Des jeux pour enfants", "en": "A playground"}},
                {"id": "ombre", "label": {"fr": "Plus d'arbres et d'ombre", "en": "More trees and shade"}},
                {"id": "bancs", "label": {"fr": "Des bancs et des tables", "en": "Benches and tables"}},
                {"id": "fontaine", "label": {"fr": "Une fontaine à boire", "en": "A drinking fountain"}}]},
            {"id": "satisfaction", "required": true,
             "prompt": {"fr": "Êtes-vous satisfait du square aujourd'hui ?", "en": "Are you happy with the square today?"},
             "kind": "rating", "min": 1, "max": 5,
             "min_label": {"fr": "Pas du tout", "en": "Not at all"},
             "max_label": {"fr": "Tout à fait", "en": "Completely"}},
            {"id": "quartier", "required": false,
             "prompt": {"fr": "Dans quelle rue habitez-vous ?", "en": "Which street do you live in?"},
             "kind": "short_text", "max_length": 80},
            {"id": "idees", "required": false,
             "prompt": {"fr": "Une idée, une remarque ?", "en": "An idea, a remark?"},
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
    // With PostgreSQL nothing else makes the data directory.
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use concerto_core::Language;

    #[test]
    fn the_demo_consultation_is_valid_and_speaks_both_languages() {
        let spec = demo_spec(&[]);
        assert_eq!(spec.check(), Ok(()));
        assert_eq!(
            spec.title.get(Language::En),
            "A new look for the Henri-IV square"
        );
        for q in &spec.questions {
            assert_ne!(q.prompt.get(Language::Fr), q.prompt.get(Language::En));
        }
    }
}
