//! The toolchain, installed when missing and left alone when present: the wasm target, trunk,
//! wasm-bindgen-cli (the exact version the widget pins), the npm packages (wasm-opt from
//! binaryen, Playwright) and Debian's Chromium (PostgreSQL's binaries are looked for by
//! `postgres`, with [`apt_install`]). Nothing is downloaded at run time.

use crate::cmd;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The trunk release that builds with this toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";
/// Where the browser tests find Chromium.
const CHROMIUM: &str = "/usr/bin/chromium";

/// Paths and environment every step shares.
pub struct Env {
    /// The repository root.
    pub root: PathBuf,
    /// Cargo's target directory, outside the clone so that fresh clones reuse builds.
    pub target_dir: PathBuf,
    path: String,
}

impl Env {
    /// A command run from the root with the shared environment.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("PATH", &self.path)
            .env("CARGO_TARGET_DIR", &self.target_dir);
        c
    }

    /// `cargo` with `args`.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut c = self.command("cargo");
        c.args(args);
        c
    }
}

fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache").join("concerto").join("target")
}

/// The paths and environment, without checking any tool.
pub fn env() -> Env {
    let root = root();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map_or_else(
            || {
                std::env::var_os("HOME")
                    .map_or_else(|| PathBuf::from("/root"), PathBuf::from)
                    .join(".cargo")
            },
            PathBuf::from,
        )
        .join("bin");
    let path = format!(
        "{}:{}:{}",
        root.join("node_modules").join(".bin").display(),
        cargo_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Env {
        root,
        target_dir: target_dir(),
        path,
    }
}

/// Checks every tool, installing what is missing. `browser` also sets up Chromium.
pub fn ensure_all(browser: bool) -> Result<Env, String> {
    let env = env();
    cmd::step("checking tools");
    wasm_target(&env)?;
    npm_packages(&env)?;
    trunk(&env)?;
    wasm_bindgen(&env)?;
    if browser {
        chromium()?;
    }
    Ok(env)
}

fn wasm_target(env: &Env) -> Result<(), String> {
    let installed = cmd::output({
        let mut c = env.command("rustup");
        c.args(["target", "list", "--installed"]);
        c
    })
    .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("    wasm32 target: present");
        return Ok(());
    }
    cmd::step("installing the wasm32-unknown-unknown target");
    let mut c = env.command("rustup");
    c.args(["target", "add", "wasm32-unknown-unknown"]);
    cmd::run(c)
}

fn version_of(env: &Env, program: &str) -> Option<String> {
    let mut c = env.command(program);
    c.arg("--version");
    cmd::output(c)
}

fn trunk(env: &Env) -> Result<(), String> {
    if version_of(env, "trunk").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        eprintln!("    trunk {TRUNK_VERSION}: present");
        return Ok(());
    }
    cmd::step(&format!(
        "installing trunk {TRUNK_VERSION} (several minutes, once)"
    ));
    cmd::run(env.cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
fn pinned_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn wasm_bindgen(env: &Env) -> Result<(), String> {
    let want = pinned_wasm_bindgen(&env.root)?;
    if version_of(env, "wasm-bindgen").is_some_and(|v| v.split_whitespace().nth(1) == Some(&want)) {
        eprintln!("    wasm-bindgen-cli {want}: present");
        return Ok(());
    }
    cmd::step(&format!(
        "installing wasm-bindgen-cli {want} (a few minutes, once)"
    ));
    // Not --locked: one of its locked dependencies is no longer in the registry.
    cmd::run(env.cargo(&[
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={want}"),
        "--force",
    ]))
}

fn npm_packages(env: &Env) -> Result<(), String> {
    let lock = env.root.join("package-lock.json");
    let stamp = env.root.join("node_modules").join(".concerto-installed");
    let lock_text =
        std::fs::read(&lock).map_err(|e| format!("cannot read package-lock.json: {e}"))?;
    if std::fs::read(&stamp).is_ok_and(|s| s == lock_text) {
        eprintln!("    npm packages: present");
        return Ok(());
    }
    if version_of(env, "npm").is_none() {
        return Err(
            "npm is missing: install Node.js 20 or later (e.g. `apt-get install nodejs npm`)"
                .into(),
        );
    }
    cmd::step("installing npm packages (binaryen's wasm-opt, Playwright)");
    let mut c = env.command("npm");
    c.args(["ci", "--no-audit", "--no-fund"]);
    cmd::run(c)?;
    std::fs::write(&stamp, lock_text).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        eprintln!("    chromium: present");
        return Ok(());
    }
    cmd::step("installing Debian's chromium (for the browser tests)");
    apt_install("chromium")
}

/// Installs one of Debian's packages (through sudo unless root).
pub fn apt_install(package: &str) -> Result<(), String> {
    let root = cmd::output({
        let mut c = Command::new("id");
        c.arg("-u");
        c
    })
    .is_some_and(|u| u.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if root {
            Command::new("apt-get")
        } else {
            let mut s = Command::new("sudo");
            s.arg("apt-get");
            s
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    cmd::run(apt(&["update", "-q"]))?;
    cmd::run(apt(&["install", "-y", "-q", package]))
}
