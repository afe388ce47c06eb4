//! A smaller model: the fewest elements in the sets of the obligation's
//! items, then the smallest sets. Z3's first model often has dozens of
//! acceptors, which hides the point of a counterexample.
//!
//! Every step adds constraints to the satisfiable script and keeps them
//! only if the script stays satisfiable, so the result is a model of the
//! script (it is confirmed like any other, see `crate::confirm`). The
//! constraints are ground:
//! - for each uninterpreted sort in turn (`U_ALL` last), `k = 1, 2, ...`
//!   distinct fresh elements `e1 .. ek`, and every set-valued item over the
//!   sort (a set of elements, or a set of sets of them) equal to a list of
//!   stores over "false" at `e1 .. ek` (at the subsets of them, for a set
//!   of sets) whose values are fresh Booleans: the sets contain no other
//!   elements;
//! - then each of those Booleans is made false in turn while the script
//!   stays satisfiable, the module's constants first.
//!
//! (Measured on the weakened-quorum counterexample: bounding the sort
//! itself, `\A x : x = e1 \/ .. \/ x = ek`, left Z3 without a model in
//! 600 ms for every `k`, incrementally or not, with any engine.)
//!
//! Each check has a short timeout and the whole search a deadline; what
//! does not finish in time is simply not made smaller.

use super::timed_check;
use crate::encode::{ItemKind, Script};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use z3::{Model, SatResult, Solver};

/// Sizes tried per sort, and for a sort with sets of sets over it (whose
/// subsets are listed).
const MAX_SORT_SIZE: usize = 6;
const MAX_SUBSET_BASE: usize = 4;
/// The timeout of one check: three times what the first model took,
/// within these bounds.
const MIN_CHECK_TIMEOUT: Duration = Duration::from_millis(200);
const MAX_CHECK_TIMEOUT: Duration = Duration::from_millis(600);

/// A set-valued item: its SMT name, the sort of its elements' elements,
/// and whether it is a set of sets.
struct SetItem {
    smt: String,
    base: String,
    nested: bool,
}

/// A model of the script (found satisfiable in `spent`) with fewer
/// elements and smaller sets, if one is found before `deadline`.
///
/// Each try solves the script with the constraints kept so far in a
/// fresh solver: Z3's incremental mode (after `push`) is another engine,
/// which measured slower on these scripts.
pub fn smaller_model(script: &Script, spent: Duration, deadline: Instant) -> Option<Model> {
    let items = set_items(script);
    let mut sorts: Vec<&str> = Vec::new();
    for i in &items {
        if !sorts.contains(&i.base.as_str()) {
            sorts.push(&i.base);
        }
    }
    sorts.sort_by_key(|s| *s == "U_ALL");
    if sorts.is_empty() {
        return None;
    }
    let check = (spent * 3).clamp(MIN_CHECK_TIMEOUT, MAX_CHECK_TIMEOUT);
    let mut kept = String::new();
    let mut model: Option<Model> = None;
    // The membership Booleans, in the order they are made false.
    let mut flags: Vec<String> = Vec::new();
    for (n, sort) in sorts.iter().enumerate() {
        let over: Vec<&SetItem> = items.iter().filter(|i| i.base == *sort).collect();
        let max = if over.iter().any(|i| i.nested) {
            MAX_SUBSET_BASE
        } else {
            MAX_SORT_SIZE
        };
        for k in 1..=max {
            if Instant::now() >= deadline {
                break;
            }
            let (text, new_flags) = bound(n, sort, k, &over);
            let t0 = Instant::now();
            let found = try_constraints(script, &kept, &text, check, deadline);
            tracing::debug!(
                "minimise: sets over {sort} within {k} elements: {} in {:?}",
                found.is_some(),
                t0.elapsed()
            );
            if let Some(m) = found {
                model = Some(m);
                kept.push_str(&text);
                flags.extend(new_flags);
                break;
            }
        }
    }
    let mut model = model?;
    for flag in flags {
        let text = format!("(assert (not {flag}))\n");
        let holds = model
            .eval(&z3::ast::Bool::new_const(flag.trim_matches('|')), true)
            .and_then(|b| b.as_bool());
        if holds == Some(false) {
            // The current model satisfies it already.
            kept.push_str(&text);
            continue;
        }
        if Instant::now() >= deadline {
            break;
        }
        let t0 = Instant::now();
        let found = try_constraints(script, &kept, &text, check, deadline);
        tracing::debug!(
            "minimise: {flag} false: {} in {:?}",
            found.is_some(),
            t0.elapsed()
        );
        if let Some(m) = found {
            model = m;
            kept.push_str(&text);
        }
    }
    Some(model)
}

/// The constraints that bound the sets over `sort` to `k` elements, and
/// their membership Booleans.
fn bound(n: usize, sort: &str, k: usize, over: &[&SetItem]) -> (String, Vec<String>) {
    let mut text = String::new();
    let elems: Vec<String> = (0..k).map(|i| format!("|min!{n}!{k}!{i}|")).collect();
    for e in &elems {
        text.push_str(&format!("(declare-fun {e} () {sort})\n"));
    }
    if k > 1 {
        text.push_str(&format!("(assert (distinct {}))\n", elems.join(" ")));
    }
    let set_of = |members: &[&String]| {
        members.iter().fold(
            format!("((as const (Array {sort} Bool)) false)"),
            |acc, e| format!("(store {acc} {e} true)"),
        )
    };
    let mut flags = Vec::new();
    for (j, item) in over.iter().enumerate() {
        let keys: Vec<String> = if item.nested {
            (0u32..1 << k)
                .map(|mask| {
                    let members: Vec<&String> = elems
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, e)| e)
                        .collect();
                    set_of(&members)
                })
                .collect()
        } else {
            elems.clone()
        };
        let elem_sort = if item.nested {
            format!("(Array {sort} Bool)")
        } else {
            sort.to_string()
        };
        let mut chain = format!("((as const (Array {elem_sort} Bool)) false)");
        for (i, key) in keys.iter().enumerate() {
            let flag = format!("|min!{n}!{k}!{j}!{i}|");
            text.push_str(&format!("(declare-fun {flag} () Bool)\n"));
            chain = format!("(store {chain} {key} {flag})");
            flags.push(flag);
        }
        text.push_str(&format!("(assert (= {} {chain}))\n", item.smt));
    }
    (text, flags)
}

/// A model of the script with the constraints `kept` and `extra`, from a
/// fresh solver.
fn try_constraints(
    script: &Script,
    kept: &str,
    extra: &str,
    check: Duration,
    deadline: Instant,
) -> Option<Model> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return None;
    }
    let solver = Solver::new();
    solver.from_string(format!("{}{kept}{extra}", script.text));
    if super::last_error().is_some() {
        return None;
    }
    match timed_check(&solver, check.min(left)) {
        (SatResult::Sat, false) => solver.get_model(),
        _ => None,
    }
}

/// Set-valued items over an uninterpreted sort (sets of its elements,
/// or sets of sets of them), the module's constants first.
fn set_items(script: &Script) -> Vec<SetItem> {
    let declared: Vec<&str> = script
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("(declare-sort ")?.strip_suffix(" 0)"))
        .collect();
    let decls: HashMap<&str, &str> = script
        .text
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("(declare-fun ")?;
            let (name, sort) = rest.split_once(" () ")?;
            Some((name, sort.strip_suffix(')')?))
        })
        .collect();
    let set_of = |s: &str| {
        s.strip_prefix("(Array ")
            .and_then(|s| s.strip_suffix(" Bool)"))
            .map(str::to_string)
    };
    let mut items: Vec<&crate::encode::ModelItem> = script.items.iter().collect();
    items.sort_by_key(|i| match i.kind {
        ItemKind::Constant if i.def.is_none() => 0,
        ItemKind::Constant => 1,
        ItemKind::Parameter => 2,
        ItemKind::PreState => 3,
        ItemKind::PostState => 4,
    });
    items
        .into_iter()
        .filter_map(|i| {
            let elem = set_of(decls.get(i.smt.as_str())?)?;
            let (base, nested) = match set_of(&elem) {
                Some(inner) => (inner, true),
                None => (elem, false),
            };
            declared.contains(&base.as_str()).then(|| SetItem {
                smt: i.smt.clone(),
                base,
                nested,
            })
        })
        .collect()
}
