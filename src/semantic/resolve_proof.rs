//! Resolution of theorem statements and proofs.

use super::ir::*;
use super::program::*;
use super::proof::*;
use super::resolve::{Head, Resolver};
use crate::source::{Diagnostic, Span};
use crate::syntax::ast::{self, ExprKind, PathSegment};

type R<T> = Result<T, Diagnostic>;

fn err(span: Span, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(span, msg)
}

impl Resolver<'_> {
    /// `<1>1!2...`: a subexpression of a step's assumption list or of the
    /// formula it asserts.
    pub(super) fn step_subexpression(
        &mut self,
        l: &ast::StepLabel,
        rest: &[PathSegment],
        span: Span,
    ) -> R<E> {
        let Some(key) = self.scope.find_step(l) else {
            return Err(err(span, format!("unknown step `{}`", l.display())));
        };
        if let (Some(items), Some(PathSegment::Index(i))) =
            (self.step_assumptions.get(&key), rest.first())
        {
            let item = (*i as usize)
                .checked_sub(1)
                .and_then(|i| items.get(i).cloned());
            return match item {
                Some(Some(e)) => self.select_path(Head::Expr(e), &rest[1..], span),
                Some(None) => Err(err(
                    span,
                    "unsupported construct: a subexpression of a nested ASSUME/PROVE",
                )),
                None => Err(err(
                    span,
                    format!("step `{}` has no assumption {i}", l.display()),
                )),
            };
        }
        match self.step_formulas.get(&key).cloned() {
            Some(f) => self.select_path(Head::Expr(f), rest, span),
            None => Err(err(
                span,
                format!(
                    "unsupported construct: subexpression of step `{}` (only of an asserted formula or of an ASSUME list without NEW)",
                    l.display()
                ),
            )),
        }
    }

    /// Resolve a statement; NEW declarations stay bound in scope (the
    /// caller decides how long).
    pub fn statement(&mut self, st: &ast::Statement) -> R<Sequent> {
        match st {
            ast::Statement::Expr(e) => Ok(Sequent::formula(self.expr(e)?)),
            ast::Statement::AssumeProve(ap) => self.assume_prove(ap),
        }
    }

    fn assume_prove(&mut self, ap: &ast::AssumeProve) -> R<Sequent> {
        let mut news = Vec::new();
        let mut hyps = Vec::new();
        for a in &ap.assumptions {
            match a {
                ast::Assumption::New(n) => {
                    let domain = match &n.domain {
                        Some(d) => Some(self.expr(d)?),
                        None => None,
                    };
                    let v = self.prog.fresh_bvar(&n.name.name);
                    let level = match n.level {
                        ast::NewLevel::Constant => Level::Constant,
                        ast::NewLevel::Variable | ast::NewLevel::State => Level::State,
                        ast::NewLevel::Action => Level::Action,
                        ast::NewLevel::Temporal => Level::Temporal,
                    };
                    if level != Level::Constant {
                        self.prog.flexible_params.insert(v.id, level);
                    }
                    let b = if n.arity == 0 {
                        Binding::Bound(v.clone())
                    } else {
                        self.prog.op_params.insert(v.id);
                        Binding::OpParam(v.clone(), n.arity)
                    };
                    self.scope.push(n.name.name.as_str().into(), b);
                    news.push((v, domain));
                }
                ast::Assumption::Fact(e) => hyps.push(Hyp::Fact(self.expr(e)?)),
                ast::Assumption::Nested(inner) => {
                    let mark = self.scope.mark();
                    let s = self.assume_prove(inner);
                    self.scope.reset(mark);
                    hyps.push(Hyp::Sequent(s?, inner.span));
                }
                ast::Assumption::Definition(d) => {
                    return Err(err(
                        d.span,
                        "unsupported construct: definition inside ASSUME",
                    ));
                }
            }
        }
        let goal = self.expr(&ap.goal)?;
        Ok(Sequent { news, hyps, goal })
    }

    pub fn proof(&mut self, p: &ast::Proof) -> R<RProof> {
        match p {
            ast::Proof::Terminal(ast::TerminalProof::Obvious(s)) => Ok(RProof::Obvious(*s)),
            ast::Proof::Terminal(ast::TerminalProof::Omitted(s)) => Ok(RProof::Omitted(*s)),
            ast::Proof::Terminal(ast::TerminalProof::By(by)) => Ok(RProof::By(self.by(by)?)),
            ast::Proof::Steps(steps, span) => {
                let mark = self.scope.mark();
                let r = self.steps(steps);
                self.scope.reset(mark);
                Ok(RProof::Steps(r?, *span))
            }
        }
    }

    fn steps(&mut self, steps: &[ast::Step]) -> R<Vec<RStep>> {
        let outer_at = self.step_at.take();
        let r = self.steps_at_one_level(steps);
        self.step_at = outer_at;
        r
    }

    fn steps_at_one_level(&mut self, steps: &[ast::Step]) -> R<Vec<RStep>> {
        let mut out: Vec<RStep> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in steps {
            // `@` in this step: the right side of the previous one's
            // assertion, if that is a plain binary relation.
            self.step_at = match out.last().map(|p| &p.kind) {
                Some(RStepKind::Assert(st)) if st.news.is_empty() && st.hyps.is_empty() => {
                    match &st.goal.kind {
                        Kind::Binary(_, _, rhs) => Some(rhs.clone()),
                        _ => None,
                    }
                }
                _ => None,
            };
            if s.label.name.is_some() && !seen.insert(s.label.display()) {
                return Err(err(
                    s.label.span,
                    format!("step `{}` is defined twice", s.label.display()),
                ));
            }
            self.next_step += 1;
            let key = StepKey(self.next_step);
            let inner_mark = self.scope.mark();
            let (kind, keep_bindings) = match &s.kind {
                ast::StepKind::Assert(st) => (RStepKind::Assert(self.statement(st)?), false),
                ast::StepKind::Suffices(st) => (RStepKind::Suffices(self.statement(st)?), true),
                ast::StepKind::Case(e) => (RStepKind::Case(self.expr(e)?), false),
                ast::StepKind::Pick { bounds, body } => {
                    let bs = self.bounds(bounds)?;
                    (RStepKind::Pick(bs, self.expr(body)?), true)
                }
                ast::StepKind::Witness(es) => {
                    let mut v = Vec::new();
                    for e in es {
                        v.push(self.expr(e)?);
                    }
                    (RStepKind::Witness(v), true)
                }
                ast::StepKind::Have(e) => (RStepKind::Have(self.expr(e)?), true),
                ast::StepKind::Take(bounds) => (RStepKind::Take(self.bounds(bounds)?), true),
                ast::StepKind::Define(defs) => {
                    let mut ids = Vec::new();
                    for d in defs {
                        ids.push(self.definition(d, DefOrigin::ProofDefine)?);
                    }
                    (RStepKind::Define(ids), true)
                }
                ast::StepKind::UseHide(u) => {
                    let (facts, defs) = self.facts_and_defs(&u.facts, &u.defs)?;
                    (
                        RStepKind::Use {
                            hide: u.hide,
                            facts,
                            defs,
                        },
                        true,
                    )
                }
                ast::StepKind::Qed => (RStepKind::Qed, true),
            };
            if let RStepKind::Assert(st) = &kind
                && st.news.is_empty()
                && st.hyps.is_empty()
            {
                self.step_formulas.insert(key, st.goal.clone());
            }
            // `<1>1!2` of an ASSUME/PROVE or SUFFICES step: its 2nd
            // assumption (numbered only when there is no NEW among them,
            // whose order relative to the formulas is not kept).
            if let RStepKind::Assert(st) | RStepKind::Suffices(st) = &kind
                && st.news.is_empty()
                && !st.hyps.is_empty()
            {
                let items = st
                    .hyps
                    .iter()
                    .map(|h| match h {
                        Hyp::Fact(e) => Some(e.clone()),
                        Hyp::Sequent(..) => None,
                    })
                    .collect();
                self.step_assumptions.insert(key, items);
            }
            // The step's own label is visible inside its proof.
            self.scope.add_step(&s.label, key);
            let proof = match &s.proof {
                Some(p) => Some(self.proof(p)?),
                None => None,
            };
            if !keep_bindings {
                self.scope.reset(inner_mark);
                self.scope.add_step(&s.label, key);
            }
            out.push(RStep {
                label: s.label.clone(),
                key,
                kind,
                proof,
                span: s.span,
            });
        }
        Ok(out)
    }

    fn by(&mut self, by: &ast::By) -> R<RBy> {
        let (facts, defs) = self.facts_and_defs(&by.facts, &by.defs)?;
        Ok(RBy {
            only: by.only,
            facts,
            defs,
            span: by.span,
        })
    }

    pub fn facts_and_defs(
        &mut self,
        facts: &[ast::Expr],
        defs: &[ast::NamePath],
    ) -> R<(Vec<Fact>, Vec<DefId>)> {
        let mut fs = Vec::new();
        for f in facts {
            // `<1>1!2`: the subformula, to prove from the step itself
            // (cited with it: its assertion, or inside its own proof its
            // assumptions).
            if let ExprKind::Name(path) = &f.kind
                && let Some(PathSegment::Step(l)) = path.segments.first()
                && let Some(k) = self.scope.find_step(l)
            {
                fs.push(Fact::Step(k, f.span));
            }
            fs.push(self.fact(f)?);
        }
        let mut ds = Vec::new();
        for d in defs {
            ds.push(self.def_ref(d)?);
        }
        Ok((fs, ds))
    }

    fn fact(&mut self, e: &ast::Expr) -> R<Fact> {
        match &e.kind {
            ExprKind::StepRef(l) => self
                .scope
                .find_step(l)
                .map(|k| Fact::Step(k, e.span))
                .ok_or_else(|| err(e.span, format!("unknown step `{}`", l.display()))),
            ExprKind::Name(path) if matches!(path.segments.first(), Some(PathSegment::Step(_))) => {
                let Some(PathSegment::Step(l)) = path.segments.first() else {
                    unreachable!("matched above")
                };
                let sub = self.step_subexpression(l, &path.segments[1..], e.span)?;
                Ok(Fact::Expr(sub))
            }
            ExprKind::Name(path) => {
                let (binding, i) = self.path_binding(path, e.span)?;
                let Some(PathSegment::Name { name, args }) = path.segments.get(i) else {
                    return Err(err(e.span, "a name path must start with a name"));
                };
                let rest = &path.segments[i + 1..];
                let head = self.apply_binding(binding, name, args, e.span)?;
                match (head, rest.is_empty()) {
                    (Head::Theorem(t), true) => Ok(Fact::Theorem(t, e.span)),
                    (Head::Assume(a), true) => Ok(Fact::Assume(a, e.span)),
                    (Head::Pragma(n), _) => Ok(Fact::Pragma(n, e.span)),
                    (head, _) => Ok(Fact::Expr(self.select_path(head, rest, e.span)?)),
                }
            }
            _ => match self.restated_assumption(e.span) {
                Some(a) => Ok(Fact::Assume(a, e.span)),
                None => Ok(Fact::Expr(self.expr(e)?)),
            },
        }
    }

    /// The assumption whose formula is the text at `span` (up to
    /// whitespace), if any.
    fn restated_assumption(&self, span: Span) -> Option<AsmId> {
        let (file, text) = self.source.as_ref()?;
        if *file != span.file {
            return None;
        }
        let cited =
            super::modules::normalize_space(text.get(span.start as usize..span.end as usize)?);
        let i = self
            .prog
            .assumes
            .iter()
            .position(|a| !a.instanced && a.text.as_deref() == Some(cited.as_str()))?;
        Some(AsmId(i as u32))
    }

    /// A name in a DEF list: must denote a definition.
    pub fn def_ref(&mut self, path: &ast::NamePath) -> R<DefId> {
        let (binding, i) = self.path_binding(path, path.span)?;
        if i + 1 != path.segments.len() {
            return Err(err(
                path.span,
                "DEF takes a definition name, not a subexpression",
            ));
        }
        match binding {
            Binding::Def(d) => Ok(d),
            other => {
                let what = match other {
                    Binding::Const(_) => "a constant",
                    Binding::Var(_) => "a variable",
                    Binding::Theorem(_) => "a theorem",
                    Binding::Assume(_) => "an assumption",
                    Binding::Bound(_) | Binding::OpParam(..) => "a bound identifier",
                    Binding::Subst(_) => "a substituted constant or variable",
                    Binding::Builtin(..) => "a built-in operator",
                    Binding::Instance(_) => "an instance",
                    Binding::Pragma => "a prover pragma",
                    Binding::Def(_) => unreachable!(),
                };
                Err(err(
                    path.span,
                    format!(
                        "`{}` is {what}, not a definition; DEF needs a definition",
                        path.display()
                    ),
                ))
            }
        }
    }
}
