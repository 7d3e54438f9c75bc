//! Building the widget bundle into `dist/` and the organiser dashboard into `dist/admin/`
//! with trunk, offline, then writing gzip and brotli copies beside each file for the server
//! to send to browsers that accept them.
//!
//! Trunk always runs wasm-bindgen and wasm-opt again, even when cargo has nothing to
//! rebuild, and the two builds recompile the widget crate for each other (the dashboard
//! depends on it with more web-sys features), so an unchanged tree still cost minutes per start
//! of `cargo xtask demo`. [`all`] therefore skips each build when nothing it reads has changed
//! since its last one (see [`Fingerprint`]).

use crate::cmd;
use crate::minify::{self, Script};
use crate::snip;
use crate::tools::Env;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Files of the bundle a host page downloads.
pub const PAYLOAD: &[&str] = &[
    "embed.js",
    "widget.css",
    "concerto-widget.js",
    "concerto-widget_bg.wasm",
];

/// Scripts of the bundle that trunk leaves as written and `minify` shrinks.
const WIDGET_SCRIPTS: &[(&str, Script)] = &[
    ("concerto-widget.js", Script::Module),
    ("embed.js", Script::Classic),
    ("embed-frame.js", Script::Classic),
    ("embed-frame-child.js", Script::Classic),
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

/// Scripts of the dashboard that `minify` shrinks.
const DASHBOARD_SCRIPTS: &[(&str, Script)] = &[
    ("concerto-dashboard.js", Script::Module),
    ("boot.js", Script::Module),
];

/// Builds both bundles, each unless it is up to date (see [`Fingerprint`]).
pub fn all(env: &Env) -> Result<(), String> {
    build(env, false)
}

/// Builds both bundles whatever their state (and records what they were built from).
pub fn all_forced(env: &Env) -> Result<(), String> {
    build(env, true)
}

fn build(env: &Env, force: bool) -> Result<(), String> {
    let inputs = Inputs::list(env);
    if inputs.is_none() {
        eprintln!("\n    cannot list the bundles' inputs (no git?): building both");
    }
    let widget_print = inputs.as_ref().map(|i| i.fingerprint(&WIDGET));
    let dashboard_print = inputs.as_ref().map(|i| i.fingerprint(&DASHBOARD_BUNDLE));
    let widget_fresh = !force && up_to_date(env, &WIDGET, widget_print.as_ref());
    // Building the widget empties dist/, dist/admin/ with it.
    let dashboard_fresh =
        widget_fresh && up_to_date(env, &DASHBOARD_BUNDLE, dashboard_print.as_ref());
    if !widget_fresh {
        forget(env, &WIDGET);
        forget(env, &DASHBOARD_BUNDLE);
        widget(env)?;
        record(env, &WIDGET, widget_print.as_ref())?;
    }
    if !dashboard_fresh {
        forget(env, &DASHBOARD_BUNDLE);
        dashboard(env)?;
        record(env, &DASHBOARD_BUNDLE, dashboard_print.as_ref())?;
    }
    Ok(())
}

/// One bundle, as far as knowing whether it is up to date goes.
struct Bundle {
    /// Its name in messages and in its stamp's name.
    name: &'static str,
    /// Inputs of the other bundle only, on top of [`NOT_INPUTS`].
    not_inputs: &'static [&'static str],
    /// Where trunk writes it.
    dist: &'static str,
    /// Part of `dist` that another bundle owns.
    not_outputs: Option<&'static str>,
}

const WIDGET: Bundle = Bundle {
    name: "widget bundle",
    not_inputs: &["crates/dashboard/"],
    dist: "dist",
    not_outputs: Some("dist/admin"),
};

const DASHBOARD_BUNDLE: Bundle = Bundle {
    name: "dashboard",
    not_inputs: &[],
    dist: "dist/admin",
    not_outputs: None,
};

/// Top-level paths whose files never reach either bundle: the server (native only), the
/// tests, this tool (but for [`DIST_STEPS`]), the docs and CI. Everything else tracked (or new
/// and not ignored) counts as an input, so that a new source directory is an input without
/// anyone listing it.
const NOT_INPUTS: &[&str] = &["crates/server/", "tests/", "xtask/", "docs/", ".ci/"];

/// This tool's files that shape what lands in `dist/` after trunk (wasm-opt's flags, the cut,
/// the short names, the minifying): inputs of both bundles, though the rest of `xtask/` is not.
const DIST_STEPS: &[&str] = &[
    "xtask/src/build.rs",
    "xtask/src/leb128.rs",
    "xtask/src/minify.rs",
    "xtask/src/snip.rs",
];

/// Whether `bundle`'s stamp matches `print` and its files as they are now; says why not.
fn up_to_date(env: &Env, bundle: &Bundle, print: Option<&Fingerprint>) -> bool {
    let Some(print) = print else {
        return false;
    };
    let stored = std::fs::read_to_string(stamp_path(env, bundle)).unwrap_or_default();
    match first_difference(&stored, &print.with_outputs(env, bundle)) {
        None => {
            eprintln!(
                "\n==> {} up to date ({} was built from these very inputs)",
                bundle.name, bundle.dist
            );
            true
        }
        Some(why) => {
            eprintln!("\n    {} out of date: {why}", bundle.name);
            false
        }
    }
}

/// Removes `bundle`'s stamp, so that an interrupted build is not taken for a finished one.
fn forget(env: &Env, bundle: &Bundle) {
    let _ = std::fs::remove_file(stamp_path(env, bundle));
}

/// Writes `bundle`'s stamp after its build. `print` holds the inputs as they were *before*
/// the build, so that a file edited during it makes the next check fail.
fn record(env: &Env, bundle: &Bundle, print: Option<&Fingerprint>) -> Result<(), String> {
    let Some(print) = print else {
        return Ok(());
    };
    let stamp = stamp_path(env, bundle);
    if let Some(dir) = stamp.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(&stamp, print.with_outputs(env, bundle))
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// The files that may feed a bundle (tracked, or new and not ignored), with the tools.
struct Inputs {
    root: PathBuf,
    files: Vec<String>,
    tools: String,
}

impl Inputs {
    /// `None` when git cannot list the files (then always build).
    fn list(env: &Env) -> Option<Self> {
        let mut git = env.command("git");
        git.args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ]);
        let listed = cmd::output(git)?;
        let mut files: Vec<String> = listed
            .split('\0')
            .filter(|f| !f.is_empty() && !f.ends_with(".md"))
            .filter(|f| DIST_STEPS.contains(f) || !NOT_INPUTS.iter().any(|p| f.starts_with(p)))
            .map(str::to_owned)
            .collect();
        files.sort_unstable();
        files.dedup();
        let mut tools = String::new();
        for (program, flag) in [("rustc", "-vV"), ("trunk", "--version")] {
            let mut c = env.command(program);
            c.arg(flag);
            let version = cmd::output(c).unwrap_or_default();
            tools.push_str(&format!(
                "tool {program} {}\n",
                version.trim().replace('\n', "; ")
            ));
        }
        // Not in a file that counts as an input: a stamp from before it must not pass.
        tools.push_str(&format!("tool widget-rustflags {ERASE}\n"));
        for var in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_RUSTFLAGS",
        ] {
            if let Some(v) = std::env::var_os(var) {
                tools.push_str(&format!("env {var}={}\n", v.to_string_lossy()));
            }
        }
        Some(Self {
            root: env.root.clone(),
            files,
            tools,
        })
    }

    /// `bundle`'s part of the inputs, stat'ed now.
    fn fingerprint(&self, bundle: &Bundle) -> Fingerprint {
        let mut text = self.tools.clone();
        for f in &self.files {
            if bundle.not_inputs.iter().any(|p| f.starts_with(p)) {
                continue;
            }
            text.push_str(&format!("input {f} {}\n", stat(&self.root.join(f))));
        }
        Fingerprint(text)
    }
}

/// What the last build of a bundle was made from and what it produced, as text: the tool
/// versions, the compiler flags, every input file's size and modification time, and every
/// file the bundle has in `dist/`. A bundle is up to date when the same text comes out again;
/// this also notices deleted inputs, files put back with an older date, a new rustc or trunk,
/// and a `dist/` that someone else rewrote or emptied.
pub struct Fingerprint(String);

impl Fingerprint {
    /// The whole text: the inputs, then every file of `bundle` now in its `dist`.
    fn with_outputs(&self, env: &Env, bundle: &Bundle) -> String {
        let dist = env.root.join(bundle.dist);
        let skip = bundle.not_outputs.map(|p| env.root.join(p));
        let mut outputs = Vec::new();
        walk(&dist, skip.as_deref(), &mut outputs);
        outputs.sort();
        let mut text = self.0.clone();
        if outputs.is_empty() {
            text.push_str("output none\n");
        }
        for path in outputs {
            let name = path
                .strip_prefix(&env.root)
                .unwrap_or(&path)
                .display()
                .to_string();
            text.push_str(&format!("output {name} {}\n", stat(&path)));
        }
        text
    }
}

/// Size and modification time (nanoseconds), or `missing`.
fn stat(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {mtime}", m.len())
        }
        Err(_) => "missing".into(),
    }
}

/// Every file under `dir`, recursively, except under `skip` (nothing when `dir` is absent).
fn walk(dir: &Path, skip: Option<&Path>, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if skip == Some(path.as_path()) {
            continue;
        }
        if path.is_dir() {
            walk(&path, skip, out);
        } else {
            out.push(path);
        }
    }
}

/// The stamp of one bundle of this clone: in the target directory, which clones share (hence
/// the clone's path in its name), not in `dist/`, which the server publishes.
fn stamp_path(env: &Env, bundle: &Bundle) -> PathBuf {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&env.root, &mut hasher);
    let key = std::hash::Hasher::finish(&hasher);
    let name = bundle.name.replace(' ', "-");
    env.target_dir
        .join("xtask")
        .join(format!("{name}-inputs-{key:016x}.txt"))
}

/// Why `current` differs from `stored`, naming the first line that changed; `None` if equal.
fn first_difference(stored: &str, current: &str) -> Option<String> {
    if stored.is_empty() {
        return Some("no record of an earlier build of this clone".into());
    }
    if stored == current {
        return None;
    }
    let old: std::collections::HashSet<&str> = stored.lines().collect();
    let line = current
        .lines()
        .find(|l| !old.contains(l))
        .or_else(|| {
            let new: std::collections::HashSet<&str> = current.lines().collect();
            stored.lines().find(|l| !new.contains(l))
        })
        .unwrap_or("the order of the files");
    // "input src/app.rs 1234 1733…" → "src/app.rs changed".
    let mut words = line.splitn(3, ' ');
    let what = match (words.next(), words.next()) {
        (Some("tool" | "env"), Some(name)) => format!("{name} changed"),
        (Some(_), Some(path)) => format!("{path} changed"),
        _ => line.to_owned(),
    };
    Some(what)
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
    let dist = env.root.join("dist").join("admin");
    short_imports(&dist, "concerto-dashboard");
    minify::scripts(env, &dist, DASHBOARD_SCRIPTS)?;
    // Its stylesheet stays as trunk wrote it: index.html names it with its hash (SRI).
    compress(&dist, DASHBOARD)
}

/// Builds the bundle.
pub fn widget(env: &Env) -> Result<(), String> {
    cmd::step("fetching crates (trunk then builds offline)");
    cmd::run(env.cargo(&["fetch"]))?;
    cmd::step("building the widget bundle (trunk, release)");
    let mut trunk = env.command("trunk");
    trunk.args(["build", "--release"]);
    widget_rustflags(&mut trunk);
    cmd::run(trunk)?;
    let dist = env.root.join("dist");
    let wasm = dist.join("concerto-widget_bg.wasm");
    let cut = snip::dead_paths(&wasm)?;
    eprintln!("    cut {cut} functions: wasm-streams' leftovers and the panic paths");
    optimise(env, &wasm)?;
    short_imports(&dist, "concerto-widget");
    minify::scripts(env, &dist, WIDGET_SCRIPTS)?;
    // The first view carries it inline: its comments would go out with every one.
    minify::stylesheet(&dist.join("widget.css"))?;
    compress(&dist, PAYLOAD)
}

/// The flag the widget's wasm is compiled with (see [`widget_rustflags`]).
const ERASE: &str = "--cfg=erase_components";

/// Adds [`ERASE`], the flag the widget's wasm is compiled with, on top of the caller's: Leptos'
/// `erase_components`, which type-erases each component's view into an `AnyView` (5.3 KB
/// brotli less than the monomorphised views, README "Embed payload"). For the widget only:
/// the dashboard keeps its own build. Cargo puts the flags in its artifacts' file names, so
/// the two builds keep their dependencies apart in the shared target directory rather than
/// rebuilding them for each other. Host crates (proc macros, build scripts) do not get it:
/// trunk passes `--target`.
fn widget_rustflags(trunk: &mut std::process::Command) {
    // Cargo reads CARGO_ENCODED_RUSTFLAGS before RUSTFLAGS: add to the one it reads.
    if let Some(encoded) = std::env::var_os("CARGO_ENCODED_RUSTFLAGS") {
        let encoded = encoded.to_string_lossy();
        let flags = if encoded.is_empty() {
            ERASE.to_owned()
        } else {
            format!("{encoded}\x1f{ERASE}")
        };
        trunk.env("CARGO_ENCODED_RUSTFLAGS", flags);
    } else {
        let flags = match std::env::var("RUSTFLAGS") {
            Ok(f) if !f.trim().is_empty() => format!("{f} {ERASE}"),
            _ => ERASE.to_owned(),
        };
        trunk.env("RUSTFLAGS", flags);
    }
}

/// wasm-opt's flags for the widget: for size, to a fixed point. wasm-opt also drops the
/// exports of wasm-streams' classes (IntoUnderlyingSource, …Sink, …ByteSource): Leptos always
/// enables server_fn's browser client, which links wasm-streams, but the widget makes no server
/// function call and nothing creates these classes (the glue has no import that wraps one;
/// strip-glue.mjs removes them from the glue).
const WASM_OPT: &[&str] = &[
    "-Oz",
    "--converge",
    "--low-memory-unused",
    "--remove-exports=*intounderlying*",
];

/// Runs wasm-opt ([`WASM_OPT`]) on the widget's wasm in place. Here rather than in trunk, so
/// that [`snip`] gets the module with its names first; wasm-opt writes it without them.
fn optimise(env: &Env, wasm: &Path) -> Result<(), String> {
    cmd::step("optimising the widget's wasm (wasm-opt)");
    let out = wasm.with_extension("opt.wasm");
    let mut opt = env.command("wasm-opt");
    opt.args(WASM_OPT).arg(wasm).arg("-o").arg(&out);
    cmd::run(opt)?;
    std::fs::rename(&out, wasm).map_err(|e| format!("{}: {e}", wasm.display()))
}

/// Gives the bundle `name` in `dist` short import names (see [`minify`]). A bundle it
/// cannot rewrite still works with its long names: that is a note, not a failed build.
fn short_imports(dist: &Path, name: &str) {
    let wasm = dist.join(format!("{name}_bg.wasm"));
    let js = dist.join(format!("{name}.js"));
    match minify::imports(&wasm, &js) {
        Ok(saved) => eprintln!("    short import names: {name} {saved} bytes smaller"),
        Err(e) => eprintln!("    {name} keeps its long import names: {e}"),
    }
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

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn equal_texts_need_no_build() {
        let text = "tool rustc 1.95\ninput src/lib.rs 10 1\noutput dist/embed.js 5 2\n";
        assert_eq!(first_difference(text, text), None);
    }

    #[test]
    fn the_reason_names_what_changed() {
        let old = "tool trunk 0.21.14\ninput src/lib.rs 10 1\ninput style/widget.css 4 1\n";
        let touched = old.replace("src/lib.rs 10 1", "src/lib.rs 10 2");
        assert_eq!(
            first_difference(old, &touched).as_deref(),
            Some("src/lib.rs changed")
        );
        let deleted = old.replace("input style/widget.css 4 1\n", "");
        assert_eq!(
            first_difference(old, &deleted).as_deref(),
            Some("style/widget.css changed")
        );
        let upgraded = old.replace("0.21.14", "0.21.15");
        assert_eq!(
            first_difference(old, &upgraded).as_deref(),
            Some("trunk changed")
        );
        assert!(first_difference("", old).is_some());
    }
}
