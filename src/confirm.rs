//! Confirming a solver's model before it is reported as a counterexample.
//!
//! Z3 answers `sat` on the *encoding* of an obligation; that is a TLA+
//! counterexample only if the encoding is faithful where the model lives.
//! So the model, read as TLA+ values in the solver process (see
//! `solve::model`), is evaluated here against the obligation with
//! [`crate::eval::confirm`]: it is a counterexample only if every
//! hypothesis is TRUE and the goal FALSE.
//!
//! What is evaluated, and why:
//! - the obligation as encoded (`Encoder::obligation_normalized`): it is
//!   equivalent to
//!   the obligation, and its fresh constants (the element of `A` for a goal
//!   `A \subseteq B`, the witness of a hypothesis `\E x \in S : P`) have
//!   values in the model, where the original would need `A` or `S`
//!   enumerated;
//! - with every definition expanded. A hidden definition is a symbol the
//!   solver may give any value; a model that needs a value its body does
//!   not give is a counterexample only to the obligation with the
//!   definition hidden, not to the theorem. Such a model is reported as not
//!   confirmed, naming the definition (found by evaluating again with the
//!   model's values for the hidden definitions, see `hidden_reliance`);
//! - unbounded quantifiers range over the model's values: the elements of
//!   its sorts and the values it gives. A result that needed them to be all
//!   values (an unbounded `\A` found TRUE) is not confirmed, since TLA+'s
//!   `\A` ranges over every value.
//!
//! Models are tried in the order given (the minimised one first); the
//! first confirmed one is the counterexample.

use crate::encode::{ItemKind, Script};
use crate::eval::{self, Interp, Value, Verdict};
use crate::obligations::Obligation;
use crate::semantic::ir::{BVar, ConstId, DefId, Expr, Kind, VarId};
use crate::semantic::program::Program;
use crate::solve::model::ModelValues;
use crate::source::{FileId, SourceMap, Span};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// A named value of a counterexample; `None` if the model does not
/// determine one (with the reason).
#[derive(Clone, Debug)]
pub struct Binding {
    pub name: String,
    pub value: Result<Value, String>,
}

impl Binding {
    /// The value as TLA+ text, or a note that there is none.
    pub fn text(&self) -> String {
        match &self.value {
            Ok(v) => v.to_string(),
            Err(why) => format!("<not determined by the model: {why}>"),
        }
    }
}

impl serde::Serialize for Binding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Binding", 2)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("value", &self.text())?;
        st.end()
    }
}

/// A model as shown: its values by section.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Counterexample {
    pub constants: Vec<Binding>,
    /// Hidden constant definitions: in a confirmed counterexample the
    /// value of their body, otherwise the value the solver chose.
    pub definitions: Vec<Binding>,
    pub parameters: Vec<Binding>,
    pub pre_state: Vec<Binding>,
    pub post_state: Vec<Binding>,
    /// Values of the goal's `\A` variables at which it is false, when the
    /// evaluator found them (the solver does not report them).
    pub goal_instance: Vec<Binding>,
    /// Spans of the goal conjuncts that are false in the model.
    #[serde(skip)]
    pub false_goals: Vec<Span>,
    /// Model values (atoms) of each uninterpreted sort in the values
    /// shown.
    pub sort_sizes: Vec<(String, usize)>,
    /// Whether the model was made smaller (see `solve::minimize`).
    pub minimized: bool,
    /// How the model was found, if not from the obligation as posed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Counterexample {
    /// Every binding, by name (the sections in order).
    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.constants
            .iter()
            .chain(&self.definitions)
            .chain(&self.parameters)
            .chain(&self.pre_state)
            .chain(&self.post_state)
            .chain(&self.goal_instance)
            .find(|b| b.name == name)
    }
}

/// The verdict on the models of one `sat` answer.
#[derive(Clone, Debug)]
pub enum Confirmation {
    Confirmed(Counterexample),
    /// No model is a confirmed counterexample: why (for the first model),
    /// and that model.
    NotConfirmed {
        why: String,
        model: Option<Counterexample>,
    },
}

/// Evaluation limits per hypothesis: confirmation runs in the main
/// process, one model after another.
const LIMITS: eval::Limits = eval::Limits {
    max_steps: 1_000_000,
    max_depth: 2000,
    max_stack: 1 << 20,
    max_set: 100_000,
};

/// Values of the universe of unbounded quantifiers at most.
const MAX_UNIVERSE: usize = 400;

/// Confirm the first of `models` that is a counterexample to the
/// obligation `script` encodes.
/// `normalized` is the obligation as encoded in `script`.
pub fn confirm(
    prog: &Program,
    map: &SourceMap,
    script: &Script,
    normalized: &Obligation,
    models: &[ModelValues],
) -> Confirmation {
    let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
    let ob = Obligation {
        expand: all.clone(),
        ..normalized.clone()
    };
    let mut first: Option<(String, &ModelValues, ModelInterp)> = None;
    let literals = literals(prog, normalized);
    for m in models {
        let mut interp = ModelInterp::new(prog, script, m);
        interp.add_to_universe(&literals);
        let (verdict, witness) = run(prog, &ob, &interp);
        let why = match verdict {
            Verdict::Confirmed {
                relied_on_universe: false,
            } => {
                let mut cx = counterexample(prog, script, m, Some((&interp, &all)));
                cx.goal_instance = witness
                    .into_iter()
                    .map(|(v, x)| Binding {
                        name: v.name.to_string(),
                        value: Ok(x),
                    })
                    .collect();
                return Confirmation::Confirmed(cx);
            }
            Verdict::Confirmed {
                relied_on_universe: true,
            } => format!(
                "the hypotheses hold in the model only if an unbounded quantifier (\\A, or the NEW of a cited fact) ranges over the model's {} values, not over all values",
                interp.universe.len()
            ),
            Verdict::NotConfirmed { why, span } => {
                format!("{why} (at {})", map.location(span))
            }
        };
        if first.is_none() {
            first = Some((why, m, interp));
        }
    }
    let Some((why, m, interp)) = first else {
        return Confirmation::NotConfirmed {
            why: "Z3 gave no model".into(),
            model: None,
        };
    };
    let why = hidden_reliance(prog, normalized, &interp, &all).unwrap_or(why);
    Confirmation::NotConfirmed {
        why,
        model: Some(counterexample(prog, script, m, None)),
    }
}

/// `eval::confirm_with_witness`, with a panic of the evaluator reported,
/// not raised.
fn run(prog: &Program, ob: &Obligation, interp: &ModelInterp) -> (Verdict, Vec<(BVar, Value)>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eval::confirm_with_witness(prog, ob, interp, LIMITS)
    }))
    .unwrap_or_else(|_| {
        let why = "the evaluator failed on it".into();
        (Verdict::NotConfirmed { why, span: ob.span }, Vec::new())
    })
}

/// If the obligation, with its hidden definitions at the model's values,
/// is falsified by the model: which of those values differ from what the
/// definitions' bodies give (the values the model relies on).
fn hidden_reliance(
    prog: &Program,
    normalized: &Obligation,
    interp: &ModelInterp,
    all: &BTreeSet<DefId>,
) -> Option<String> {
    if interp.defs.is_empty() {
        return None;
    }
    let with_defs = ModelInterp {
        opaque: true,
        ..interp.clone()
    };
    if !matches!(
        run(prog, normalized, &with_defs).0,
        Verdict::Confirmed { .. }
    ) {
        return None;
    }
    let mut culprits = Vec::new();
    let mut ev = eval::Evaluator::new(prog, interp, all).with_limits(LIMITS);
    let mut defs: Vec<(&DefId, &Value)> = interp.defs.iter().collect();
    defs.sort();
    for (d, v) in defs {
        let def = prog.def(*d);
        let e = Rc::new(Expr {
            kind: Kind::App(*d, Vec::new()),
            span: def.span,
            ty: def.ty,
        });
        let body = match ev.eval(&e) {
            Ok(b) if b == *v => continue,
            Ok(b) => format!("its definition gives {b}"),
            Err(e) => format!("its definition cannot be evaluated: {e}"),
        };
        culprits.push((def.name.to_string(), format!("{v}, where {body}")));
    }
    if culprits.is_empty() {
        return None;
    }
    let names: Vec<String> = culprits.iter().map(|(n, _)| format!("`{n}`")).collect();
    let values: Vec<String> = culprits
        .iter()
        .map(|(n, v)| format!("`{n}` = {v}"))
        .collect();
    let them = if culprits.len() == 1 {
        "definition"
    } else {
        "definitions"
    };
    Some(format!(
        "the hypotheses hold and the goal is false in the model only with the values it gives the hidden {them} {}; cite {} with DEF to use {}",
        values.join("; "),
        names.join(", "),
        if culprits.len() == 1 {
            "its definition"
        } else {
            "their definitions"
        }
    ))
}

/// The model's values as the evaluator asks for them.
#[derive(Clone)]
struct ModelInterp {
    consts: HashMap<ConstId, Value>,
    vars: HashMap<(VarId, bool), Value>,
    symbols: HashMap<u32, Value>,
    /// Hidden constant definitions, given only when `opaque`.
    defs: HashMap<DefId, Value>,
    opaque: bool,
    universe: Vec<Value>,
}

impl ModelInterp {
    fn new(prog: &Program, script: &Script, m: &ModelValues) -> Self {
        let mut out = ModelInterp {
            consts: HashMap::new(),
            vars: HashMap::new(),
            symbols: HashMap::new(),
            defs: HashMap::new(),
            opaque: false,
            universe: Vec::new(),
        };
        let mut universe: BTreeSet<Value> = BTreeSet::new();
        for (item, v) in script.items.iter().zip(&m.items) {
            let Ok(v) = v else { continue };
            let v = v.value();
            subvalues(&v, &mut universe);
            match item.kind {
                ItemKind::Constant => match item.def {
                    Some(d) => {
                        out.defs.insert(d, v);
                    }
                    // The encoder names a constant's symbol by its name.
                    None => {
                        for (i, c) in prog.consts.iter().enumerate() {
                            if *c.name == *item.name {
                                out.consts.insert(ConstId(i as u32), v.clone());
                            }
                        }
                    }
                },
                ItemKind::PreState | ItemKind::PostState => {
                    let primed = item.kind == ItemKind::PostState;
                    let name = item.name.strip_suffix('\'').unwrap_or(&item.name);
                    for (i, x) in prog.vars.iter().enumerate() {
                        if *x.name == *name {
                            out.vars.insert((VarId(i as u32), primed), v.clone());
                        }
                    }
                }
                ItemKind::Parameter => {
                    if let Some(id) = item.bvar {
                        out.symbols.insert(id, v);
                    }
                }
            }
        }
        for w in &m.others {
            subvalues(&w.value(), &mut universe);
        }
        universe.insert(Value::Bool(true));
        universe.insert(Value::Bool(false));
        out.universe = universe.into_iter().take(MAX_UNIVERSE).collect();
        out
    }
}

impl ModelInterp {
    fn add_to_universe(&mut self, values: &BTreeSet<Value>) {
        let mut all: BTreeSet<Value> = std::mem::take(&mut self.universe).into_iter().collect();
        all.extend(
            values
                .iter()
                .take(MAX_UNIVERSE.saturating_sub(all.len()))
                .cloned(),
        );
        self.universe = all.into_iter().collect();
    }
}

/// Candidate witnesses the model may not mention: the integers and
/// strings written in the obligation and the definitions it uses, the
/// integers next to them, and -1 .. 2. (Z3 does not report the witness of
/// a goal `\A x \in Nat : x > 3` it refutes; 0 is one.)
fn literals(prog: &Program, ob: &Obligation) -> BTreeSet<Value> {
    use crate::semantic::ir::{DefBody, E};
    let mut todo: Vec<&E> = ob.formulas();
    let mut out: BTreeSet<Value> = (-1..=2).map(Value::Int).collect();
    let mut seen = BTreeSet::new();
    while let Some(e) = todo.pop() {
        if out.len() >= MAX_LITERALS {
            break;
        }
        match &e.kind {
            Kind::Int(i) => {
                for j in [i.checked_sub(1), Some(*i), i.checked_add(1)]
                    .into_iter()
                    .flatten()
                {
                    out.insert(Value::Int(j));
                }
            }
            Kind::Str(s) => {
                out.insert(Value::str(s));
            }
            Kind::App(d, _) | Kind::RecFnRef(d) if seen.insert(*d) => match &prog.def(*d).body {
                DefBody::Expr(b) => todo.push(b),
                DefBody::RecFn(bs, b) => {
                    todo.extend(bs.iter().map(|(_, s)| s));
                    todo.push(b);
                }
                DefBody::Pending => {}
            },
            _ => {}
        }
        todo.extend(crate::semantic::level::children(e));
    }
    out
}

/// Literal witnesses kept at most.
const MAX_LITERALS: usize = 100;

/// A value and its parts (elements, arguments and results), at most
/// `MAX_UNIVERSE` in all.
fn subvalues(v: &Value, out: &mut BTreeSet<Value>) {
    if out.len() >= MAX_UNIVERSE || !out.insert(v.clone()) {
        return;
    }
    match v {
        Value::Set(s) => s.iter().for_each(|x| subvalues(x, out)),
        Value::Fun(f) => f.iter().for_each(|(k, x)| {
            subvalues(k, out);
            subvalues(x, out);
        }),
        _ => {}
    }
}

impl Interp for ModelInterp {
    fn constant(&self, c: ConstId) -> Option<Value> {
        self.consts.get(&c).cloned()
    }

    fn variable(&self, v: VarId, primed: bool) -> Option<Value> {
        self.vars.get(&(v, primed)).cloned()
    }

    fn symbol(&self, v: &BVar, args: &[Value]) -> Option<Value> {
        if !args.is_empty() {
            return None;
        }
        self.symbols.get(&v.id).cloned()
    }

    fn opaque(&self, d: DefId, args: &[Value], _primed: bool) -> Option<Value> {
        // These definitions are constant-level: primed or not, one value.
        if !self.opaque || !args.is_empty() {
            return None;
        }
        self.defs.get(&d).cloned()
    }

    fn universe(&self, _v: &BVar) -> Option<&[Value]> {
        Some(&self.universe)
    }
}

/// The model's values by section. With `evaluated`, hidden definitions
/// show the values of their bodies (a confirmed counterexample has every
/// definition expanded), otherwise the values the solver chose.
fn counterexample(
    prog: &Program,
    script: &Script,
    m: &ModelValues,
    evaluated: Option<(&ModelInterp, &BTreeSet<DefId>)>,
) -> Counterexample {
    let mut cx = Counterexample {
        minimized: m.minimized,
        false_goals: m
            .false_goals
            .iter()
            .map(|&(file, start, end)| Span {
                file: FileId(file),
                start,
                end,
            })
            .collect(),
        ..Counterexample::default()
    };
    let mut ev = evaluated.map(|(interp, all)| {
        eval::Evaluator::new(prog, interp as &dyn Interp, all).with_limits(LIMITS)
    });
    for (item, v) in script.items.iter().zip(&m.items) {
        let mut value = v.as_ref().map(|w| w.value()).map_err(|e| e.clone());
        if let (Some(d), Some(ev)) = (item.def, ev.as_mut()) {
            let def = prog.def(d);
            let e = Rc::new(Expr {
                kind: Kind::App(d, Vec::new()),
                span: def.span,
                ty: def.ty,
            });
            value = ev.eval(&e).map_err(|e| e.to_string());
        }
        let name = match item.def {
            Some(d) => prog.def(d).name.to_string(),
            None => item.name.clone(),
        };
        let b = Binding { name, value };
        match item.kind {
            ItemKind::Constant if item.def.is_some() => cx.definitions.push(b),
            ItemKind::Constant => cx.constants.push(b),
            ItemKind::Parameter => cx.parameters.push(b),
            ItemKind::PreState => cx.pre_state.push(b),
            ItemKind::PostState => cx.post_state.push(b),
        }
    }
    let mut atoms = BTreeSet::new();
    for b in cx.constants.iter().chain(&cx.parameters) {
        if let Ok(v) = &b.value {
            collect_atoms(v, &mut atoms);
        }
    }
    for b in cx.pre_state.iter().chain(&cx.post_state) {
        if let Ok(v) = &b.value {
            collect_atoms(v, &mut atoms);
        }
    }
    for a in atoms {
        match cx.sort_sizes.last_mut() {
            Some((s, n)) if **s == *a.sort => *n += 1,
            _ => cx.sort_sizes.push((a.sort.to_string(), 1)),
        }
    }
    cx
}

fn collect_atoms(v: &Value, out: &mut BTreeSet<eval::Atom>) {
    match v {
        Value::Atom(a) => {
            out.insert((**a).clone());
        }
        Value::Set(s) => s.iter().for_each(|x| collect_atoms(x, out)),
        Value::Fun(f) => f.iter().for_each(|(k, x)| {
            collect_atoms(k, out);
            collect_atoms(x, out);
        }),
        _ => {}
    }
}
