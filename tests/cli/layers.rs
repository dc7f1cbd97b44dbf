//! The module structure is what `src/lib.rs` says it is: every `use crate::…`, `use super::…`
//! and inline `crate::…` path in `src/` points down the layer list, and there is no cycle
//! among the top-level modules, among the files of `src/cli/`, or inside `src/publish/`.
//!
//! This reads the source as text, as a reviewer reads the `use` lines: a path resolves to the
//! deepest module file it names (`crate::vocab::Channel` is the module `config`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module, as the path of its file under `src/` without the extension (`cli/open`,
/// `publish/targets/slack`); a `mod.rs` is its folder (`publish`), `lib.rs` is the root "".
type Module = Vec<String>;

struct Source {
    modules: BTreeSet<Module>,
    /// Which modules each module names in its non-test code.
    uses: BTreeMap<Module, BTreeSet<Module>>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// Returns the code a build without tests compiles: comments, string literals and the
/// `#[cfg(test)]` module at the bottom of a file removed.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(start) => &text[..start],
        None => text,
    };
    let mut code = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        code.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                // A string literal: `crate::x` inside one is not a path. Raw strings hold no
                // paths worth reading either, and a `"` inside one ends this early, which
                // only ever hides text, never invents a path.
                let mut escaped = false;
                for c in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
                code.push_str("\"\"");
            }
            '\'' => {
                // A char literal (`'"'`) or a lifetime (`'a`): skip a quoted char whole.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                }
                code.push('\'');
            }
            _ => code.push(c),
        }
    }
    code
}

/// Expands a use tree (`crate::a::{b, c::{d, e as f}}`) into its paths.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .trim_end_matches("::")
            .split("::")
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect();
        let mut base = prefix.to_vec();
        base.extend(head);
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let mut depth = 0;
        let mut start = 0;
        for (at, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&base, &inner[start..at], out);
                    start = at + 1;
                }
                _ => {}
            }
        }
        expand(&base, &inner[start..], out);
        return;
    }
    let path = tree.split(" as ").next().unwrap().trim();
    let mut full = prefix.to_vec();
    full.extend(path.split("::").map(str::to_string));
    out.push(full);
}

/// Returns the module a path written in `from` names: its deepest component that is a
/// module file.
fn resolve(from: &Module, path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    resolve_through(from, path, modules, &BTreeMap::new())
}

/// What a module re-exports: `pub use child::Item;` in it makes `module::Item` the child.
type Reexports = BTreeMap<Module, BTreeMap<String, Module>>;

/// Resolves like [`resolve`], and an item a module re-exports to the module it comes from,
/// so `crate::publish::Post` is the file that defines `Post`.
fn resolve_through(
    from: &Module,
    path: &[String],
    modules: &BTreeSet<Module>,
    reexports: &Reexports,
) -> Option<Module> {
    let mut current = from.clone();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            current.clear();
            rest = &rest[1..];
        }
        Some(first) if !matches!(first, "super" | "self") => {
            // A path relative to this module names a child module, or nothing of ours
            // (`std::…`, a crate).
            let mut child = from.clone();
            child.push(first.to_string());
            if !modules.contains(&child) {
                return None;
            }
        }
        Some(_) => {
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "super" => {
                        current.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        None => return None,
    }
    for part in rest {
        let mut deeper = current.clone();
        deeper.push(part.clone());
        if modules.contains(&deeper) {
            current = deeper;
        } else {
            if let Some(origin) = reexports.get(&current).and_then(|items| items.get(part)) {
                return Some(origin.clone());
            }
            break;
        }
    }
    Some(current)
}

fn read_source() -> Source {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let texts: Vec<(Module, String)> = files
        .iter()
        // `lint/tests.rs` and the like are `#[cfg(test)]` modules of their parent.
        .filter(|path| path.file_name().is_some_and(|name| name != "tests.rs"))
        .filter(|path| path.file_name().is_some_and(|name| name != "main.rs"))
        .map(|path| {
            let module = module_of(path.strip_prefix(&root).unwrap());
            (module, code_of(&std::fs::read_to_string(path).unwrap()))
        })
        .collect();
    let modules: BTreeSet<Module> = texts.iter().map(|(module, _)| module.clone()).collect();
    let use_statement = regex_lite(r"(?s)\buse\s+([a-z_][^;]*);");
    // `crate::x::y`, `super::x`, and `child::item` for a child module of the file.
    let inline_path =
        regex_lite(r"(?:^|[^A-Za-z0-9_:])([a-z_][a-z0-9_]*)((?:::[A-Za-z_][A-Za-z0-9_]*)+)");
    let reexport = regex_lite(r"(?s)\bpub\s+use\s+([a-z_][^;]*);");
    let mut reexports: Reexports = BTreeMap::new();
    for (module, code) in &texts {
        for found in reexport.captures_iter(code) {
            let tree: String = found[1].split_whitespace().collect::<Vec<_>>().join(" ");
            let mut paths = Vec::new();
            expand(
                &[],
                &tree.replace(":: ", "::").replace(" ::", "::"),
                &mut paths,
            );
            for path in paths {
                let Some((name, parent)) = path.split_last() else {
                    continue;
                };
                if let Some(origin) = resolve(module, parent, &modules) {
                    reexports
                        .entry(module.clone())
                        .or_default()
                        .insert(name.clone(), origin);
                }
            }
        }
    }
    let mut uses = BTreeMap::new();
    for (module, code) in &texts {
        let mut paths = Vec::new();
        for found in use_statement.captures_iter(code) {
            let tree: String = found[1].split_whitespace().collect::<Vec<_>>().join(" ");
            expand(
                &[],
                &tree.replace(":: ", "::").replace(" ::", "::"),
                &mut paths,
            );
        }
        for found in inline_path.captures_iter(code) {
            let mut path = vec![found[1].to_string()];
            path.extend(
                found[2]
                    .split("::")
                    .filter(|part| !part.is_empty())
                    .map(str::to_string),
            );
            paths.push(path);
        }
        let named: BTreeSet<Module> = paths
            .iter()
            .filter_map(|path| resolve_through(module, path, &modules, &reexports))
            .filter(|named| named != module)
            .collect();
        uses.insert(module.clone(), named);
    }
    Source { modules, uses }
}

/// The tests build without the `regex` crate's optional parts; a tiny wrapper keeps the
/// call sites short.
fn regex_lite(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).unwrap()
}

/// The edges between the children of `scope` (a module path): `a → b` when code in `a` or
/// below names `b` or below. The scope itself appears as the child `"(mod)"`.
fn edges_within(source: &Source, scope: &[&str]) -> BTreeSet<(String, String)> {
    let child = |module: &Module| -> Option<String> {
        if module.len() < scope.len() || module[..scope.len()] != *scope {
            return None;
        }
        Some(
            module
                .get(scope.len())
                .cloned()
                .unwrap_or_else(|| "(mod)".to_string()),
        )
    };
    let mut edges = BTreeSet::new();
    for (from, named) in &source.uses {
        let Some(a) = child(from) else { continue };
        for to in named {
            let Some(b) = child(to) else { continue };
            if a != b {
                edges.insert((a.clone(), b));
            }
        }
    }
    edges
}

/// Returns one cycle among `edges`, if there is one.
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        graph.entry(a).or_default().push(b);
    }
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = stack.iter().position(|seen| *seen == node).unwrap();
                let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(node, false);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut state, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

/// The layer list in `src/lib.rs`'s opening comment, top first: each line of its `text`
/// block starts with the modules of one layer, separated by commas.
fn declared_layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let doc: Vec<&str> = lib
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| line.trim_start_matches("//!").trim_start_matches(' '))
        .collect();
    let start = doc.iter().position(|line| *line == "```text").unwrap() + 1;
    let end = start + doc[start..].iter().position(|line| *line == "```").unwrap();
    doc[start..end]
        .iter()
        .filter(|line| !line.starts_with(' ') && !line.is_empty())
        .map(|line| {
            let names = line.split("  ").next().unwrap();
            names
                .split(',')
                .map(|name| name.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn no_cycle_among_top_level_modules() {
    let source = read_source();
    let edges = edges_within(&source, &[]);
    assert_eq!(find_cycle(&edges), None, "edges: {edges:?}");
}

#[test]
fn no_cycle_among_the_files_of_cli() {
    let source = read_source();
    let edges = edges_within(&source, &["cli"]);
    assert_eq!(find_cycle(&edges), None, "edges: {edges:?}");
}

#[test]
fn command_modules_do_not_import_each_other() {
    let source = read_source();
    // The files of `cli/` that are not commands: what commands share lives in these.
    let shared = [
        "(mod)",
        "answers",
        "error",
        "output",
        "progress",
        "prompt",
        "publishing",
        "session",
        "walkthrough",
    ];
    let crossing: Vec<(String, String)> = edges_within(&source, &["cli"])
        .into_iter()
        .filter(|(a, b)| !shared.contains(&a.as_str()) && !shared.contains(&b.as_str()))
        .collect();
    assert_eq!(crossing, Vec::new(), "commands importing commands");
}

#[test]
fn no_cycle_inside_publish() {
    let source = read_source();
    for scope in [&["publish"][..], &["publish", "targets"]] {
        let edges = edges_within(&source, scope);
        assert_eq!(find_cycle(&edges), None, "{scope:?}: {edges:?}");
    }
}

#[test]
fn every_import_points_down_the_layers_of_lib_rs() {
    let layers = declared_layers();
    let rank = |name: &str| {
        layers
            .iter()
            .position(|layer| layer.iter().any(|module| module == name))
    };
    let source = read_source();
    let top: BTreeSet<String> = source
        .modules
        .iter()
        .filter_map(|module| module.first().cloned())
        .collect();
    let unlisted: Vec<&String> = top.iter().filter(|name| rank(name).is_none()).collect();
    assert_eq!(
        unlisted,
        Vec::<&String>::new(),
        "modules missing from lib.rs"
    );
    let upward: Vec<(String, String)> = edges_within(&source, &[])
        .into_iter()
        .filter(|(a, b)| a != "(mod)" && rank(a) > rank(b))
        .collect();
    assert_eq!(
        upward,
        Vec::new(),
        "imports of a higher layer (top is listed first)"
    );
}

#[test]
fn the_reader_sees_through_use_trees_and_inline_paths() {
    let modules: BTreeSet<Module> = [vec![], vec!["a".into()], vec!["a".into(), "b".into()]]
        .into_iter()
        .collect();
    let mut paths = Vec::new();
    expand(&[], "crate::{a::{b::X, Y as Z}, c}", &mut paths);
    let resolved: Vec<Option<Module>> = paths
        .iter()
        .map(|path| resolve(&vec![], path, &modules))
        .collect();
    assert_eq!(
        resolved,
        vec![
            Some(vec!["a".to_string(), "b".to_string()]),
            Some(vec!["a".to_string()]),
            Some(vec![]),
        ]
    );
    let super_path = ["super".to_string(), "b".to_string(), "f".to_string()];
    assert_eq!(
        resolve(
            &vec!["a".to_string(), "c".to_string()],
            &super_path,
            &modules
        ),
        Some(vec!["a".to_string(), "b".to_string()])
    );
    let code = code_of("let s = \"crate::x\"; // crate::y\nuse crate::a::b;");
    assert!(!code.contains("crate::x") && !code.contains("crate::y"));
    assert!(code.contains("use crate::a::b;"));
}
