//! Making a bundle in `dist/` smaller after trunk built it, without touching its sources:
//! short import names for the wasm and its glue, terser on the scripts, and a stylesheet
//! without its comments.
//!
//! wasm-bindgen names each function the wasm imports from its glue after the JavaScript it
//! wraps plus a 16-digit hash (`__wbg_getAttribute_c7b80d4010284561`), and the wasm names the
//! glue's module (`./concerto-widget_bg.js`) again for every import. The names are written
//! twice, in the wasm's import section and as the keys of the glue's import object, and the
//! hashes do not compress: 3.8 KB of the widget's brotli payload. Nothing else reads them, so
//! after trunk's build both files get short names (`a`, `b`, … `ba`, …) that agree.
//!
//! Only the import section of the wasm is rewritten; every other section is copied as it is.
//! Anything unexpected (an import that is not a function, a name the glue does not hold
//! exactly once) leaves both files untouched and says why.

use crate::cmd;
use crate::leb128::{read as leb, write as write_leb};
use crate::tools::Env;
use std::path::Path;

/// The import section's id.
const IMPORT_SECTION: u8 = 2;
/// An import's kind byte for a function.
const FUNCTION_IMPORT: u8 = 0;
/// The module name the wasm gets for the glue.
const SHORT_MODULE: &str = "a";

/// Rewrites the imports of `wasm` and the glue `js` in place. Returns how many bytes the two
/// files lost, or why nothing was changed.
pub fn imports(wasm: &Path, js: &Path) -> Result<usize, String> {
    let module = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let glue = std::fs::read_to_string(js).map_err(|e| format!("{}: {e}", js.display()))?;
    let (new_module, new_glue) = rewrite(&module, &glue)?;
    let saved = (module.len() + glue.len()).saturating_sub(new_module.len() + new_glue.len());
    std::fs::write(wasm, new_module).map_err(|e| format!("{}: {e}", wasm.display()))?;
    std::fs::write(js, new_glue).map_err(|e| format!("{}: {e}", js.display()))?;
    Ok(saved)
}

/// `css` without its comments and the blank lines they leave. Quoted strings are kept as
/// they are (a `/*` inside one is text).
pub fn css_without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    let mut lines: Vec<&str> = out
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    lines.push("");
    lines.join("\n")
}

/// Strips the comments of the stylesheet at `path` in place (see [`css_without_comments`]).
pub fn stylesheet(path: &Path) -> Result<(), String> {
    let css = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, css_without_comments(&css)).map_err(|e| format!("{}: {e}", path.display()))
}

/// How a script is loaded, which decides what the minifier may rename at its top level.
#[derive(Clone, Copy)]
pub enum Script {
    /// An ES module (the wasm-bindgen glue): its top-level names are its own.
    Module,
    /// A classic script (the loaders): its top-level names are the page's, kept.
    Classic,
}

/// Minifies the scripts `names` in `dist` in place with terser (from npm): the sources in
/// `public/` keep their comments, residents download neither those nor the glue's long local
/// names (3.4 KB of brotli for the glue and `embed.js`, README "Embed payload").
pub fn scripts(env: &Env, dist: &Path, names: &[(&str, Script)]) -> Result<(), String> {
    let terser = env
        .root
        .join("node_modules")
        .join("terser")
        .join("bin")
        .join("terser");
    for (name, script) in names {
        let path = dist.join(name);
        let mut node = env.command("node");
        node.arg(&terser).arg(&path);
        if let Script::Module = script {
            node.arg("--module");
        }
        node.args(["--compress", "passes=2", "--mangle", "--output"])
            .arg(&path);
        cmd::run(node).map_err(|e| format!("minifying {}: {e}", path.display()))?;
    }
    Ok(())
}

/// One function import of the glue module.
struct Import {
    /// Its name in the wasm and in the glue.
    name: String,
    /// Its type index, as the LEB128 bytes it was written with.
    type_index: Vec<u8>,
}

/// The module and the glue with short import names.
fn rewrite(module: &[u8], glue: &str) -> Result<(Vec<u8>, String), String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut out = module[..8].to_vec();
    let mut at = 8;
    let mut glue = glue.to_owned();
    let mut found = false;
    while at < module.len() {
        let id = module[at];
        let (size, body_at) = leb(module, at + 1)?;
        let end = body_at
            .checked_add(size)
            .filter(|&e| e <= module.len())
            .ok_or("a section runs past the end of the module")?;
        if id == IMPORT_SECTION {
            let (module_name, imports) = function_imports(&module[body_at..end])?;
            glue = renamed_glue(&glue, &module_name, &imports)?;
            let body = import_section(&imports);
            out.push(IMPORT_SECTION);
            write_leb(&mut out, body.len());
            out.extend_from_slice(&body);
            found = true;
        } else {
            out.extend_from_slice(&module[at..end]);
        }
        at = end;
    }
    if !found {
        return Err("the module imports nothing".into());
    }
    Ok((out, glue))
}

/// The imports of an import section: all functions of one module, or an error.
fn function_imports(section: &[u8]) -> Result<(String, Vec<Import>), String> {
    let (count, mut at) = leb(section, 0)?;
    let mut module_name: Option<String> = None;
    let mut imports = Vec::with_capacity(count);
    for _ in 0..count {
        let (module, next) = name(section, at)?;
        let (field, next) = name(section, next)?;
        if section.get(next) != Some(&FUNCTION_IMPORT) {
            return Err(format!("import {field} is not a function"));
        }
        let (_, end) = leb(section, next + 1)?;
        match &module_name {
            Some(m) if *m != module => return Err(format!("imports from {m} and {module}")),
            Some(_) => {}
            None => module_name = Some(module),
        }
        imports.push(Import {
            name: field,
            type_index: section[next + 1..end].to_vec(),
        });
        at = end;
    }
    if at != section.len() {
        return Err("the import section has trailing bytes".into());
    }
    Ok((module_name.unwrap_or_default(), imports))
}

/// The glue without the functions of its import object that the wasm does not import:
/// wasm-opt dropped their last caller (see `snip`) after wasm-bindgen wrote the glue.
fn without_unused(glue: &str, imports: &[Import]) -> Result<String, String> {
    const START: &str = "const import0 = {\n";
    const END: &str = "\n    };\n";
    let start = glue.find(START).ok_or("the glue has no import object")? + START.len();
    let end = start
        + glue[start..]
            .find(END)
            .ok_or("the import object has no end")?;
    let used: std::collections::HashSet<&str> = imports.iter().map(|i| i.name.as_str()).collect();
    let mut kept = String::with_capacity(end - start);
    let mut keep = true;
    for line in glue[start..end].split_inclusive('\n') {
        // An entry starts with its key at eight spaces; its body is indented further.
        if let Some((key, _)) = line
            .strip_prefix("        ")
            .and_then(|l| l.split_once(':'))
            .filter(|(key, _)| !key.starts_with(' '))
        {
            keep = key == "__proto__" || used.contains(key);
        }
        if keep {
            kept.push_str(line);
        }
    }
    Ok(format!("{}{kept}{}", &glue[..start], &glue[end..]))
}

/// The glue with each import's key and the module's name replaced by the short ones.
fn renamed_glue(glue: &str, module: &str, imports: &[Import]) -> Result<String, String> {
    let mut glue = without_unused(glue, imports)?;
    for (i, import) in imports.iter().enumerate() {
        // The keys of the import object: `        __wbg_x_0123456789abcdef: function(`.
        let key = format!("\n        {}: ", import.name);
        if glue.matches(&key).count() != 1 {
            return Err(format!("the glue does not define {} once", import.name));
        }
        glue = glue.replacen(&key, &format!("\n        {}: ", short_name(i)), 1);
    }
    let module_key = format!("\"{module}\": ");
    if glue.matches(&module_key).count() != 1 {
        return Err(format!("the glue does not name the module {module} once"));
    }
    Ok(glue.replacen(&module_key, &format!("\"{SHORT_MODULE}\": "), 1))
}

/// The import section's body with the short names.
fn import_section(imports: &[Import]) -> Vec<u8> {
    let mut body = Vec::new();
    write_leb(&mut body, imports.len());
    for (i, import) in imports.iter().enumerate() {
        write_name(&mut body, SHORT_MODULE);
        write_name(&mut body, &short_name(i));
        body.push(FUNCTION_IMPORT);
        body.extend_from_slice(&import.type_index);
    }
    body
}

/// The `i`-th short name: `a` … `z`, `A` … `Z`, then `ba`, `bb`, …: letters only, so every
/// name is a JavaScript identifier (a keyword is still a valid object key).
fn short_name(mut i: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = vec![LETTERS[i % 52]];
    i /= 52;
    while i > 0 {
        name.push(LETTERS[i % 52]);
        i /= 52;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// A name (length, then UTF-8) at `at`, and where it ends.
fn name(bytes: &[u8], at: usize) -> Result<(String, usize), String> {
    let (len, start) = leb(bytes, at)?;
    let text = bytes
        .get(start..start + len)
        .ok_or("a name runs past the end")?;
    let text = std::str::from_utf8(text).map_err(|_| "a name is not UTF-8")?;
    Ok((text.to_owned(), start + len))
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len());
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section, two function imports from `./x_bg.js` and a custom
    /// section after them.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // Type section: one type, () -> ().
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        write_leb(&mut imports, 2);
        for field in [
            "__wbg_log_0123456789abcdef",
            "__wbindgen_init_externref_table",
        ] {
            write_name(&mut imports, "./x_bg.js");
            write_name(&mut imports, field);
            imports.extend_from_slice(&[FUNCTION_IMPORT, 0]);
        }
        m.push(IMPORT_SECTION);
        write_leb(&mut m, imports.len());
        m.extend_from_slice(&imports);
        m.extend_from_slice(&[0, 3, 2, b'h', b'i']);
        m
    }

    const GLUE: &str = "function __wbg_get_imports() {\n    const import0 = {\n        \
        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n        \
        __wbindgen_init_externref_table: function() {\n        },\n    };\n    return {\n        \
        \"./x_bg.js\": import0,\n    };\n}\n";

    #[test]
    fn both_files_get_the_same_short_names() {
        let (wasm, glue) = rewrite(&module(), GLUE).unwrap();
        let (module_name, imports) = function_imports(&wasm[16..29]).unwrap();
        assert_eq!(module_name, "a");
        let names: Vec<&str> = imports.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(glue.contains("\n        a: function(arg0)"));
        assert!(glue.contains("\n        b: function()"));
        assert!(glue.contains("\"a\": import0"));
        assert!(!glue.contains("__wbg_log"));
        // The sections around it are untouched.
        assert_eq!(&wasm[8..14], &module()[8..14]);
        assert!(wasm.ends_with(&[0, 3, 2, b'h', b'i']));
    }

    #[test]
    fn the_glue_loses_what_the_wasm_no_longer_imports() {
        let glue = GLUE.replace(
            "const import0 = {\n",
            "const import0 = {\n        __proto__: null,\n",
        );
        let glue = glue.replace(
            "        __wbindgen_init_externref_table",
            "        __wbg_gone_0123456789abcdef: function() { return handleError(function (a) {\n            \
             a.close();\n        }, arguments); },\n        __wbindgen_init_externref_table",
        );
        let (_, glue) = rewrite(&module(), &glue).unwrap();
        assert!(!glue.contains("gone") && !glue.contains("close"), "{glue}");
        assert!(glue.contains("\n        b: function()"));
        assert!(
            glue.contains("const import0 = {\n        __proto__: null,\n        a: function(arg0)")
        );
    }

    #[test]
    fn a_glue_without_the_key_changes_nothing() {
        let glue = GLUE.replace("__wbg_log_0123456789abcdef", "__wbg_log_other");
        assert!(rewrite(&module(), &glue).unwrap_err().contains("__wbg_log"));
    }

    #[test]
    fn css_loses_its_comments_but_not_its_strings() {
        let css =
            "/* head\n*/\n.a { color: red; } /* why */\n\n.b::before { content: \"/* x */\"; }\n";
        assert_eq!(
            css_without_comments(css),
            ".a { color: red; }\n.b::before { content: \"/* x */\"; }\n"
        );
        assert_eq!(css_without_comments("a/**/b"), "ab\n");
    }

    #[test]
    fn short_names_are_letters_and_distinct() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic()))
        );
        assert_eq!((names[0].as_str(), names[52].as_str()), ("a", "ba"));
    }
}
