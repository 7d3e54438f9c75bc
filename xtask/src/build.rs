//! Building the widget bundle into `dist/` with trunk, offline, then writing gzip and brotli
//! copies beside each file for the server to send to browsers that accept them.

use crate::cmd;
use crate::tools::Env;
use std::io::Write;
use std::path::Path;

/// Files of the bundle a host page downloads.
pub const PAYLOAD: &[&str] = &["embed.js", "concerto-widget.js", "concerto-widget_bg.wasm"];

/// Builds the bundle.
pub fn widget(env: &Env) -> Result<(), String> {
    cmd::step("fetching crates (trunk then builds offline)");
    cmd::run(env.cargo(&["fetch"]))?;
    cmd::step("building the widget bundle (trunk, release)");
    let mut trunk = env.command("trunk");
    trunk.args(["build", "--release"]);
    cmd::run(trunk)?;
    let dist = env.root.join("dist");
    for name in PAYLOAD {
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
