//! Render a Z3 model as a TLA+ counterexample: constants, the action's
//! parameters, pre- and post-state values of the variables, and which goal
//! conjuncts are false.

use crate::encode::{ItemKind, Script};
use crate::source::Span;
use crate::types::Type;
use std::collections::HashMap;
use z3::Model;
use z3::ast::{Ast, Dynamic};

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Binding {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Counterexample {
    pub constants: Vec<Binding>,
    pub parameters: Vec<Binding>,
    pub pre_state: Vec<Binding>,
    pub post_state: Vec<Binding>,
    /// Spans of the goal conjuncts that are false in the model.
    #[serde(skip)]
    pub false_goals: Vec<Span>,
}

struct Renderer<'a> {
    model: &'a Model,
    script: &'a Script,
    /// Uninterpreted elements renamed to `acc1`, `value2`...
    names: HashMap<String, String>,
    /// The elements named by the constants and parameters.
    focus: std::collections::HashSet<String>,
}

pub fn render(model: &Model, script: &Script) -> Counterexample {
    let mut r = Renderer {
        model,
        script,
        names: HashMap::new(),
        focus: Default::default(),
    };
    let decls: HashMap<String, z3::FuncDecl> = model
        .iter()
        .filter(|d| d.arity() == 0)
        .map(|d| (d.name(), d))
        .collect();
    let mut cx = Counterexample::default();
    // Constants and parameters first: the elements they name are the ones
    // a large function is shown at (see `Renderer::function`).
    let rank = |k: &ItemKind| match k {
        ItemKind::Constant => 0,
        ItemKind::Parameter => 1,
        ItemKind::PreState => 2,
        ItemKind::PostState => 3,
    };
    let mut items: Vec<_> = script.items.iter().collect();
    items.sort_by_key(|i| rank(&i.kind));
    for item in items {
        if rank(&item.kind) >= 2 && r.focus.is_empty() {
            r.focus = r.names.keys().cloned().collect();
        }
        let key = item.smt.trim_matches('|');
        let Some(decl) = decls.get(key) else {
            continue;
        };
        let value = decl.apply(&[]);
        let Some(v) = model.eval(&value, true) else {
            continue;
        };
        let b = Binding {
            name: item.name.clone(),
            value: r.value(&v, &item.ty, 0),
        };
        match item.kind {
            ItemKind::Constant => cx.constants.push(b),
            ItemKind::Parameter => cx.parameters.push(b),
            ItemKind::PreState => cx.pre_state.push(b),
            ItemKind::PostState => cx.post_state.push(b),
        }
    }
    for (name, span) in &script.goal_parts {
        if let Some(d) = decls.get(name.trim_matches('|')) {
            let v = model.eval(&d.apply(&[]), true);
            if v.and_then(|v| v.as_bool()).and_then(|b| b.as_bool()) == Some(false) {
                cx.false_goals.push(*span);
            }
        }
    }
    cx
}

impl Renderer<'_> {
    fn eval(&self, d: &Dynamic) -> Dynamic {
        self.model.eval(d, true).unwrap_or_else(|| d.clone())
    }

    fn element_name(&mut self, raw: String, ty: &Type) -> String {
        if let Some(n) = self.names.get(&raw) {
            return n.clone();
        }
        let base = match ty {
            Type::Atom(a) => a.to_lowercase(),
            Type::Univ => "u".into(),
            _ => "v".into(),
        };
        let count = self.names.values().filter(|n| n.starts_with(&base)).count();
        let n = format!("{base}{}", count + 1);
        self.names.insert(raw, n.clone());
        n
    }

    fn universe(&self, sort: &z3::Sort) -> Vec<Dynamic> {
        self.model
            .get_sort_universe(sort)
            .map(|v| v.iter().collect())
            .unwrap_or_default()
    }

    fn value(&mut self, v: &Dynamic, ty: &Type, depth: usize) -> String {
        if depth > 6 {
            return "...".into();
        }
        match ty {
            Type::Bool => match v.as_bool().and_then(|b| b.as_bool()) {
                Some(true) => "TRUE".into(),
                Some(false) => "FALSE".into(),
                None => v.to_string(),
            },
            Type::Int => v
                .as_int()
                .and_then(|i| i.as_i64())
                .map(|i| i.to_string())
                .unwrap_or_else(|| v.to_string()),
            Type::Str => {
                // Literals are the constant constructors of the Str datatype.
                let raw = v.to_string();
                let key = raw.trim_matches('|');
                for (smt, text) in &self.script.strings {
                    if smt.trim_matches('|') == key {
                        return format!("{text:?}");
                    }
                }
                self.element_name(raw, ty)
            }
            Type::Atom(_) | Type::Univ => self.element_name(v.to_string(), ty),
            Type::Set(elem) => self.set(v, elem, depth),
            Type::Fun(a, b) => self.function(v, a, b, depth),
            Type::Tuple(ts) => {
                let parts: Vec<String> = v
                    .app_children()
                    .iter()
                    .zip(ts)
                    .map(|(c, t)| self.value(c, t, depth + 1))
                    .collect();
                format!("<<{}>>", parts.join(", "))
            }
            Type::Rec(_) => self.record(v, depth),
            Type::Var(_) => v.to_string(),
        }
    }

    fn members(&mut self, set: &Dynamic, elem: &Type) -> Option<Vec<Dynamic>> {
        let arr = set.as_array()?;
        if !matches!(elem, Type::Atom(_) | Type::Univ) {
            return None;
        }
        let dom = set.get_sort().array_domain()?;
        let mut out = Vec::new();
        // A model's universe is finite; cap what we print.
        for u in self.universe(&dom).into_iter().take(200) {
            let m = self.eval(&arr.select(&u));
            if m.as_bool().and_then(|b| b.as_bool()) == Some(true) {
                out.push(u);
            }
        }
        Some(out)
    }

    fn set(&mut self, v: &Dynamic, elem: &Type, depth: usize) -> String {
        if let Some(ms) = self.members(v, elem) {
            let mut parts: Vec<String> =
                ms.iter().map(|m| self.value(m, elem, depth + 1)).collect();
            parts.sort_by_key(|p| natural_key(p));
            return format!("{{{}}}", parts.join(", "));
        }
        // Walk `store` chains over a constant default.
        let mut entries = Vec::new();
        let mut cur = v.clone();
        for _ in 0..500 {
            let name = if cur.is_app() {
                cur.safe_decl().map(|d| d.name()).unwrap_or_default()
            } else {
                String::new()
            };
            let ch = cur.app_children();
            if name == "store" && ch.len() == 3 {
                entries.push((ch[1].clone(), ch[2].clone()));
                cur = ch[0].clone();
            } else {
                break;
            }
        }
        let default = cur
            .app_children()
            .first()
            .and_then(|d| d.as_bool())
            .and_then(|b| b.as_bool());
        if default == Some(false) {
            let mut parts = Vec::new();
            for (k, val) in entries.iter().rev() {
                if val.as_bool().and_then(|b| b.as_bool()) == Some(true) {
                    parts.push(self.value(k, elem, depth + 1));
                }
            }
            parts.dedup();
            return format!("{{{}}}", parts.join(", "));
        }
        compact(&v.to_string())
    }

    fn function(&mut self, v: &Dynamic, a: &Type, b: &Type, depth: usize) -> String {
        let ch = v.app_children();
        if ch.len() != 2 {
            return v.to_string();
        }
        let (app, dom) = (&ch[0], &ch[1]);
        let Some(keys) = self.members(dom, a) else {
            return compact(&v.to_string());
        };
        let Some(arr) = app.as_array() else {
            return v.to_string();
        };
        // A large domain is shown through the elements already named
        // (members of the constant sets, parameters) and a few others.
        let total = keys.len();
        let keys: Vec<Dynamic> = if total > MAX_ENTRIES {
            let (named, others): (Vec<Dynamic>, Vec<Dynamic>) = keys
                .into_iter()
                .partition(|k| self.focus.contains(&k.to_string()));
            let room = MAX_ENTRIES.saturating_sub(named.len()).max(1);
            named
                .into_iter()
                .chain(others.into_iter().take(room))
                .collect()
        } else {
            keys
        };
        let hidden = total - keys.len();
        let mut parts: Vec<String> = keys
            .iter()
            .map(|k| {
                let val = self.eval(&arr.select(k));
                format!(
                    "{} |-> {}",
                    self.value(k, a, depth + 1),
                    self.value(&val, b, depth + 1)
                )
            })
            .collect();
        if hidden > 0 {
            parts.push(format!("... ({hidden} more)"));
        }
        if parts.is_empty() {
            "<<>>".into()
        } else {
            format!("[{}]", parts.join(", "))
        }
    }

    fn record(&mut self, v: &Dynamic, depth: usize) -> String {
        let ctor = if v.is_app() {
            v.safe_decl().map(|d| d.name()).unwrap_or_default()
        } else {
            String::new()
        };
        let Some(fields) = self
            .script
            .ctors
            .get(ctor.trim_start_matches("mk_"))
            .cloned()
        else {
            return "(a record of a shape the specification never writes)".into();
        };
        let parts: Vec<String> = v
            .app_children()
            .iter()
            .zip(&fields)
            .map(|(c, (f, t))| format!("{f} |-> {}", self.value(c, t, depth + 1)))
            .collect();
        format!("[{}]", parts.join(", "))
    }
}

/// Entries of a function shown in full; beyond, the named elements and a
/// few others.
const MAX_ENTRIES: usize = 6;

/// Sort key that orders `acc2` before `acc10`.
fn natural_key(s: &str) -> (String, u64, String) {
    let digits: String = s.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    let digits: String = digits.chars().rev().collect();
    let prefix = s[..s.len() - digits.len()].to_string();
    (prefix, digits.parse().unwrap_or(0), s.to_string())
}

/// Children of an application; nothing for quantifiers and lambdas (Z3's
/// child accessors are only defined on applications).
trait AppChildren {
    fn app_children(&self) -> Vec<Dynamic>;
}

impl AppChildren for Dynamic {
    fn app_children(&self) -> Vec<Dynamic> {
        if self.is_app() {
            self.children()
        } else {
            Vec::new()
        }
    }
}

/// A value Z3 gives only symbolically, on one short line.
fn compact(text: &str) -> String {
    let one: Vec<&str> = text.split_whitespace().collect();
    let one = one.join(" ");
    if one.chars().count() > 100 {
        format!("(symbolic) {}...", one.chars().take(97).collect::<String>())
    } else {
        format!("(symbolic) {one}")
    }
}
