//! The shape of the code, checked: the library's modules depend on each other one way (no
//! cycle among `src/`'s top-level modules), no library stage reads the environment, and the
//! binary's `main.rs` stays a thin front end. Read from the sources, as a reviewer would.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file of the library (not the binary's `main.rs` and `cli/`), as (top-level
/// module, source without comments and without its `#[cfg(test)] mod tests`).
fn library_sources() -> Vec<(String, String)> {
    let src = common::root().join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.ends_with(".rs")
                || rel == "main.rs"
                || rel == "lib.rs"
                || rel.starts_with("cli/")
            {
                continue;
            }
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let code: String = text
                .lines()
                .map(|l| match l.find("//") {
                    Some(at) => &l[..at],
                    None => l,
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.push((top, code));
        }
    }
    out.sort();
    out
}

fn is_module(name: &str) -> bool {
    let src = common::root().join("src");
    src.join(format!("{name}.rs")).is_file() || src.join(name).is_dir()
}

/// The modules a source refers to: `crate::x` paths and the names inside `use crate::{…}`.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                out.insert(ident(part.trim()));
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && is_module(m));
    out
}

#[test]
fn library_modules_depend_one_way() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (top, code) in library_sources() {
        let deps = graph.entry(top.clone()).or_default();
        deps.extend(references(&code).into_iter().filter(|d| *d != top));
    }
    // Depth-first search for a way back to where it started.
    fn path_back(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> bool {
        for next in graph.get(from).into_iter().flatten() {
            if next == to {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if path_back(graph, next, to, seen, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    for m in graph.keys() {
        let mut path = vec![m.clone()];
        let found = path_back(&graph, m, m, &mut BTreeSet::new(), &mut path);
        assert!(!found, "cycle among src/ modules: {}", path.join(" -> "));
    }
    // The readers' types do not depend on what uses them.
    for low in ["vn", "finding", "doc", "fonts", "sheets"] {
        for high in ["report", "render", "pack", "workspace", "check"] {
            assert!(
                !graph.get(low).is_some_and(|d| d.contains(high)),
                "{low} depends on {high}"
            );
        }
    }
    assert!(graph.len() > 15, "{graph:?}");
}

#[test]
fn no_library_stage_reads_the_environment() {
    for (top, code) in library_sources() {
        assert!(
            !code.contains("std::env") && !code.contains("env::var"),
            "src/{top}: the binary reads the environment and passes what it needs"
        );
        assert!(
            !code.contains("sched_setaffinity") && !code.contains("mallopt"),
            "src/{top}: where threads run and how memory is kept is the binary's to set up"
        );
    }
}

#[test]
fn main_is_a_thin_front_end() {
    let main = std::fs::read_to_string(Path::new(&common::root()).join("src/main.rs")).unwrap();
    let lines = main.lines().count();
    assert!(lines < 250, "src/main.rs has {lines} lines");
}
