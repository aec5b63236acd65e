//! What a template may cost, checked on its syntax tree before anything renders: tera has no
//! bound of its own, and a workspace template that includes itself or a macro that calls
//! itself overflowed the stack (an abort), a `range(end=100000000)` loop or two nested
//! 3000-step loops ran for minutes and took gigabytes. Loops over the report's data are
//! bounded by the inputs' limits; only `range` loops can ask for more, so their bounds must be
//! numbers written in the template and their product along a nesting at most
//! [`MAX_ITERATIONS`]. The rendered text is bounded too ([`MAX_OUTPUT`]).

use super::{RenderError, Template};
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, Node};

/// Iterations of nested `range` loops, all levels multiplied: an appendix table of the plan
/// has a few hundred rows.
pub const MAX_ITERATIONS: u64 = 100_000;

/// Characters a template may render to: the year report is about 100 000.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// Every template's includes and macro calls without a cycle, and its `range` loops bounded.
pub(super) fn check(
    tera: &tera::Tera,
    files: &BTreeMap<String, Template>,
) -> Result<(), RenderError> {
    // Graph nodes: "file" for a template body, "file::macro" for a macro.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, file) in files {
        let Ok(tpl) = tera.get_template(name) else {
            continue;
        };
        let resolve = |namespace: &str| -> String {
            if namespace == "self" {
                return name.clone();
            }
            tpl.imported_macro_files
                .iter()
                .find(|(_, ns)| ns == namespace)
                .map_or_else(|| namespace.to_string(), |(f, _)| f.clone())
        };
        let mut top = Walk::new(name, file);
        top.nodes(&tpl.ast, 1)?;
        edges.insert(name.clone(), top.targets(&resolve));
        for (macro_name, def) in &tpl.macros {
            let mut w = Walk::new(name, file);
            w.nodes(&def.body, 1)?;
            edges.insert(format!("{name}::{macro_name}"), w.targets(&resolve));
        }
    }
    for start in edges.keys() {
        let mut path = vec![start.clone()];
        if cycle(&edges, start, &mut path, &mut BTreeSet::new()) {
            let (file, what) = match start.split_once("::") {
                Some((f, m)) => (f, format!("macro \"{m}\" gọi lại chính nó")),
                None => (
                    start.as_str(),
                    "mẫu tự chèn lại chính nó (include)".to_string(),
                ),
            };
            let needle = match start.split_once("::") {
                Some((_, m)) => format!("macro {m}"),
                None => path
                    .get(1)
                    .map_or_else(String::new, |next| format!("\"{next}\"")),
            };
            let line = files.get(file).and_then(|t| line_of(t, &needle));
            return Err(RenderError {
                template: file.to_string(),
                line,
                message: format!(
                    "{what} ({}): mẫu sẽ không bao giờ dừng; bỏ lời gọi vòng",
                    path.join(" → ")
                ),
            });
        }
    }
    Ok(())
}

fn cycle(
    edges: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    path: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) -> bool {
    let Some(here) = path.last().cloned() else {
        return false;
    };
    for next in edges.get(&here).into_iter().flatten() {
        if next == start {
            path.push(next.clone());
            return true;
        }
        if seen.insert(next.clone()) {
            path.push(next.clone());
            if cycle(edges, start, path, seen) {
                return true;
            }
            path.pop();
        }
    }
    false
}

/// The line of the template file where `needle` first stands (the AST keeps no lines).
fn line_of(t: &Template, needle: &str) -> Option<usize> {
    t.body
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| t.body_offset + i + 1)
}

/// One walk over a body: what it includes, which macros it calls, and its loops' cost.
struct Walk<'a> {
    name: &'a str,
    file: &'a Template,
    includes: Vec<String>,
    /// (namespace, macro)
    calls: Vec<(String, String)>,
    /// Characters of literal text the body writes, its loops multiplied.
    text: u64,
}

impl<'a> Walk<'a> {
    fn new(name: &'a str, file: &'a Template) -> Walk<'a> {
        Walk {
            name,
            file,
            includes: Vec::new(),
            calls: Vec::new(),
            text: 0,
        }
    }

    fn targets(&self, resolve: &dyn Fn(&str) -> String) -> BTreeSet<String> {
        self.includes
            .iter()
            .cloned()
            .chain(
                self.calls
                    .iter()
                    .map(|(ns, m)| format!("{}::{m}", resolve(ns))),
            )
            .collect()
    }

    fn too_many(&self, what: String, needle: &str) -> RenderError {
        RenderError {
            template: self.name.to_string(),
            line: line_of(self.file, needle),
            message: what,
        }
    }

    /// `iterations`: how many times this body runs, from the `range` loops around it.
    fn nodes(&mut self, nodes: &[Node], iterations: u64) -> Result<(), RenderError> {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Set(_, s) => self.expr(&s.value),
                Node::Include(_, names, _) => self.includes.extend(names.iter().cloned()),
                Node::FilterSection(_, f, _) => {
                    f.filter.args.values().for_each(|e| self.expr(e));
                    self.nodes(&f.body, iterations)?;
                }
                Node::Block(_, b, _) => self.nodes(&b.body, iterations)?,
                Node::If(i, _) => {
                    for (_, cond, body) in &i.conditions {
                        self.expr(cond);
                        self.nodes(body, iterations)?;
                    }
                    if let Some((_, body)) = &i.otherwise {
                        self.nodes(body, iterations)?;
                    }
                }
                Node::Forloop(_, f, _) => {
                    self.expr(&f.container);
                    let times = match &f.container.val {
                        ExprVal::FunctionCall(call) if call.name == "range" => {
                            let needle = "range(";
                            let arg = |k: &str, default: i64| match call.args.get(k) {
                                None => Some(default),
                                Some(Expr {
                                    val: ExprVal::Int(n),
                                    ..
                                }) => Some(*n),
                                Some(_) => None,
                            };
                            let (Some(start), Some(end), Some(step)) =
                                (arg("start", 0), arg("end", 0), arg("step_by", 1))
                            else {
                                return Err(self.too_many(
                                    "vòng lặp range(...) cần các số viết sẵn trong mẫu (start, \
                                     end, step_by), không lấy từ dữ liệu: cchc không biết trước \
                                     nó chạy bao nhiêu lần"
                                        .into(),
                                    needle,
                                ));
                            };
                            let span = u64::try_from(end.saturating_sub(start)).unwrap_or(0);
                            let step = u64::try_from(step).unwrap_or(1).max(1);
                            span.div_ceil(step)
                        }
                        _ => 1,
                    };
                    let total = iterations.saturating_mul(times.max(1));
                    if total > MAX_ITERATIONS {
                        return Err(self.too_many(
                            format!(
                                "vòng lặp range(...) chạy {total} lần (kể cả các vòng bao \
                                 ngoài), quá giới hạn {MAX_ITERATIONS} lần của một mẫu"
                            ),
                            "range(",
                        ));
                    }
                    self.nodes(&f.body, total)?;
                    if let Some(empty) = &f.empty_body {
                        self.nodes(empty, iterations)?;
                    }
                }
                Node::MacroDefinition(_, def, _) => self.nodes(&def.body, iterations)?,
                Node::Text(t) | Node::Raw(_, t, _) => {
                    let len = u64::try_from(t.len()).unwrap_or(u64::MAX);
                    self.text = self.text.saturating_add(len.saturating_mul(iterations));
                    if self.text > MAX_OUTPUT as u64 {
                        return Err(self.too_many(
                            format!(
                                "mẫu viết hơn {} MB chữ (các vòng lặp nhân lên), quá giới hạn \
                                 của một văn bản",
                                MAX_OUTPUT / (1024 * 1024)
                            ),
                            "range(",
                        ));
                    }
                }
                Node::Super
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            }
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) {
        for f in &e.filters {
            f.args.values().for_each(|a| self.expr(a));
        }
        self.val(&e.val);
    }

    fn val(&mut self, v: &ExprVal) {
        match v {
            ExprVal::MacroCall(m) => {
                self.calls.push((m.namespace.clone(), m.name.clone()));
                m.args.values().for_each(|a| self.expr(a));
            }
            ExprVal::FunctionCall(f) => f.args.values().for_each(|a| self.expr(a)),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => t.args.iter().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a)),
            ExprVal::StringConcat(s) => s.values.iter().for_each(|v| self.val(v)),
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_) => {}
        }
    }
}
