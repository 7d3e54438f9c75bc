//! Cutting out of the widget's wasm the code that only wasm-streams' exports or a panic reach.
//!
//! Leptos always enables server_fn's browser client, which links wasm-streams, and
//! wasm-bindgen exports its classes (`IntoUnderlyingSource`, …`ByteSource`, …`Sink`). The widget
//! makes no server function call and nothing creates those classes, so wasm-opt drops their
//! exports (`--remove-exports`, see `build`). Their async methods stay all the same: each is
//! turned by `js_sys::futures::future_to_promise` into a task whose poll function sits in the
//! function table, and wasm-opt keeps whatever the table holds. That is 11 KB of code, 3.5 KB
//! of brotli.
//!
//! Before wasm-opt runs, while the module still has its names, the bodies of those functions
//! become a single `unreachable`; wasm-opt then removes what only they called. The widget
//! exports no async function of its own (its only export is `mount`), so no other caller of
//! `future_to_promise` is cut; if one ever appeared, it would trap as soon as it ran, which the
//! browser tests would see.
//!
//! The panic paths go the same way. With `panic = "abort"` a panic already ends in a trap, and
//! on wasm32-unknown-unknown the std hook's message goes nowhere; but the hook, its payloads and
//! the formatting only it reaches stay linked (stable Rust has no `panic_immediate_abort`).
//! The functions every panic goes through (`core::panicking::panic*`, `unwrap_failed`, the
//! slice and allocation failures) all diverge, so trapping at their start changes nothing a
//! resident can see and lets wasm-opt drop the rest: about 3 KB of brotli.

use crate::{breakdown, leb128};
use std::path::Path;
use wasmparser::{Parser, Payload};

/// Where a function's demangled name starts when only wasm-streams' exports reach it (the
/// crate's own functions, and the tasks `future_to_promise` makes of their async bodies), or
/// when it is a diverging panic path. Drop glue is left alone: a linker may have merged it
/// with another type's.
const CUT: &[&str] = &[
    "wasm_streams::",
    "js_sys::futures::future_to_promise",
    "core::panicking::panic",
    "core::panicking::assert_failed",
    "std::panicking::begin_panic",
    "std::panicking::panic_with_hook",
    "std::panicking::rust_panic_with_hook",
    "core::result::unwrap_failed",
    "core::option::expect_failed",
    "core::option::unwrap_failed",
    "core::str::slice_error_fail",
    "core::slice::index::slice_index_fail",
    "core::slice::index::slice_end_index_len_fail",
    "core::slice::index::slice_start_index_len_fail",
    "core::slice::index::slice_index_order_fail",
    "core::slice::copy_from_slice_impl::len_mismatch_fail",
    "alloc::raw_vec::capacity_overflow",
    "alloc::raw_vec::handle_error",
    "alloc::alloc::handle_alloc_error",
];

/// The code section's id.
const CODE_SECTION: u8 = 10;

/// A function body that only traps: no locals, `unreachable`, `end`.
const TRAP: [u8; 3] = [0x00, 0x00, 0x0b];

/// Cuts the functions [`CUT`] names out of the named module at `wasm`, in place. Returns how
/// many were cut.
pub fn dead_paths(wasm: &Path) -> Result<usize, String> {
    let module = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let (out, cut) = cut(&module)?;
    std::fs::write(wasm, out).map_err(|e| format!("{}: {e}", wasm.display()))?;
    Ok(cut)
}

/// `module` with the bodies of the functions [`CUT`] names replaced by [`TRAP`].
fn cut(module: &[u8]) -> Result<(Vec<u8>, usize), String> {
    let mut imported = 0u32;
    let mut bodies = Vec::new();
    let mut code = None;
    let mut names = std::collections::HashMap::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(imports) => {
                imported += breakdown::imported_functions(imports)?;
            }
            Payload::CodeSectionStart {
                unchecked_range, ..
            } => code = Some(to_usize(unchecked_range)?),
            Payload::CodeSectionEntry(body) => bodies.push(to_usize(body.range())?),
            Payload::CustomSection(custom) => breakdown::function_names(&custom, &mut names),
            _ => {}
        }
    }
    let code = code.ok_or("the module has no code")?;
    if names.is_empty() {
        return Err("the module has no function names (trunk's data-keep-debug?)".into());
    }
    let mut section = Vec::with_capacity(code.len());
    leb128::write(&mut section, bodies.len());
    let mut count = 0;
    for (body, index) in bodies.iter().zip(imported..) {
        let name = names.get(&index).map(|n| breakdown::demangled(n));
        let body = if name.is_some_and(|n| CUT.iter().any(|c| n.starts_with(c))) {
            count += 1;
            &TRAP[..]
        } else {
            &module[body.clone()]
        };
        leb128::write(&mut section, body.len());
        section.extend_from_slice(body);
    }
    let header = header_start(module, code.start, code.len())?;
    let mut out = module[..header].to_vec();
    out.push(CODE_SECTION);
    leb128::write(&mut out, section.len());
    out.extend_from_slice(&section);
    out.extend_from_slice(&module[code.end..]);
    Ok((out, count))
}

/// A range of offsets as indices into the module.
fn to_usize(range: std::ops::Range<u64>) -> Result<std::ops::Range<usize>, String> {
    let at = |n: u64| usize::try_from(n).map_err(|_| "an offset past usize".to_owned());
    Ok(at(range.start)?..at(range.end)?)
}

/// Where the header (id, then size) of the code section whose contents start at `start` and
/// run `len` bytes begins. Linkers may pad the size to five bytes, so each width is tried.
fn header_start(module: &[u8], start: usize, len: usize) -> Result<usize, String> {
    (1..=5)
        .filter_map(|width| start.checked_sub(width + 1))
        .find(|&at| module[at] == CODE_SECTION && leb128::read(module, at + 1) == Ok((len, start)))
        .ok_or_else(|| "no code section header".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of one type, one imported function, two functions named `names`, and a
    /// name section; the code section's size padded to five bytes, as wasm-ld writes it.
    fn module(names: [&str; 2]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // Type section: () -> (). Import section: "m" "f", function of type 0.
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        m.extend_from_slice(&[2, 7, 1, 1, b'm', 1, b'f', 0, 0]);
        // Function section: two functions of type 0.
        m.extend_from_slice(&[3, 3, 2, 0, 0]);
        // Code section: each body calls the import (no locals, call 0, end).
        let code = [2, 4, 0, 0x10, 0, 0x0b, 4, 0, 0x10, 0, 0x0b];
        m.push(CODE_SECTION);
        m.extend_from_slice(&[0x80 | code.len() as u8, 0x80, 0x80, 0x80, 0]);
        m.extend_from_slice(&code);
        let mut map = Vec::new();
        leb128::write(&mut map, 2);
        for (i, name) in names.iter().enumerate() {
            leb128::write(&mut map, i + 1);
            leb128::write(&mut map, name.len());
            map.extend_from_slice(name.as_bytes());
        }
        let mut custom = Vec::new();
        leb128::write(&mut custom, 4);
        custom.extend_from_slice(b"name");
        custom.push(1);
        leb128::write(&mut custom, map.len());
        custom.extend_from_slice(&map);
        m.push(0);
        leb128::write(&mut m, custom.len());
        m.extend_from_slice(&custom);
        m
    }

    #[test]
    fn cuts_only_what_only_wasm_streams_reaches() {
        let named = module([
            "_ZN12wasm_streams8readable4pull17h0123456789abcdefE",
            "concerto_widget::mount",
        ]);
        let (out, count) = cut(&named).unwrap();
        assert_eq!(count, 1);
        // Still a module that parses, with the first body a trap and the second as it was.
        let mut bodies = Vec::new();
        for payload in Parser::new(0).parse_all(&out) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                bodies.push(out[to_usize(body.range()).unwrap()].to_vec());
            }
        }
        assert_eq!(bodies, vec![TRAP.to_vec(), vec![0, 0x10, 0, 0x0b]]);
    }

    #[test]
    fn std_panics_are_cut_by_their_demangled_names() {
        let name = breakdown::demangled("core[c5930c85a12de822]::panicking::panic_fmt");
        assert!(CUT.iter().any(|c| name.starts_with(c)));
    }

    #[test]
    fn a_module_without_names_is_refused() {
        let named = module(["a", "b"]);
        // Cut the name section off: the module ends with it.
        let at = named.windows(4).position(|w| w == b"name").unwrap() - 3;
        assert!(cut(&named[..at]).is_err());
    }
}
