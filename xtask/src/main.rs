//! `cargo xtask`: the one entry point for setting up, building, running and testing Concerto,
//! the same on a fresh machine, a developer's and CI.
//!
//! - `cargo xtask demo [--postgres]`: install what is missing, build the widget, run the
//!   server with the demo consultation and a demo partner page (on a throwaway PostgreSQL
//!   with `--postgres`, else SQLite in `data/`).
//! - `cargo xtask test`: install what is missing, then formatting, lints (native and wasm),
//!   unit and API tests, schemathesis against the OpenAPI document, the store tests on a
//!   throwaway PostgreSQL, the widget build and the browser tests.
//! - `cargo xtask test-postgres`: only the store tests on a throwaway PostgreSQL (no other
//!   tool needed).
//! - `cargo xtask size`: build the widget and print the embed payload (raw, gzip, brotli).
//! - `cargo xtask build`: install what is missing and build the widget bundle into `dist/`
//!   and the organiser dashboard into `dist/admin/`, even when they look up to date (the other
//!   tasks skip that build when nothing it reads has changed).
//! - `cargo xtask bench [--smoke]`: the first-view benchmark (see BENCHMARKS.md).

mod bench;
mod breakdown;
mod build;
mod cmd;
mod leb128;
mod minify;
mod postgres;
mod prune;
mod schemathesis;
mod size;
mod snip;
mod tools;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("test-postgres") => store_on_postgres(&tools::env()),
        Some("test-api-fuzz") => schemathesis::run(&tools::env()),
        // Any named module (one kept through wasm-opt with `-g`, say): the breakdown only.
        Some("size") if args.len() == 3 && args[1] == "--module" => {
            breakdown::report_module(std::path::Path::new(&args[2]));
            Ok(())
        }
        Some("size") => tools::ensure_all(false).and_then(|env| {
            build::all(&env)?;
            size::report(&env)
        }),
        Some("build") => tools::ensure_all(false).and_then(|env| build::all_forced(&env)),
        Some("bench") => bench::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <demo [--postgres] [server flags…] | test | test-postgres | test-api-fuzz | size [--module FILE] | build | bench [--smoke]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds everything and runs the server with the demo until Ctrl-C; with `--postgres`, on a
/// throwaway PostgreSQL cluster instead of SQLite.
fn demo(extra: &[String]) -> Result<(), String> {
    let postgres = extra.iter().any(|a| a == "--postgres");
    let extra: Vec<&String> = extra.iter().filter(|a| *a != "--postgres").collect();
    let env = tools::ensure_all(false)?;
    build::all(&env)?;
    // Ctrl-C ends xtask before it can stop the cluster: the next `demo --postgres` stops and
    // removes the one left in this fixed place.
    let cluster = postgres
        .then(|| {
            postgres::Cluster::start("concerto-demo-postgres", postgres::Durability::Throwaway)
        })
        .transpose()?;
    cmd::step("starting the server with the demo consultation (Ctrl-C to stop)");
    let mut args = vec![
        "run",
        "--package",
        "concerto-server",
        "--",
        "serve",
        "--demo",
        "--data-dir",
        "data",
        "--widget-dir",
        "dist",
    ];
    let url = cluster.as_ref().map(postgres::Cluster::url);
    if let Some(url) = &url {
        args.extend(["--database-url", url.as_str()]);
    }
    args.extend(extra.iter().map(|a| a.as_str()));
    let result = cmd::run(env.cargo(&args));
    drop(cluster);
    result
}

/// The store's contract and the two-server tests again, on a throwaway PostgreSQL cluster
/// (stopped and removed whatever the outcome).
fn store_on_postgres(env: &tools::Env) -> Result<(), String> {
    let cluster = postgres::Cluster::start(
        &format!("concerto-test-postgres-{}", std::process::id()),
        postgres::Durability::Throwaway,
    )?;
    cmd::step("store tests on PostgreSQL");
    let mut tests = env.cargo(&["test", "--package", "concerto-server", "--test", "store"]);
    tests.env("CONCERTO_TEST_DATABASE_URL", cluster.url());
    let result = cmd::run(tests);
    drop(cluster);
    result
}

/// Every check and test, in the order that fails fastest.
fn test() -> Result<(), String> {
    let env = tools::ensure_all(true)?;
    prune::stale_incremental(&env.target_dir);
    cmd::step("formatting");
    cmd::run(env.cargo(&["fmt", "--all", "--", "--check"]))?;
    cmd::step("lints (native)");
    cmd::run(env.cargo(&[
        "clippy",
        "--package",
        "concerto-core",
        "--package",
        "concerto-ui",
        "--package",
        "concerto-server",
        "--package",
        "xtask",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    cmd::step("lints (wasm32)");
    cmd::run(env.cargo(&[
        "clippy",
        "--package",
        "concerto-widget",
        "--package",
        "concerto-dashboard",
        "--package",
        "concerto-ui",
        "--package",
        "concerto-core",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Two invocations: cargo unifies features across one, and the server renders the
    // components with Leptos' `ssr` while the widget and the dashboard run them with `csr`.
    cmd::step("unit and API tests (model, server)");
    cmd::run(env.cargo(&[
        "test",
        "--package",
        "concerto-core",
        "--package",
        "concerto-server",
    ]))?;
    schemathesis::run(&env)?;
    store_on_postgres(&env)?;
    cmd::step("unit tests (components, widget, dashboard)");
    cmd::run(env.cargo(&[
        "test",
        "--package",
        "concerto-ui",
        "--package",
        "concerto-widget",
        "--package",
        "concerto-dashboard",
    ]))?;
    build::all(&env)?;
    cmd::step("browser tests (headless Chromium)");
    let server = env.target_dir.join("debug").join("concerto-server");
    let mut npm = env.command("npm");
    npm.args(["run", "--silent", "test:browser"])
        .env("CONCERTO_SERVER_BIN", &server)
        .env("CONCERTO_WIDGET_DIR", env.root.join("dist"));
    cmd::run(npm)?;
    // Last, and short: only that the benchmark still produces every figure.
    bench::smoke_run(&env, &server)
}
