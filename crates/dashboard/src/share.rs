//! The ways to put a consultation on a site: the widget's snippet (from the server), the
//! iframe variants for sites that strip scripts or forbid WebAssembly, and its public
//! results' page and snippet.

/// The server's base URL (ending in `/`) from a standalone page's URL (`{base}p/{id}`).
pub fn base_of(standalone_url: &str) -> &str {
    standalone_url
        .rfind("p/")
        .map_or(standalone_url, |i| &standalone_url[..i])
}

/// The iframe embed that sizes itself with a small script.
pub fn frame_snippet(standalone_url: &str, id: &str) -> String {
    let base = base_of(standalone_url);
    format!(
        "<script src=\"{base}embed-frame.js\" async></script>\n<div data-concerto-frame=\"{id}\"></div>"
    )
}

/// The plain iframe, for pages that allow no script at all, at a fixed height; `origin` is
/// the page's origin (one of the consultation's allowed origins).
pub fn iframe_snippet(standalone_url: &str, id: &str, origin: &str) -> String {
    let base = base_of(standalone_url);
    format!(
        "<iframe src=\"{base}embed/{id}?origin={origin}\"\n        title=\"Consultation\" width=\"100%\" height=\"900\" style=\"border: 0\"></iframe>"
    )
}

/// The public results page, beside the standalone page (`{base}p/{id}/results`).
pub fn results_url(standalone_url: &str) -> String {
    format!("{}/results", standalone_url.trim_end_matches('/'))
}

/// The results' snippet: the same loader, a placeholder naming the consultation.
pub fn results_snippet(standalone_url: &str, id: &str) -> String {
    let base = base_of(standalone_url);
    format!(
        "<script src=\"{base}embed.js\" async></script>\n<div data-concerto-results=\"{id}\"></div>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iframe_variants_point_at_the_same_server() {
        let url = "https://consultation.ville.example/p/k3x9m2pq7rtw";
        assert_eq!(base_of(url), "https://consultation.ville.example/");
        assert_eq!(
            frame_snippet(url, "k3x9m2pq7rtw"),
            "<script src=\"https://consultation.ville.example/embed-frame.js\" async></script>\n\
             <div data-concerto-frame=\"k3x9m2pq7rtw\"></div>"
        );
        assert!(
            iframe_snippet(url, "k3x9m2pq7rtw", "https://asso.example").starts_with(
                "<iframe src=\"https://consultation.ville.example/embed/k3x9m2pq7rtw?origin=https://asso.example\""
            )
        );
    }

    #[test]
    fn the_results_page_and_snippet_point_at_the_same_server() {
        let url = "https://consultation.ville.example/p/k3x9m2pq7rtw";
        assert_eq!(
            results_url(url),
            "https://consultation.ville.example/p/k3x9m2pq7rtw/results"
        );
        assert_eq!(
            results_snippet(url, "k3x9m2pq7rtw"),
            "<script src=\"https://consultation.ville.example/embed.js\" async></script>\n\
             <div data-concerto-results=\"k3x9m2pq7rtw\"></div>"
        );
    }
}
