//! Loading modules: files on the search path, EXTENDS (with cycle
//! detection), INSTANCE with substitution, and the standard modules.

use super::ir::*;
use super::program::*;
use super::resolve::{Resolver, Scope};
use crate::source::{Diagnostic, SourceMap, Span};
use crate::syntax::{self, ast};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

type R<T> = Result<T, Diagnostic>;

fn err(span: Span, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(span, msg)
}

/// TLAPS backend pragmas: accepted in BY lists and ignored.
const PRAGMAS: &[&str] = &[
    "Zenon",
    "ZenonT",
    "Isa",
    "IsaT",
    "IsaM",
    "IsaMT",
    "SMT",
    "SMTT",
    "Z3",
    "Z3T",
    "CVC3",
    "CVC3T",
    "CVC4",
    "CVC4T",
    "CVC5",
    "CVC5T",
    "Yices",
    "YicesT",
    "veriT",
    "veriTT",
    "Spass",
    "SpassT",
    "LS4",
    "PTL",
    "SimpleArithmetic",
    "Auto",
    "Force",
    "Blast",
    "SlowBlast",
    "AllProvers",
    "AllProversT",
    "SetExtensionality",
    "ExpandENABLED",
    "ExpandCdot",
    "AutoUSE",
    "Lambdify",
    "ENABLEDaxioms",
    "ENABLEDrewrites",
    "ENABLEDrules",
    "LevelComparison",
    "LS4T",
    "AllSMT",
    "AllSMTT",
    "AllIsa",
    "AllIsaT",
    "IsaWithSetExtensionality",
    // Names of earlier TLAPS releases, still in published proofs.
    "SimplifyAndSolve",
    "Zipper",
    "ZipperT",
    "UseWith",
    "With",
    "Trivial",
];

/// Trusted statements of the FiniteSetTheorems facts proofs cite.
const FINITE_SET_THEOREMS: &str = include_str!("stdlib/FiniteSetTheorems.tla");
/// Trusted statements of the NaturalsInduction facts proofs cite.
const NATURALS_INDUCTION: &str = include_str!("stdlib/NaturalsInduction.tla");
/// The standard module Sequences, as definitions.
const SEQUENCES: &str = include_str!("stdlib/Sequences.tla");
/// The standard module TLC, as definitions.
const TLC: &str = include_str!("stdlib/TLC.tla");
/// Theorems of the TLAPS module.
const TLAPS_THEOREMS: &str = include_str!("stdlib/TLAPS.tla");
/// What TLAPS's SMT backend knows of the Sequences operators: trusted
/// theorems of the built-in Sequences, out of every user's scope.
const SEQUENCES_FACTS: &str = include_str!("stdlib/SequencesFacts.tla");

/// The library module Functions, as definitions.
const FUNCTIONS: &str = include_str!("stdlib/Functions.tla");
/// Trusted statements of the WellFoundedInduction facts, with its
/// definitions.
const WELL_FOUNDED_INDUCTION: &str = include_str!("stdlib/WellFoundedInduction.tla");
/// Trusted statements of the FunctionTheorems facts.
const FUNCTION_THEOREMS: &str = include_str!("stdlib/FunctionTheorems.tla");
/// Trusted statements of the SequenceTheorems facts.
const SEQUENCE_THEOREMS: &str = include_str!("stdlib/SequenceTheorems.tla");
/// The standard module Bags, as definitions (without its sums).
const BAGS: &str = include_str!("stdlib/Bags.tla");
/// The non-recursive operators of the community module FiniteSetsExt.
const FINITE_SETS_EXT: &str = include_str!("stdlib/FiniteSetsExt.tla");
/// The non-recursive operators of the community module SequencesExt.
const SEQUENCES_EXT: &str = include_str!("stdlib/SequencesExt.tla");
/// SequencesExtTheorems: extends its modules; its theorems not yet stated.
const SEQUENCES_EXT_THEOREMS: &str = include_str!("stdlib/SequencesExtTheorems.tla");
/// The community module Graphs, as definitions.
const GRAPHS: &str = include_str!("stdlib/Graphs.tla");
/// The community module BagsExt, as definitions.
const BAGS_EXT: &str = include_str!("stdlib/BagsExt.tla");
/// The community module Folds (its one fold, recursive).
const FOLDS: &str = include_str!("stdlib/Folds.tla");
/// TLC's Randomization: its operators as arbitrary operators.
const RANDOMIZATION: &str = include_str!("stdlib/Randomization.tla");

/// Embedded text of a library module written in TLA+.
fn library_text(name: &str) -> Option<&'static str> {
    match name {
        "Bags" => Some(BAGS),
        "BagsExt" => Some(BAGS_EXT),
        "Graphs" => Some(GRAPHS),
        "FiniteSetTheorems" => Some(FINITE_SET_THEOREMS),
        "FiniteSetsExt" => Some(FINITE_SETS_EXT),
        "Folds" => Some(FOLDS),
        "Functions" => Some(FUNCTIONS),
        "FunctionTheorems" => Some(FUNCTION_THEOREMS),
        "WellFoundedInduction" => Some(WELL_FOUNDED_INDUCTION),
        "NaturalsInduction" => Some(NATURALS_INDUCTION),
        "Sequences" => Some(SEQUENCES),
        "SequenceTheorems" => Some(SEQUENCE_THEOREMS),
        "SequencesExt" => Some(SEQUENCES_EXT),
        "SequencesExtTheorems" => Some(SEQUENCES_EXT_THEOREMS),
        "Randomization" => Some(RANDOMIZATION),
        "TLC" => Some(TLC),
        "TLAPS" => Some(TLAPS_THEOREMS),
        _ => None,
    }
}

/// Reads module files and caches their syntax trees.
pub struct Loader {
    pub map: SourceMap,
    search: Vec<PathBuf>,
    cache: HashMap<String, Rc<ast::Module>>,
    /// Modules being extended, for cycle detection.
    stack: Vec<String>,
}

/// How a module's units are loaded.
#[derive(Clone)]
struct Mode {
    /// Substitutions for an instanced module's constants and variables.
    subst: Option<HashMap<String, E>>,
    origin: TheoremOrigin,
    module: Rc<str>,
    /// Index of the first assumption loaded in this mode (an instance's
    /// assumptions are those from here on).
    first_assume: usize,
}

impl Loader {
    pub fn new(search: Vec<PathBuf>) -> Self {
        Loader {
            map: SourceMap::new(),
            search,
            cache: HashMap::new(),
            stack: Vec::new(),
        }
    }

    /// Parse a file given by path.
    pub fn parse_file(&mut self, path: &Path) -> Result<Rc<ast::Module>, Vec<Diagnostic>> {
        let bytes = std::fs::read(path).map_err(|e| {
            let id = self.map.add(path, String::new());
            vec![err(
                Span::new(id, 0, 0),
                format!("cannot read {}: {e}", path.display()),
            )]
        })?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                // Located at the first bad byte: the text before it is
                // kept as it is, so its line and column are right.
                let at = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let id = self.map.add(path, lossy);
                return Err(vec![err(
                    Span::new(id, at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
                    format!("invalid UTF-8 (byte {at}): a module must be UTF-8 text"),
                )]);
            }
        };
        let m = Rc::new(syntax::parse_module(&mut self.map, path, text)?);
        self.cache.insert(m.name.name.clone(), m.clone());
        Ok(m)
    }

    /// Parse the file for `EXTENDS`/`INSTANCE name`: it must declare that module.
    fn parse_named(&mut self, path: &Path, name: &ast::Ident) -> R<Rc<ast::Module>> {
        let m = self.parse_file(path).map_err(|mut d| d.remove(0))?;
        if m.name.name != name.name {
            return Err(err(
                m.name.span,
                format!(
                    "{} declares module `{}`, but it was loaded for `{}`",
                    path.display(),
                    m.name.name,
                    name.name
                ),
            ));
        }
        Ok(m)
    }

    fn find_module(&mut self, name: &ast::Ident) -> R<Rc<ast::Module>> {
        if let Some(m) = self.cache.get(&name.name) {
            return Ok(m.clone());
        }
        let file = format!("{}.tla", name.name);
        let found = self
            .search
            .iter()
            .map(|d| d.join(&file))
            .find(|p| p.is_file());
        // A library module on the search path (a user's installed copy)
        // takes precedence over the built-in text.
        if let Some(text) = library_text(&name.name).filter(|_| found.is_none()) {
            let m = syntax::parse_module(
                &mut self.map,
                Path::new(&format!("<builtin>/{}.tla", name.name)),
                text.to_string(),
            )
            .map_err(|mut d| d.remove(0))?;
            let m = Rc::new(m);
            self.cache.insert(name.name.clone(), m.clone());
            return Ok(m);
        }
        let Some(path) = found else {
            let dirs: Vec<String> = self
                .search
                .iter()
                .map(|d| d.display().to_string())
                .collect();
            return Err(
                err(name.span, format!("cannot find module `{}`", name.name))
                    .with_note(format!("searched for {file} in: {}", dirs.join(", "))),
            );
        };
        self.parse_named(&path, name)
    }
}

/// Load the root module and everything it references.
pub fn load_root(loader: &mut Loader, root: &ast::Module, prog: &mut Program) -> R<()> {
    prog.root_name = root.name.name.as_str().into();
    let mut res = Resolver::new(prog, Scope::default());
    let mode = Mode {
        subst: None,
        origin: TheoremOrigin::User,
        module: root.name.name.as_str().into(),
        first_assume: 0,
    };
    let mut done = HashSet::new();
    loader.stack.push(root.name.name.clone());
    let r = load_module(loader, &mut res, root, &mode, &mut done);
    loader.stack.pop();
    r?;
    let ns = res.scope.ns.clone();
    prog.root = ns;
    Ok(())
}

/// Names a standard module provides; `None` if `name` is not standard.
fn standard_module(name: &str) -> Option<Vec<(&'static str, Binding)>> {
    match name {
        "Naturals" | "Integers" => Some(Vec::new()),
        "FiniteSets" => Some(vec![
            ("IsFiniteSet", Binding::Builtin(Builtin::IsFiniteSet, 1)),
            ("Cardinality", Binding::Builtin(Builtin::Cardinality, 1)),
        ]),
        "TLAPS" => Some(PRAGMAS.iter().map(|p| (*p, Binding::Pragma)).collect()),
        _ => None,
    }
}

fn load_module(
    loader: &mut Loader,
    res: &mut Resolver,
    module: &ast::Module,
    mode: &Mode,
    done: &mut HashSet<String>,
) -> R<()> {
    if !done.insert(module.name.name.clone()) {
        return Ok(());
    }
    for ext in &module.extends {
        if let Some(names) = standard_module(&ext.name) {
            for (n, b) in names {
                res.scope.ns.names.insert(n.into(), b);
            }
            if library_text(&ext.name).is_none() {
                continue;
            }
        }
        if loader.stack.contains(&ext.name) {
            return Err(err(
                ext.span,
                format!("cyclic EXTENDS: `{}` extends itself", ext.name),
            )
            .with_note(format!(
                "chain: {} -> {}",
                loader.stack.join(" -> "),
                ext.name
            )));
        }
        let m = loader.find_module(ext)?;
        let mut ext_mode = mode.clone();
        if library_text(&ext.name).is_some() {
            ext_mode.origin = TheoremOrigin::Library;
        }
        ext_mode.module = ext.name.as_str().into();
        loader.stack.push(ext.name.clone());
        let r = load_module(loader, res, &m, &ext_mode, done);
        loader.stack.pop();
        r?;
    }
    // Set after the EXTENDS above, which load their own modules' units.
    res.module_theorems = module
        .units
        .iter()
        .filter_map(|u| match u {
            ast::Unit::Theorem(t) => t.name.as_ref().map(|n| n.name.clone()),
            _ => None,
        })
        .collect();
    // A module-level USE holds until the end of its own module.
    let outer_use = std::mem::take(&mut res.module_use);
    let text = loader.map.file(module.span.file).text.as_str();
    let outer_source = res.source.replace((module.span.file, text.into()));
    let outer_labels = std::mem::replace(
        &mut res.labels,
        module
            .labels
            .iter()
            .map(|(sp, n)| (*sp, Rc::from(n.as_str())))
            .collect(),
    );
    let mut r = Ok(());
    for unit in &module.units {
        r = load_unit(loader, res, unit, mode);
        if r.is_err() {
            break;
        }
    }
    res.module_use = outer_use;
    res.source = outer_source;
    res.labels = outer_labels;
    r?;
    let builtin = loader.map.path(module.span.file).starts_with("<builtin>");
    if module.name.name == "Sequences" && builtin {
        load_native_facts(loader, res, mode)?;
    }
    Ok(())
}

/// The trusted facts of `SequencesFacts.tla` about the Sequences operators
/// just loaded: resolved in the current scope, recorded in
/// `Program::sequence_facts`, their names taken out of the scope again.
/// Only for the built-in Sequences: they are theorems of its definitions,
/// not of a user's own copy.
fn load_native_facts(loader: &mut Loader, res: &mut Resolver, mode: &Mode) -> R<()> {
    let path = Path::new("<builtin>/SequencesFacts.tla");
    let module = match loader.cache.get("<SequencesFacts>") {
        Some(m) => m.clone(),
        None => {
            let m = syntax::parse_module(&mut loader.map, path, SEQUENCES_FACTS.to_string())
                .map_err(|mut d| d.remove(0))?;
            let m = Rc::new(m);
            loader.cache.insert("<SequencesFacts>".into(), m.clone());
            m
        }
    };
    let mut fact_mode = mode.clone();
    fact_mode.origin = TheoremOrigin::Library;
    fact_mode.module = "Sequences".into();
    let first = res.prog.theorems.len();
    let outer_theorems = std::mem::take(&mut res.module_theorems);
    for unit in &module.units {
        if let ast::Unit::Theorem(t) = unit {
            load_unit(loader, res, unit, &fact_mode)?;
            if let Some(n) = &t.name {
                res.scope.ns.names.remove(n.name.as_str());
            }
        }
    }
    res.module_theorems = outer_theorems;
    let last = res.prog.theorems.len();
    res.prog
        .sequence_facts
        .extend((first..last).map(|i| ThmId(i as u32)));
    Ok(())
}

/// `s` with every run of whitespace one space.
pub(super) fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `RECURSIVE F(_, _)`: the name denotes a definition from here on (so
/// that its body, and others before it, may use it); its body comes
/// with its definition. It is never expanded (see
/// `Program::recursive_ops`).
fn declare_recursive(res: &mut Resolver, name: &ast::Ident, arity: usize, span: Span) {
    let params: Vec<BVar> = (0..arity).map(|_| res.prog.fresh_bvar("_")).collect();
    let ty = res.prog.types.fresh();
    let id = res.prog.add_def(Def {
        name: res.qualified(&name.name),
        params,
        param_arities: vec![0; arity],
        body: DefBody::Pending,
        span,
        ty,
        origin: DefOrigin::Module,
        captured: 0,
    });
    res.prog.recursive_ops.insert(id);
    res.recursive_pending.insert(name.name.as_str().into(), id);
    res.scope
        .ns
        .names
        .insert(name.name.as_str().into(), Binding::Def(id));
}

/// A library module's definition of a name the user's modules already
/// define (`Range`, imported both from the user's module and from
/// `Functions`): accepted, the user's binding kept, only if the two are
/// the same definition (same parameters, alpha-equivalent bodies), so the
/// library's theorems mean what they state; otherwise the clash is an error.
fn same_library_definition(res: &mut Resolver, d: &ast::Definition) -> R<()> {
    let name: Rc<str> = d.name.name.as_str().into();
    let clash = || {
        Err(err(
            d.name.span,
            format!("multiple definitions of `{}`", d.name.name),
        ))
    };
    let Some(Binding::Def(old)) = res.scope.ns.names.get(&name).cloned() else {
        return clash();
    };
    // The very definition, reached again: a library module (they declare
    // no constants or variables, so every instance of one is the module
    // itself) extended after an INSTANCE of it (Graphs' LOCAL INSTANCE
    // Sequences, then SequencesExt's EXTENDS Sequences).
    let old_def = res.prog.def(old);
    if old_def.span == d.span && res.prog.library_defs.contains(&old) {
        return Ok(());
    }
    let new = res.definition(d, DefOrigin::Module)?;
    res.scope.ns.names.insert(name, Binding::Def(old));
    let (a, b) = (res.prog.def(old), res.prog.def(new));
    let same = a.param_arities == b.param_arities
        && match (&a.body, &b.body) {
            (DefBody::Expr(x), DefBody::Expr(y)) => {
                super::alpha::same_with_free(x, y, &a.params, &b.params)
            }
            _ => false,
        };
    if same { Ok(()) } else { clash() }
}

/// TLA+ forbids defining a name twice in a module (SANY rejects it).
pub(super) fn check_fresh(res: &Resolver, name: &ast::Ident) -> R<()> {
    if res.recursive_pending.contains_key(name.name.as_str()) {
        // The definition of an operator declared RECURSIVE.
        return Ok(());
    }
    match res.scope.ns.names.get(name.name.as_str()) {
        Some(Binding::Pragma) | None => Ok(()),
        Some(_) => Err(err(
            name.span,
            format!("multiple definitions of `{}`", name.name),
        )),
    }
}

fn declare(res: &mut Resolver, decl: &ast::Decl, mode: &Mode, is_var: bool) -> R<()> {
    check_fresh(res, &decl.name)?;
    let name: Rc<str> = decl.name.name.as_str().into();
    if let Some(subst) = &mode.subst {
        let e = subst.get(&decl.name.name).cloned().ok_or_else(|| {
            err(
                decl.span,
                format!("INSTANCE gives no substitution for `{name}`"),
            )
        })?;
        res.scope.ns.names.insert(name, Binding::Subst(e));
        return Ok(());
    }
    if decl.arity > 0 {
        // `CONSTANT Op(_)`: an arbitrary operator, like a `NEW Op(_)` of
        // every obligation: its applications are an uninterpreted function
        // of their arguments.
        let v = res.prog.fresh_bvar(&name);
        res.prog.op_constants.insert(v.id);
        res.scope
            .ns
            .names
            .insert(name, Binding::OpParam(v, decl.arity));
        return Ok(());
    }
    let ty = match &decl.type_annotation {
        Some((text, span)) => {
            let t = crate::types::parse_type(text)
                .map_err(|m| err(*span, format!("bad type annotation: {m}")))?;
            res.prog.types.from_annotation(&t)
        }
        None => res.prog.types.fresh(),
    };
    let binding = if is_var {
        res.prog.vars.push(VarDecl {
            name: name.clone(),
            ty,
            span: decl.span,
        });
        Binding::Var(VarId(res.prog.vars.len() as u32 - 1))
    } else {
        res.prog.consts.push(ConstDecl {
            name: name.clone(),
            ty,
            span: decl.span,
        });
        Binding::Const(ConstId(res.prog.consts.len() as u32 - 1))
    };
    res.scope.ns.names.insert(name, binding);
    Ok(())
}

fn load_unit(loader: &mut Loader, res: &mut Resolver, unit: &ast::Unit, mode: &Mode) -> R<()> {
    match unit {
        ast::Unit::Constants(ds) => ds.iter().try_for_each(|d| declare(res, d, mode, false)),
        ast::Unit::Variables(ds) => ds.iter().try_for_each(|d| declare(res, d, mode, true)),
        ast::Unit::Recursive(ds) => {
            for d in ds {
                check_fresh(res, &d.name)?;
                declare_recursive(res, &d.name, d.arity, d.span);
            }
            Ok(())
        }
        ast::Unit::Assume(a) => {
            if let Some(n) = &a.name {
                check_fresh(res, n)?;
            }
            let body = res.expr(&a.body)?;
            let text = loader
                .map
                .file(a.body.span.file)
                .text
                .get(a.body.span.start as usize..a.body.span.end as usize);
            res.prog.assumes.push(AssumeItem {
                name: a.name.as_ref().map(|n| n.name.as_str().into()),
                body,
                span: a.span,
                instanced: mode.subst.is_some(),
                ill_sorted: None,
                text: text.map(normalize_space),
            });
            if let Some(n) = &a.name {
                let id = AsmId(res.prog.assumes.len() as u32 - 1);
                res.scope
                    .ns
                    .names
                    .insert(n.name.as_str().into(), Binding::Assume(id));
            }
            Ok(())
        }
        ast::Unit::Definition(d)
            if mode.origin == TheoremOrigin::Library && check_fresh(res, &d.name).is_err() =>
        {
            same_library_definition(res, d)
        }
        ast::Unit::Definition(d) => match check_fresh(res, &d.name).and(Ok(&d.kind))? {
            ast::DefKind::Instance { params, instance } => {
                if !params.is_empty() {
                    return Err(err(d.span, "unsupported construct: parameterized INSTANCE"));
                }
                let ns = instantiate(loader, res, instance, Some(&d.name.name))?;
                res.prog.instances.push(InstanceNs {
                    name: d.name.name.as_str().into(),
                    ns,
                });
                let id = InstId(res.prog.instances.len() as u32 - 1);
                res.scope
                    .ns
                    .names
                    .insert(d.name.name.as_str().into(), Binding::Instance(id));
                Ok(())
            }
            _ => {
                let id = res.definition(d, DefOrigin::Module)?;
                if mode.origin == TheoremOrigin::Library {
                    res.prog.library_defs.insert(id);
                }
                Ok(())
            }
        },
        ast::Unit::Instance(inst) => {
            let ns = instantiate(loader, res, inst, None)?;
            for (n, b) in ns.names {
                res.scope.ns.names.entry(n).or_insert(b);
            }
            Ok(())
        }
        ast::Unit::Theorem(t) => load_theorem(res, t, mode),
        ast::Unit::UseHide(u) => {
            // Only the proofs of user modules are checked.
            if mode.origin != TheoremOrigin::User {
                return Ok(());
            }
            let (facts, defs) = res.facts_and_defs(&u.facts, &u.defs)?;
            let used = &mut res.module_use;
            if u.hide {
                used.defs.retain(|d| !defs.contains(d));
                used.facts
                    .retain(|f| !facts.iter().any(|h| h.same_citation(f)));
            } else {
                used.defs.extend(defs);
                used.facts.extend(facts);
            }
            Ok(())
        }
        ast::Unit::Submodule(m) => Err(err(m.span, "unsupported construct: nested module")),
    }
}

fn load_theorem(res: &mut Resolver, t: &ast::Theorem, mode: &Mode) -> R<()> {
    if let Some(n) = &t.name {
        check_fresh(res, n)?;
    }
    let mark = res.scope.mark();
    let statement = res.statement(&t.statement);
    let statement = match statement {
        Ok(s) => s,
        Err(e) => {
            res.scope.reset(mark);
            return Err(e);
        }
    };
    res.prog.theorems.push(TheoremItem {
        name: t.name.as_ref().map(|n| res.qualified(&n.name)),
        kind: t.kind,
        statement,
        proof: None,
        span: t.span,
        origin: mode.origin,
        module: mode.module.clone(),
        ill_sorted: None,
        proof_ill_sorted: None,
        circular: None,
        requires: match mode.origin {
            TheoremOrigin::Instanced => (mode.first_assume..res.prog.assumes.len())
                .filter(|&i| res.prog.assumes[i].instanced)
                .map(|i| AsmId(i as u32))
                .collect(),
            _ => Vec::new(),
        },
        module_use: res.module_use.clone(),
    });
    let id = ThmId(res.prog.theorems.len() as u32 - 1);
    if let Some(n) = &t.name {
        // Bound before the proof: proofs refer to their theorem (NextDef!2!1).
        res.scope
            .ns
            .names
            .insert(n.name.as_str().into(), Binding::Theorem(id));
    }
    let proof = match (&t.proof, mode.origin) {
        (Some(p), TheoremOrigin::User) => Some(res.proof(p)),
        _ => None,
    };
    res.scope.reset(mark);
    if let Some(p) = proof {
        res.prog.theorems[id.0 as usize].proof = Some(p?);
    }
    Ok(())
}

/// Declared constants and variables of a module and what it extends.
fn declared_names(
    loader: &mut Loader,
    m: &ast::Module,
    out: &mut Vec<(ast::Ident, usize)>,
    seen: &mut HashSet<String>,
) -> R<()> {
    if !seen.insert(m.name.name.clone()) {
        return Ok(());
    }
    for ext in &m.extends {
        if standard_module(&ext.name).is_none() && library_text(&ext.name).is_none() {
            let em = loader.find_module(ext)?;
            declared_names(loader, &em, out, seen)?;
        }
    }
    for u in &m.units {
        if let ast::Unit::Constants(ds) | ast::Unit::Variables(ds) = u {
            out.extend(ds.iter().map(|d| (d.name.clone(), d.arity)));
        }
    }
    Ok(())
}

/// Resolve an instanced module in its own namespace, with its constants and
/// variables replaced by the substitutions.
fn instantiate(
    loader: &mut Loader,
    res: &mut Resolver,
    inst: &ast::Instance,
    name: Option<&str>,
) -> R<Namespace> {
    if loader.stack.contains(&inst.module.name) {
        return Err(err(
            inst.module.span,
            format!("cyclic INSTANCE of `{}`", inst.module.name),
        ));
    }
    // A standard module built in (`LOCAL INSTANCE Naturals`): it has no
    // constants to substitute, only its operators.
    if let Some(names) = standard_module(&inst.module.name)
        && library_text(&inst.module.name).is_none()
    {
        if let Some((n, _)) = inst.substitutions.first() {
            return Err(err(
                n.span,
                format!("module `{}` has no constant `{}`", inst.module.name, n.name),
            ));
        }
        let mut ns = Namespace::default();
        for (n, b) in names {
            ns.names.insert(n.into(), b);
        }
        return Ok(ns);
    }
    let module = loader.find_module(&inst.module)?;
    let mut declared = Vec::new();
    declared_names(loader, &module, &mut declared, &mut HashSet::new())?;
    let arity_of = |n: &str| {
        declared
            .iter()
            .find(|(d, _)| d.name == n)
            .map_or(0, |(_, a)| *a)
    };
    let mut subst = HashMap::new();
    for (n, e) in &inst.substitutions {
        // `WITH Op <- F` for an operator constant `Op(_)`: the operator
        // (a LAMBDA, or a name taken as one).
        let value = match arity_of(&n.name) {
            0 => res.expr(e)?,
            k => res.operator_argument(e, k)?,
        };
        subst.insert(n.name.clone(), value);
    }
    for (d, arity) in &declared {
        if subst.contains_key(&d.name) {
            continue;
        }
        if *arity > 0 {
            // An operator constant substituted by the operator of the same
            // name in scope.
            let named = ast::Expr {
                kind: ast::ExprKind::Name(ast::NamePath {
                    segments: vec![ast::PathSegment::Name {
                        name: ast::Ident {
                            name: d.name.clone(),
                            span: inst.span,
                        },
                        args: Vec::new(),
                    }],
                    span: inst.span,
                }),
                span: inst.span,
            };
            let e = res.operator_argument(&named, *arity).map_err(|_| {
                err(
                    inst.span,
                    format!(
                        "INSTANCE {}: no substitution for the operator `{}` and no operator `{}` of {arity} argument(s) in scope",
                        inst.module.name, d.name, d.name
                    ),
                )
            })?;
            subst.insert(d.name.clone(), e);
            continue;
        }
        let path = ast::NamePath {
            segments: vec![ast::PathSegment::Name {
                name: ast::Ident {
                    name: d.name.clone(),
                    span: inst.span,
                },
                args: Vec::new(),
            }],
            span: inst.span,
        };
        let e = res.name_path(&path, inst.span).map_err(|_| {
            err(
                inst.span,
                format!(
                    "INSTANCE {}: no substitution for `{}` and no `{}` in scope",
                    inst.module.name, d.name, d.name
                ),
            )
        })?;
        subst.insert(d.name.clone(), e);
    }
    for (n, _) in &inst.substitutions {
        if !declared.iter().any(|(d, _)| d.name == n.name) {
            return Err(err(
                n.span,
                format!(
                    "`{}` is not a constant or variable of module `{}`",
                    n.name, inst.module.name
                ),
            ));
        }
    }
    // A library module without parameters instanced is the module itself:
    // its theorems are trusted library facts, as when it is extended.
    let origin = if library_text(&inst.module.name).is_some() && declared.is_empty() {
        TheoremOrigin::Library
    } else {
        TheoremOrigin::Instanced
    };
    let mode = Mode {
        subst: Some(subst),
        origin,
        module: inst.module.name.as_str().into(),
        first_assume: res.prog.assumes.len(),
    };
    let mut inner = Resolver::new(res.prog, Scope::default());
    inner.prefix = name.map(Rc::from);
    loader.stack.push(inst.module.name.clone());
    let r = load_module(loader, &mut inner, &module, &mode, &mut HashSet::new());
    loader.stack.pop();
    r?;
    Ok(inner.scope.ns)
}
