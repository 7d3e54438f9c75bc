//! Where the widget's wasm code goes, by crate.
//!
//! Read from the module cargo links for trunk, before wasm-bindgen and wasm-opt: it still has
//! its `name` section, so every function body in the code section can be put to a crate by
//! its (demangled) name. The figures are before optimisation, so they give shares, not the
//! shipped bytes.

use crate::tools::Env;
use std::collections::HashMap;
use std::path::Path;
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

/// Crates shown one per line; the rest are summed as "other".
const TOP_CRATES: usize = 15;
/// Single functions shown.
const TOP_FUNCTIONS: usize = 10;
/// Longest function name printed, in characters (generic instantiations run to thousands).
const NAME_WIDTH: usize = 110;
/// The group for wasm-bindgen's descriptor functions, which wasm-bindgen runs and removes.
const DESCRIPTORS: &str = "(wasm-bindgen descriptors)";
/// The group for names that are not Rust paths: export shims, memcmp, compiler builtins.
const UNMANGLED: &str = "(exports, builtins)";

/// One function body of the code section.
struct Function {
    /// Demangled, without the hash.
    name: String,
    /// Body bytes, locals included.
    size: u64,
}

/// What the breakdown reads from the module.
struct Module {
    functions: Vec<Function>,
    code_section: u64,
    data_section: u64,
    /// Whether a `name` section with function names was found.
    named: bool,
}

/// Prints the breakdown of the widget's wasm by crate. Never fails: a missing or unreadable
/// module is one line of output.
pub fn report(env: &Env) {
    let path = env
        .target_dir
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("concerto_widget.wasm");
    report_on(&path, Some(&env.root));
}

/// The breakdown of any module with a `name` section (without the note on who linked it).
pub fn report_module(path: &Path) {
    report_on(path, None);
}

/// The breakdown of the module at `path`; `root` is the clone it should have been built from,
/// when it is the widget's, to say when another clone linked it.
fn report_on(path: &Path, root: Option<&Path>) {
    let module = match std::fs::read(path) {
        Ok(bytes) => parse(&bytes),
        Err(_) => {
            println!(
                "\n(no {}: `cargo xtask build` leaves it, for the breakdown by crate)",
                path.display()
            );
            return;
        }
    };
    match module {
        Ok(module) if module.named => {
            print(path, &module);
            write_list(path, &module);
            // The target directory is shared: another clone may have linked it last.
            let Some(root) = root else { return };
            let deps = std::fs::read_to_string(path.with_extension("d")).unwrap_or_default();
            let ours = format!("{}/", root.display());
            if !deps.is_empty() && !deps.contains(&ours) {
                println!(
                    "(note: this module was linked from sources outside {}, by another clone \
                     sharing the target directory)",
                    root.display()
                );
            }
        }
        Ok(_) => println!(
            "\n({} has no function names: the breakdown by crate needs a build that keeps the \
             `name` section)",
            path.display()
        ),
        Err(e) => println!("\n(could not read {}: {e})", path.display()),
    }
}

fn parse(bytes: &[u8]) -> Result<Module, String> {
    let mut imported = 0u32;
    let mut sizes = Vec::new();
    let mut names = HashMap::new();
    let mut code_section = 0;
    let mut data_section = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(imports) => imported += imported_functions(imports)?,
            Payload::CodeSectionStart { size, .. } => code_section = u64::from(size),
            Payload::CodeSectionEntry(body) => sizes.push(body.range().end - body.range().start),
            Payload::DataSection(data) => data_section = data.range().end - data.range().start,
            Payload::CustomSection(custom) => function_names(&custom, &mut names),
            _ => {}
        }
    }
    let named = !names.is_empty();
    let functions = sizes
        .into_iter()
        .zip(imported..)
        .map(|(size, index)| Function {
            name: names
                .get(&index)
                .map_or_else(|| format!("(function {index})"), |name| demangled(name)),
            size,
        })
        .collect();
    Ok(Module {
        functions,
        code_section,
        data_section,
        named,
    })
}

/// How many functions an import section imports: they come first in the function index space.
pub fn imported_functions(imports: wasmparser::ImportSectionReader) -> Result<u32, String> {
    let mut count = 0;
    for import in imports.into_imports() {
        let import = import.map_err(|e| e.to_string())?;
        if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
            count += 1;
        }
    }
    Ok(count)
}

/// Adds the function names of `custom`, when it is the `name` section, to `names` (by function
/// index, imports included).
pub fn function_names<'a>(
    custom: &wasmparser::CustomSectionReader<'a>,
    names: &mut HashMap<u32, &'a str>,
) {
    if let KnownCustom::Name(subsections) = custom.as_known() {
        for subsection in subsections {
            if let Ok(Name::Function(map)) = subsection {
                for naming in map.into_iter().flatten() {
                    names.insert(naming.index, naming.name);
                }
            }
        }
    }
}

/// `symbol` demangled (legacy or v0 mangling) without its hash; other names unchanged but for
/// their crate hashes (wasm-bindgen's output holds v0 names already demangled, hashes kept).
pub fn demangled(symbol: &str) -> String {
    without_crate_hashes(&format!("{:#}", rustc_demangle::demangle(symbol)))
}

/// `name` without the `[0123…]` crate disambiguators of demangled v0 names.
fn without_crate_hashes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let tail = &rest[open + 1..];
        match tail.find(']') {
            Some(close) if tail[..close].bytes().all(|b| b.is_ascii_hexdigit()) => {
                rest = &tail[close + 1..];
            }
            _ => {
                out.push('[');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The crate a demangled function name belongs to: the first path segment, skipping a leading
/// `<` (so `<tachys::html::X as leptos::IntoView>::into_view` is tachys's, the implementing
/// type's crate) and the `drop_in_place` wrapper of drop glue (put to the dropped type).
fn crate_of(name: &str) -> &str {
    if name.starts_with("__wbindgen_describe") {
        return DESCRIPTORS;
    }
    for glue in ["core::ptr::drop_in_place::<", "core::ptr::drop_in_place<"] {
        if let Some(ty) = name.strip_prefix(glue) {
            return first_crate(ty).unwrap_or("core");
        }
    }
    // `<impl Trait for Type>::f`: the type's crate.
    let name = match name.strip_prefix("<impl ") {
        Some(rest) => rest.split_once(" for ").map_or(rest, |(_, ty)| ty),
        None => name,
    };
    if let Some(krate) = first_crate(name) {
        return krate;
    }
    if ["__wbg", "__wbindgen", "__externref"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    {
        return "wasm_bindgen";
    }
    UNMANGLED
}

/// The first identifier followed by `::`, if any.
fn first_crate(s: &str) -> Option<&str> {
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            start.get_or_insert(i);
        } else if let Some(from) = start.take()
            && s[i..].starts_with("::")
            && !s[from..].starts_with(|c: char| c.is_ascii_digit())
        {
            return Some(&s[from..i]);
        }
    }
    None
}

fn print(path: &Path, module: &Module) {
    // Per crate: bytes and function count.
    let mut crates: HashMap<&str, (u64, usize)> = HashMap::new();
    for f in &module.functions {
        let entry = crates.entry(crate_of(&f.name)).or_default();
        entry.0 += f.size;
        entry.1 += 1;
    }
    let descriptors = crates.remove(DESCRIPTORS).unwrap_or_default();
    let mut crates: Vec<(&str, u64, usize)> = crates
        .into_iter()
        .map(|(krate, (bytes, count))| (krate, bytes, count))
        .collect();
    crates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total: u64 = crates.iter().map(|c| c.1).sum();
    let count: usize = crates.iter().map(|c| c.2).sum();
    let share = |bytes: u64| 100.0 * bytes as f64 / total.max(1) as f64;

    println!("\nWhere the wasm's code goes (before wasm-opt, from function names):");
    println!(
        "{} — code section {} bytes, data section {} bytes",
        path.display(),
        module.code_section,
        module.data_section
    );
    println!(
        "{:<28} {:>10} {:>7} {:>10}",
        "crate", "bytes", "share", "functions"
    );
    for (krate, bytes, n) in crates.iter().take(TOP_CRATES) {
        println!("{krate:<28} {bytes:>10} {:>6.1}% {n:>10}", share(*bytes));
    }
    let rest = &crates[crates.len().min(TOP_CRATES)..];
    if !rest.is_empty() {
        let bytes: u64 = rest.iter().map(|c| c.1).sum();
        let n: usize = rest.iter().map(|c| c.2).sum();
        let label = format!("other ({} crates)", rest.len());
        println!("{label:<28} {bytes:>10} {:>6.1}% {n:>10}", share(bytes));
    }
    println!("{:<28} {total:>10} {:>6.1}% {count:>10}", "total", 100.0);
    if descriptors.1 > 0 {
        println!(
            "(not counted: {} wasm-bindgen descriptor functions, {} bytes, which wasm-bindgen \
             removes; the data section, {} bytes, is not split by crate)",
            descriptors.1, descriptors.0, module.data_section
        );
    }

    let mut largest: Vec<&Function> = module
        .functions
        .iter()
        .filter(|f| crate_of(&f.name) != DESCRIPTORS)
        .collect();
    largest.sort_by(|a, b| b.size.cmp(&a.size).then(a.name.cmp(&b.name)));
    println!("\nLargest functions (bytes, before wasm-opt):");
    for f in largest.into_iter().take(TOP_FUNCTIONS) {
        println!("{:>10}  {}", f.size, shortened(&f.name));
    }
}

/// Every function, largest first, as `bytes<TAB>crate<TAB>name` in a file beside the module:
/// the printed summary says where to cut, the list says what each cut is made of.
fn write_list(path: &Path, module: &Module) {
    let mut all: Vec<&Function> = module.functions.iter().collect();
    all.sort_by(|a, b| b.size.cmp(&a.size).then(a.name.cmp(&b.name)));
    let list: String = all
        .iter()
        .map(|f| format!("{}\t{}\t{}\n", f.size, crate_of(&f.name), f.name))
        .collect();
    let out = path.with_extension("functions.tsv");
    match std::fs::write(&out, list) {
        Ok(()) => println!("(every function, largest first: {})", out.display()),
        Err(e) => println!("(could not write {}: {e})", out.display()),
    }
}

/// `name` cut to `NAME_WIDTH` characters.
fn shortened(name: &str) -> String {
    match name.char_indices().nth(NAME_WIDTH) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(symbol: &str) -> String {
        crate_of(&demangled(symbol)).to_string()
    }

    #[test]
    fn demangled_v0_names_lose_their_crate_hashes() {
        assert_eq!(
            demangled("<std[a543996e]::x::Y as core[c5930c85]::Z>::f::<[u8; 4]>"),
            "<std::x::Y as core::Z>::f::<[u8; 4]>"
        );
    }

    #[test]
    fn plain_paths_go_to_their_first_segment() {
        assert_eq!(
            group(
                "_ZN14reactive_graph5graph10subscriber24untrack_with_diagnostics17hd1ab47ddd6b5b721E"
            ),
            "reactive_graph"
        );
        assert_eq!(
            group(
                "_ZN12wasm_bindgen9externref32__wbindgen_externref_statics_end17h5ea31045121aef10E"
            ),
            "wasm_bindgen"
        );
        // v0 mangling (the standard library's).
        assert_eq!(
            group("_RNvMNtCs5cOc02OMXlo_5alloc5allocNtB2_6Global18alloc_impl_runtime"),
            "alloc"
        );
        assert_eq!(
            group("_RNvMsa_NtCsgXGp5Oqx2Ny_4core3fmtNtB5_9Formatter9write_fmt"),
            "core"
        );
        assert_eq!(
            group(
                "_ZN6tachys4view6tuples68_$LT$impl$u20$tachys..view..RenderHtml$u20$for$u20$$LP$A$C$B$RP$$GT$10into_owned17hfdfc21ad45261961E"
            ),
            "tachys"
        );
    }

    #[test]
    fn trait_impls_go_to_the_implementing_type() {
        assert_eq!(
            group(
                "_ZN85_$LT$serde_json..de..VariantAccess$LT$R$GT$$u20$as$u20$serde_core..de..EnumAccess$GT$12variant_seed17h25b19eae555cacdaE"
            ),
            "serde_json"
        );
        assert_eq!(
            group(
                "_ZN187_$LT$concerto_core..poll.._..$LT$impl$u20$serde_core..de..Deserialize$u20$for$u20$concerto_core..poll..QuestionKind$GT$..deserialize..__FieldVisitor$u20$as$u20$serde_core..de..Visitor$GT$11visit_bytes17hc7c7c6e322a0618cE"
            ),
            "concerto_core"
        );
        // A generic type: the trait's crate is all the name tells.
        assert_eq!(
            group(
                "_ZN51_$LT$T$u20$as$u20$reactive_graph..traits..Track$GT$5track17h59c9ecc17f918c70E"
            ),
            "reactive_graph"
        );
        assert_eq!(
            crate_of("<&mut serde_json::ser::Serializer<W> as serde_core::ser::Serializer>::f"),
            "serde_json"
        );
        assert_eq!(
            crate_of("<impl core::fmt::Debug for concerto_ui::Thing>::fmt"),
            "concerto_ui"
        );
    }

    #[test]
    fn drop_glue_goes_to_the_dropped_type() {
        assert_eq!(
            crate_of("core::ptr::drop_in_place<leptos::into_view::View<T>>"),
            "leptos"
        );
        assert_eq!(
            crate_of("core::ptr::drop_in_place::<alloc::string::String>"),
            "alloc"
        );
        assert_eq!(crate_of("core::ptr::drop_in_place<()>"), "core");
    }

    #[test]
    fn other_names() {
        assert_eq!(
            group("__wbindgen_describe___wbg_deleteCell_cab990083d13209e"),
            DESCRIPTORS
        );
        assert_eq!(group("__wbindgen_malloc"), "wasm_bindgen");
        assert_eq!(group("__externref_table_alloc"), "wasm_bindgen");
        assert_eq!(group("memcmp"), UNMANGLED);
        assert_eq!(group("mount_52483b76aa9accb9"), UNMANGLED);
        assert_eq!(shortened(&"é".repeat(200)).chars().count(), NAME_WIDTH + 1);
    }
}
