//! Building the widget bundle into `dist/` and the organiser dashboard into `dist/admin/`
//! with trunk, offline, then writing gzip and brotli copies beside each file for the server
//! to send to browsers that accept them.

use crate::cmd;
use crate::tools::Env;
use std::io::Write;
use std::path::Path;

/// Files of the bundle a host page downloads.
pub const PAYLOAD: &[&str] = &[
    "embed.js",
    "widget.css",
    "concerto-widget.js",
    "concerto-widget_bg.wasm",
];

/// Files of the dashboard, in `dist/admin/`.
pub const DASHBOARD: &[&str] = &[
    "index.html",
    "boot.js",
    "concerto-dashboard.js",
    "concerto-dashboard_bg.wasm",
    "dashboard.css",
    "widget.css",
];

/// Builds both bundles: the widget first, because trunk empties its `dist/` (the
/// dashboard's parent) before writing.
pub fn all(env: &Env) -> Result<(), String> {
    widget(env)?;
    dashboard(env)
}

/// Builds the dashboard into `dist/admin/` (its own Trunk.toml, in crates/dashboard, so
/// that trunk's cargo builds only the dashboard).
pub fn dashboard(env: &Env) -> Result<(), String> {
    cmd::step("building the organiser dashboard (trunk, release)");
    let mut trunk = env.command("trunk");
    trunk
        .current_dir(env.root.join("crates").join("dashboard"))
        .args(["build", "--release"]);
    cmd::run(trunk)?;
    compress(&env.root.join("dist").join("admin"), DASHBOARD)
}

/// Builds the bundle.
pub fn widget(env: &Env) -> Result<(), String> {
    cmd::step("fetching crates (trunk then builds offline)");
    cmd::run(env.cargo(&["fetch"]))?;
    cmd::step("building the widget bundle (trunk, release)");
    let mut trunk = env.command("trunk");
    trunk.args(["build", "--release"]);
    cmd::run(trunk)?;
    compress(&env.root.join("dist"), PAYLOAD)
}

/// Writes the gzip and brotli copies of `names` in `dist`.
fn compress(dist: &Path, names: &[&str]) -> Result<(), String> {
    for name in names {
        let path = dist.join(name);
        let raw = std::fs::read(&path)
            .map_err(|e| format!("the build did not produce {}: {e}", path.display()))?;
        write(&dist.join(format!("{name}.gz")), &gzip(&raw))?;
        write(&dist.join(format!("{name}.br")), &brotli(&raw))?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `bytes` gzipped at the best level.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// `bytes` compressed with brotli at the best quality.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        let _ = w.write_all(bytes);
    }
    out
}
