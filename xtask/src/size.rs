//! The embed payload: what a host page downloads to show a widget, raw and compressed.

use crate::build::{DASHBOARD, PAYLOAD, brotli, gzip};
use crate::tools::Env;

/// Prints the size of each file of the payload, and the total.
pub fn report(env: &Env) -> Result<(), String> {
    let dist = env.root.join("dist");
    println!(
        "\nEmbed payload (bytes; the stylesheet is a file of its own, fetched beside the wasm):"
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let mut total = (0, 0, 0);
    let mut code = (0, 0, 0);
    for name in PAYLOAD {
        let raw = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        let (r, g, b) = (raw.len(), gzip(&raw).len(), brotli(&raw).len());
        println!("{name:<28} {r:>10} {g:>10} {b:>10}");
        total = (total.0 + r, total.1 + g, total.2 + b);
        if name.starts_with("concerto-widget") {
            code = (code.0 + r, code.1 + g, code.2 + b);
        }
    }
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "total", total.0, total.1, total.2
    );
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "(widget wasm + glue)", code.0, code.1, code.2
    );
    let admin = env.root.join("dist").join("admin");
    println!("\nOrganiser dashboard, dist/admin (not part of the embed payload):");
    let mut total = (0, 0, 0);
    for name in DASHBOARD {
        let raw = std::fs::read(admin.join(name)).map_err(|e| format!("admin/{name}: {e}"))?;
        let (r, g, b) = (raw.len(), gzip(&raw).len(), brotli(&raw).len());
        println!("{name:<28} {r:>10} {g:>10} {b:>10}");
        total = (total.0 + r, total.1 + g, total.2 + b);
    }
    println!(
        "{:<28} {:>10} {:>10} {:>10}",
        "total", total.0, total.1, total.2
    );
    crate::breakdown::report(env);
    Ok(())
}
