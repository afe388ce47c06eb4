//! Stage 7: report. The proof tree with the TLAPS step names, each
//! obligation's status and time, counterexamples, and the summary line —
//! as text or JSON.

use crate::confirm::Counterexample;
use crate::driver::{ObResult, Report, Status, TheoremReport};
use crate::obligations::ProofNode;
use crate::semantic::program::TheoremOrigin;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write;

impl Report {
    pub fn proved(&self) -> usize {
        self.results().filter(|r| r.status.is_proved()).count()
    }

    pub fn total(&self) -> usize {
        self.results().count()
    }

    pub fn all_proved(&self) -> bool {
        self.proved() == self.total()
    }

    fn results(&self) -> impl Iterator<Item = &ObResult> {
        self.theorems.iter().flat_map(|t| t.results.iter())
    }

    /// Library theorems the proved obligations rely on.
    fn library_facts(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .results()
            .flat_map(|r| r.obligation.library.iter())
            .filter(|t| self.prog.theorem(**t).origin == TheoremOrigin::Library)
            .filter_map(|t| self.prog.theorem(*t).name.as_deref().map(str::to_string))
            .collect();
        set.into_iter().collect()
    }

    /// Cited user theorems that this run did not check.
    fn unchecked_citations(&self) -> Vec<String> {
        let checked: BTreeSet<&str> = self.theorems.iter().map(|t| t.name.as_str()).collect();
        let mut out: BTreeSet<String> = BTreeSet::new();
        for t in &self.theorems {
            for c in &t.cites {
                if let Some(n) = self.prog.theorem(*c).name.as_deref()
                    && !checked.contains(n)
                {
                    out.insert(n.to_string());
                }
            }
        }
        out.into_iter().collect()
    }

    pub fn summary(&self) -> String {
        format!(
            "{}/{} obligations proved in {:.2} s",
            self.proved(),
            self.total(),
            self.total_time.as_secs_f64()
        )
    }

    /// Non-fatal problems found while loading (ill-sorted definitions...).
    fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .prog
            .warnings
            .iter()
            .map(|d| self.map.render(d).replacen(": error: ", ": warning: ", 1))
            .collect();
        out.dedup();
        out
    }

    /// Located input errors that refused a checked theorem's proof.
    fn errors(&self) -> Vec<String> {
        self.theorems
            .iter()
            .flat_map(|t| t.errors.iter().map(|d| self.map.render(d)))
            .collect()
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for e in self.errors() {
            writeln!(out, "{e}").unwrap();
        }
        for w in self.warnings() {
            writeln!(out, "{w}").unwrap();
        }
        for t in &self.theorems {
            self.theorem_text(t, &mut out);
        }
        let lib = self.library_facts();
        if !lib.is_empty() {
            writeln!(out, "trusted library facts used: {}", lib.join(", ")).unwrap();
        }
        let cited = self.unchecked_citations();
        if !cited.is_empty() {
            writeln!(
                out,
                "cited theorems assumed, not checked in this run: {} (`prove all` checks them)",
                cited.join(", ")
            )
            .unwrap();
        }
        writeln!(out, "{}", self.summary()).unwrap();
        out
    }

    fn theorem_text(&self, t: &TheoremReport, out: &mut String) {
        let proved = t.results.iter().filter(|r| r.status.is_proved()).count();
        writeln!(
            out,
            "THEOREM {}  ({})  {}/{} proved",
            t.name,
            self.map.location(t.tree.span),
            proved,
            t.results.len()
        )
        .unwrap();
        self.node_text(t, &t.tree, 1, out);
    }

    fn node_text(&self, t: &TheoremReport, node: &ProofNode, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth);
        for (i, id) in node.obligations.iter().enumerate() {
            let r = &t.results[*id];
            // A leaf's formula facts come first, its own obligation last.
            let label = if i + 1 == node.obligations.len() {
                node_label(node, depth)
            } else {
                format!("{} (fact {})", node_label(node, depth), i + 1)
            };
            writeln!(
                out,
                "{indent}{label:<12} {:<40} {:>7.3} s",
                status_text(&r.status),
                r.time.as_secs_f64()
            )
            .unwrap();
            match &r.status {
                Status::Failed(cx) => self.counterexample_text(cx, "counterexample", &indent, out),
                Status::Unconfirmed { model: Some(m), .. } => {
                    let title = "model found (not a counterexample)";
                    self.counterexample_text(m, title, &indent, out);
                }
                Status::Unsupported(why) | Status::Unknown(why) | Status::Error(why) => {
                    writeln!(
                        out,
                        "{indent}  at {}: {why}",
                        self.map.location(r.obligation.span)
                    )
                    .unwrap();
                }
                _ => {}
            }
        }
        if node.obligations.is_empty() && depth > 0 && node.children.is_empty() {
            // USE / DEFINE / WITNESS steps carry no obligation.
            return;
        }
        if !node.children.is_empty()
            && depth > 0
            && node.obligations.is_empty()
            && !node.label.is_empty()
            && depth > 1
        {
            writeln!(out, "{indent}{}", node.label).unwrap();
        }
        for c in &node.children {
            let d = if depth == 0 { 1 } else { depth + 1 };
            self.node_text(t, c, d, out);
        }
    }

    fn counterexample_text(
        &self,
        cx: &Counterexample,
        title: &str,
        indent: &str,
        out: &mut String,
    ) {
        let sections = [
            ("constants", &cx.constants),
            ("hidden definitions", &cx.definitions),
            ("parameters", &cx.parameters),
            ("pre-state", &cx.pre_state),
            ("post-state", &cx.post_state),
            ("the goal is false at", &cx.goal_instance),
        ];
        writeln!(out, "{indent}  {title}:").unwrap();
        if let Some(note) = &cx.note {
            writeln!(out, "{indent}    ({note})").unwrap();
        }
        for (title, bs) in sections {
            if bs.is_empty() {
                continue;
            }
            writeln!(out, "{indent}    {title}:").unwrap();
            for b in bs {
                writeln!(out, "{indent}      {} = {}", b.name, b.text()).unwrap();
            }
        }
        if !cx.sort_sizes.is_empty() {
            let sizes: Vec<String> = cx
                .sort_sizes
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            let how = if cx.minimized { " (minimised)" } else { "" };
            writeln!(
                out,
                "{indent}    model values per sort: {}{how}",
                sizes.join(", ")
            )
            .unwrap();
        }
        for span in &cx.false_goals {
            writeln!(
                out,
                "{indent}    false goal conjunct at {}: {}",
                self.map.location(*span),
                one_line(self.map.snippet(*span))
            )
            .unwrap();
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let theorems: Vec<JsonTheorem> = self
            .theorems
            .iter()
            .map(|t| JsonTheorem {
                name: t.name.clone(),
                location: self.map.location(t.tree.span),
                tree: self.json_node(t, &t.tree),
            })
            .collect();
        serde_json::json!({
            "theorems": theorems,
            "proved": self.proved(),
            "total": self.total(),
            "seconds": self.total_time.as_secs_f64(),
            "analysis_seconds": self.analysis_time.as_secs_f64(),
            "encode_seconds": self.results().map(|r| r.encode_time.as_secs_f64()).sum::<f64>(),
            "trusted_library_facts": self.library_facts(),
            "errors": self.errors(),
            "warnings": self.warnings(),
            "cited_theorems_not_checked": self.unchecked_citations(),
            "summary": self.summary(),
        })
    }

    fn json_node(&self, t: &TheoremReport, node: &ProofNode) -> JsonNode {
        JsonNode {
            label: node.label.clone(),
            location: self.map.location(node.span),
            obligations: node
                .obligations
                .iter()
                .map(|id| {
                    let r = &t.results[*id];
                    let (status, detail) = status_parts(&r.status);
                    JsonObligation {
                        status,
                        detail,
                        seconds: r.time.as_secs_f64(),
                        encode_seconds: r.encode_time.as_secs_f64(),
                        path: r.obligation.path.join(" "),
                        location: self.map.location(r.obligation.span),
                        unconfirmed_model: match &r.status {
                            Status::Unconfirmed { model, .. } => model.as_deref().cloned(),
                            _ => None,
                        },
                        counterexample: match &r.status {
                            Status::Failed(cx) => Some(JsonCounterexample {
                                cx: (**cx).clone(),
                                false_goals: cx
                                    .false_goals
                                    .iter()
                                    .map(|s| {
                                        format!(
                                            "{}: {}",
                                            self.map.location(*s),
                                            one_line(self.map.snippet(*s))
                                        )
                                    })
                                    .collect(),
                            }),
                            _ => None,
                        },
                    }
                })
                .collect(),
            children: node.children.iter().map(|c| self.json_node(t, c)).collect(),
        }
    }
}

fn node_label(node: &ProofNode, depth: usize) -> String {
    if depth <= 1 && !node.label.starts_with('<') {
        "(proof)".into()
    } else {
        node.label.clone()
    }
}

fn one_line(s: &str) -> String {
    let joined: Vec<&str> = s.split_whitespace().collect();
    let t = joined.join(" ");
    if t.chars().count() > 100 {
        t.chars().take(97).collect::<String>() + "..."
    } else {
        t
    }
}

fn status_parts(s: &Status) -> (&'static str, Option<String>) {
    match s {
        Status::Proved => ("proved", None),
        Status::Failed(_) => ("failed", Some("confirmed counterexample".into())),
        Status::Unconfirmed { why, .. } => ("unknown", Some(format!("model not confirmed: {why}"))),
        Status::Unknown(w) => ("unknown", Some(w.clone())),
        Status::Timeout => ("timeout", None),
        Status::TemporalRule(r) => ("temporal-rule", Some((*r).to_string())),
        Status::Omitted => ("omitted", None),
        Status::Unsupported(w) => ("unsupported", Some(w.clone())),
        Status::Error(w) => ("error", Some(w.clone())),
    }
}

/// The status as the report shows it.
pub fn status_text(s: &Status) -> String {
    match s {
        Status::Proved => "proved".into(),
        Status::Failed(_) => "FAILED (confirmed counterexample)".into(),
        Status::Unconfirmed { why, .. } => format!("UNKNOWN (model not confirmed: {why})"),
        Status::Unknown(_) => "UNKNOWN".into(),
        Status::Timeout => "TIMEOUT".into(),
        Status::TemporalRule(r) => format!("checked by built-in rule {r}"),
        Status::Omitted => "OMITTED (not proved)".into(),
        Status::Unsupported(_) => "UNSUPPORTED (not proved)".into(),
        Status::Error(_) => "ERROR (not proved)".into(),
    }
}

#[derive(Serialize)]
struct JsonTheorem {
    name: String,
    location: String,
    tree: JsonNode,
}

#[derive(Serialize)]
struct JsonNode {
    label: String,
    location: String,
    obligations: Vec<JsonObligation>,
    children: Vec<JsonNode>,
}

#[derive(Serialize)]
struct JsonObligation {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    seconds: f64,
    encode_seconds: f64,
    path: String,
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<JsonCounterexample>,
    /// The model of an UNKNOWN (model not confirmed) status.
    #[serde(skip_serializing_if = "Option::is_none")]
    unconfirmed_model: Option<Counterexample>,
}

#[derive(Serialize)]
struct JsonCounterexample {
    #[serde(flatten)]
    cx: Counterexample,
    false_goals: Vec<String>,
}
