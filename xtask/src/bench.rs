//! `cargo xtask bench`: the first-view benchmark (tests/bench/first-view.mjs). A resident on a
//! phone with a slow CPU, on a slow and a 4G network, opens the demo consultation embedded in a
//! partner's page, on its standalone page, made with SurveyJS, and as a plain HTML form; the
//! script prints the medians as markdown tables for BENCHMARKS.md.
//!
//! - `cargo xtask bench`: the release bundle and a release server, six loads of each page per
//!   profile. Extra flags go to the script (`--runs 3`, `--profiles slow,4g`).
//! - `cargo xtask bench --smoke [--server PATH]`: one load of each page on one profile with the
//!   given server (else the debug one), checking only that every figure comes out. `cargo
//!   xtask test` runs it last, so that the benchmark cannot rot unnoticed.
//! - `cargo xtask bench server [--postgres] [--servers N] [--seconds N] [--connections N]
//!   [--rates N] [--answers N]`: the server under load (crates/server/examples/ingest/) on a
//!   release build: durable submits per second against `/health` in the same run, p50/p99
//!   at fixed rates, the results read at 0 and a million answers, each export of those.
//!   With `--postgres`, the servers are two processes of the release binary on a cluster of
//!   the benchmark's own.
//!   The smoke run includes a short one in debug.

use crate::build;
use crate::cmd;
use crate::tools::{self, Env};
use std::path::{Path, PathBuf};

/// The benchmark's script, from the repository root.
const SCRIPT: &str = "tests/bench/first-view.mjs";

/// Runs `cargo xtask bench [--smoke] [--server PATH] [script flags…]`, or `cargo xtask bench
/// server [flags…]`.
pub fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("server") {
        let env = tools::ensure_all(false)?;
        let mut flags: Vec<String> = args[1..].to_vec();
        // `--postgres`: on a throwaway PostgreSQL cluster of the benchmark's own.
        let cluster = match flags.iter().position(|f| f == "--postgres") {
            Some(i) => {
                flags.remove(i);
                Some(crate::postgres::Cluster::start(
                    &format!("concerto-bench-postgres-{}", std::process::id()),
                    crate::postgres::Durability::Durable,
                )?)
            }
            None => None,
        };
        if let Some(cluster) = &cluster {
            flags.extend(["--database-url".to_owned(), cluster.url()]);
            // Two server processes, as the operator would run them behind a load balancer.
            cmd::step("building the release server");
            cmd::run(env.cargo(&[
                "build",
                "--release",
                "--package",
                "concerto-server",
                "--bin",
                "concerto-server",
            ]))?;
            let bin = private_copy(
                &env,
                &env.target_dir.join("release").join("concerto-server"),
            )?;
            flags.extend(["--server-bin".to_owned(), bin.display().to_string()]);
        }
        return ingest(&env, true, &flags);
    }
    let mut smoke = false;
    let mut server: Option<PathBuf> = None;
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => smoke = true,
            "--server" => {
                let path = args
                    .next()
                    .ok_or("--server needs the server binary's path")?;
                server = Some(PathBuf::from(path));
            }
            _ => rest.push(arg.clone()),
        }
    }
    let env = tools::ensure_all(true)?;
    build::all(&env)?;
    let server = match server {
        Some(path) => path,
        None if smoke => {
            cmd::step("building the server (debug)");
            cmd::run(env.cargo(&["build", "--package", "concerto-server"]))?;
            env.target_dir.join("debug").join("concerto-server")
        }
        None => {
            // Alone in its invocation: built with the widget, Leptos would get both features.
            cmd::step("building the server (release)");
            cmd::run(env.cargo(&["build", "--release", "--package", "concerto-server"]))?;
            private_copy(
                &env,
                &env.target_dir.join("release").join("concerto-server"),
            )?
        }
    };
    if smoke {
        smoke_run(&env, &server)
    } else {
        let json = env.target_dir.join("bench").join("first-view.json");
        let mut flags = vec!["--json".to_owned(), json.display().to_string()];
        flags.extend(rest);
        node(&env, &server, &flags)
    }
}

/// One load of each page on one profile, with the bundle already in `dist/` and `server`;
/// then a second of the server's ingest.
pub fn smoke_run(env: &Env, server: &Path) -> Result<(), String> {
    node(env, server, &["--smoke".to_owned()])?;
    let flags = [
        "--seconds",
        "1",
        "--connections",
        "4",
        "--rates",
        "200",
        "--answers",
        "2000",
    ]
    .map(str::to_owned);
    ingest(env, false, &flags)
}

/// The server's ingest benchmark, built `release` or debug; `flags` go to it.
fn ingest(env: &Env, release: bool, flags: &[String]) -> Result<(), String> {
    cmd::step("server benchmark (submits against /health, fixed rates, reads, exports)");
    // Alone in its invocation, as the server always is (see above).
    let mut args = vec!["run", "--package", "concerto-server", "--example", "ingest"];
    if release {
        args.push("--release");
    }
    args.push("--");
    args.extend(flags.iter().map(String::as_str));
    cmd::run(env.cargo(&args))
}

/// A copy of `built` that this run alone uses: the target directory is shared by every clone
/// on the machine, and another clone's build may replace `target/release/concerto-server`
/// while the benchmark runs.
fn private_copy(env: &Env, built: &Path) -> Result<PathBuf, String> {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&env.root, &mut hasher);
    let key = std::hash::Hasher::finish(&hasher);
    let dir = env.target_dir.join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let copy = dir.join(format!("concerto-server-{key:016x}"));
    std::fs::copy(built, &copy)
        .map_err(|e| format!("cannot copy {} to {}: {e}", built.display(), copy.display()))?;
    Ok(copy)
}

fn node(env: &Env, server: &Path, flags: &[String]) -> Result<(), String> {
    if !server.exists() {
        return Err(format!("no server binary at {}", server.display()));
    }
    cmd::step(&format!(
        "first-view benchmark (headless Chromium, server {})",
        server.display()
    ));
    let mut node = env.command("node");
    node.arg(SCRIPT)
        .args(flags)
        .env("CONCERTO_SERVER_BIN", server)
        .env("CONCERTO_WIDGET_DIR", env.root.join("dist"));
    cmd::run(node)
}
