//! Theorems, ASSUME/PROVE, proofs and proof steps, USE/HIDE.

use tree_sitter::Node;

use super::{Lower, Lowerer, collect_all, field_children, has_token, named_children};
use crate::syntax::ast::{
    AssumeProve, Assumption, By, Expr, ExprKind, NamePath, NewDecl, NewLevel, Proof, Statement,
    Step, StepKind, StepLabel, TerminalProof, Theorem, TheoremKind, UseHide,
};

fn is_proof(n: Node<'_>) -> bool {
    matches!(n.kind(), "terminal_proof" | "non_terminal_proof")
}

impl Lowerer<'_> {
    /// `THEOREM [name ==] statement [proof]` (also LEMMA etc.).
    pub(super) fn theorem(&mut self, n: Node<'_>) -> Lower<Theorem> {
        let kind = match n.child(0).map(|k| k.kind()) {
            Some("THEOREM") => TheoremKind::Theorem,
            Some("LEMMA") => TheoremKind::Lemma,
            Some("PROPOSITION") => TheoremKind::Proposition,
            Some("COROLLARY") => TheoremKind::Corollary,
            _ => return Err(self.malformed(n, "THEOREM, LEMMA, PROPOSITION or COROLLARY")),
        };
        let name = field_children(n, "name").first().map(|&id| self.ident(id));
        let statement = self.field(n, "statement")?;
        let statement = self.statement(statement)?;
        let proof = match field_children(n, "proof").first() {
            Some(&p) => Some(self.proof(p)?),
            None => None,
        };
        Ok(Theorem {
            kind,
            name,
            statement,
            proof,
            span: self.span(n),
        })
    }

    fn statement(&mut self, n: Node<'_>) -> Lower<Statement> {
        if n.kind() == "assume_prove" {
            Ok(Statement::AssumeProve(self.assume_prove(n)?))
        } else {
            Ok(Statement::Expr(self.expr(n)?))
        }
    }

    /// `ASSUME a1, a2 PROVE goal`.
    fn assume_prove(&mut self, n: Node<'_>) -> Lower<AssumeProve> {
        let assumptions = field_children(n, "assumption")
            .into_iter()
            .map(|a| self.assumption_item(a))
            .collect::<Lower<Vec<_>>>()?;
        let goal = self.field(n, "conclusion")?;
        Ok(AssumeProve {
            assumptions,
            goal: self.expr(goal)?,
            span: self.span(n),
        })
    }

    fn assumption_item(&mut self, n: Node<'_>) -> Lower<Assumption> {
        match n.kind() {
            "new" => Ok(Assumption::New(self.new_decl(n)?)),
            "inner_assume_prove" => {
                let parts = named_children(n);
                match parts.as_slice() {
                    [inner] if inner.kind() == "assume_prove" => {
                        Ok(Assumption::Nested(self.assume_prove(*inner)?))
                    }
                    _ => Err(self.unsupported(n, "labelled nested ASSUME/PROVE (`lbl :: ASSUME`)")),
                }
            }
            _ => Ok(Assumption::Fact(self.expr(n)?)),
        }
    }

    /// `NEW x`, `NEW x \in S`, `NEW CONSTANT x`, `NEW VARIABLE x`,
    /// `NEW ACTION F`, `NEW F(_)`.
    fn new_decl(&mut self, n: Node<'_>) -> Lower<NewDecl> {
        let parts = named_children(n);
        let level = match parts.iter().find(|c| c.kind() == "statement_level") {
            None => NewLevel::Constant,
            Some(&l) => match self.text(l) {
                "CONSTANT" => NewLevel::Constant,
                "VARIABLE" => NewLevel::Variable,
                "STATE" => NewLevel::State,
                "ACTION" => NewLevel::Action,
                "TEMPORAL" => NewLevel::Temporal,
                _ => return Err(self.malformed(l, "a level keyword")),
            },
        };
        let Some(pos) = parts
            .iter()
            .position(|c| matches!(c.kind(), "identifier" | "operator_declaration"))
        else {
            return Err(self.malformed(n, "a declared name"));
        };
        let declared = parts[pos];
        let (name, arity) = if declared.kind() == "identifier" {
            (self.ident(declared), 0)
        } else {
            self.operator_declaration(declared)?
        };
        // `NEW x \in S`: the domain is the node after `\in`.
        let domain = match parts.get(pos + 1..) {
            Some([set_in, domain, ..]) if set_in.kind() == "set_in" => Some(self.expr(*domain)?),
            _ => None,
        };
        Ok(NewDecl {
            level,
            name,
            arity,
            domain,
            span: self.span(n),
        })
    }

    pub(super) fn proof(&mut self, n: Node<'_>) -> Lower<Proof> {
        match n.kind() {
            "terminal_proof" => Ok(Proof::Terminal(self.terminal_proof(n)?)),
            "non_terminal_proof" => self.step_sequence(n),
            _ => Err(self.malformed(n, "a proof")),
        }
    }

    /// `[PROOF] BY [ONLY] facts DEF defs`, `OBVIOUS`, `OMITTED`.
    fn terminal_proof(&mut self, n: Node<'_>) -> Lower<TerminalProof> {
        let span = self.span(n);
        if has_token(n, "OBVIOUS") {
            return Ok(TerminalProof::Obvious(span));
        }
        if has_token(n, "OMITTED") {
            return Ok(TerminalProof::Omitted(span));
        }
        let body = self.nth_named(n, 0, "BY facts")?;
        let (facts, defs) = self.use_body(body)?;
        Ok(TerminalProof::By(By {
            only: has_token(n, "ONLY"),
            facts,
            defs,
            span,
        }))
    }

    /// The steps of a structured proof. The level of the sequence is that of
    /// its first step; `<+>`/`<*>` as first label open a level one deeper
    /// than the enclosing sequence.
    fn step_sequence(&mut self, n: Node<'_>) -> Lower<Proof> {
        let steps = named_children(n);
        let Some(first_id) = steps
            .first()
            .and_then(|s| named_children(*s).into_iter().next())
        else {
            return Err(self.malformed(n, "a proof step"));
        };
        let level = match self.label_level_text(first_id) {
            Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
                match digits.parse::<u32>() {
                    Ok(l) => l,
                    Err(_) => return Err(self.error(first_id, "step level out of range")),
                }
            }
            _ => self.step_level + 1,
        };
        let outer = std::mem::replace(&mut self.step_level, level);
        let lowered = collect_all(steps.into_iter().map(|s| self.step(s, level)));
        self.step_level = outer;
        Ok(Proof::Steps(lowered?, self.span(n)))
    }

    /// The text of the `level` part of a `proof_step_id`.
    fn label_level_text(&self, id: Node<'_>) -> Option<&str> {
        named_children(id)
            .into_iter()
            .find(|c| c.kind() == "level")
            .map(|l| self.text(l))
    }

    /// `<2>3.`, `<2>a`, `<2>.`, `<2>`, `<+>`, `<*>` in a sequence at `level`.
    fn step_label(&mut self, id: Node<'_>, level: u32) -> Lower<StepLabel> {
        let written = self.label_level_text(id).unwrap_or("");
        if written.bytes().all(|b| b.is_ascii_digit()) && written.parse::<u32>() != Ok(level) {
            return Err(self.error(
                id,
                format!("step level `<{written}>` does not match its proof's level {level}"),
            ));
        }
        let name = named_children(id)
            .into_iter()
            .find(|c| c.kind() == "name")
            .map(|n| self.text(n))
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        Ok(StepLabel {
            level,
            name,
            span: self.span(id),
        })
    }

    /// One `proof_step` or `qed_step`.
    fn step(&mut self, n: Node<'_>, level: u32) -> Lower<Step> {
        let parts = named_children(n);
        let Some((&id, rest)) = parts.split_first() else {
            return Err(self.malformed(n, "a step label"));
        };
        let label = self.step_label(id, level)?;
        let (kind, proof) = if n.kind() == "qed_step" {
            (StepKind::Qed, self.optional_proof(rest)?)
        } else {
            let [body] = rest else {
                return Err(self.malformed(n, "a step body"));
            };
            self.step_body(*body)?
        };
        Ok(Step {
            label,
            kind,
            proof,
            span: self.span(n),
        })
    }

    /// The proof among `nodes`, if any (it is always last).
    fn optional_proof(&mut self, nodes: &[Node<'_>]) -> Lower<Option<Proof>> {
        match nodes.last() {
            Some(&p) if is_proof(p) => Ok(Some(self.proof(p)?)),
            _ => Ok(None),
        }
    }

    /// Split off a trailing proof from a step body's children.
    fn split_proof<'t>(&mut self, n: Node<'t>) -> Lower<(Vec<Node<'t>>, Option<Proof>)> {
        let mut parts = named_children(n);
        let proof = self.optional_proof(&parts)?;
        if proof.is_some() {
            parts.pop();
        }
        Ok((parts, proof))
    }

    fn step_body(&mut self, n: Node<'_>) -> Lower<(StepKind, Option<Proof>)> {
        let (parts, proof) = self.split_proof(n)?;
        let kind = match n.kind() {
            "suffices_proof_step" => {
                let [stmt] = parts.as_slice() else {
                    return Err(self.malformed(n, "a statement"));
                };
                let stmt = self.statement(*stmt)?;
                if has_token(n, "SUFFICES") {
                    StepKind::Suffices(stmt)
                } else {
                    StepKind::Assert(stmt)
                }
            }
            "case_proof_step" => StepKind::Case(self.single_expr(n, &parts)?),
            "have_proof_step" => StepKind::Have(self.single_expr(n, &parts)?),
            "witness_proof_step" => StepKind::Witness(self.exprs(parts)?),
            "take_proof_step" => StepKind::Take(self.bound_or_identifier_list(n, parts)?),
            "pick_proof_step" => {
                let Some((&body, bounds)) = parts.split_last() else {
                    return Err(self.malformed(n, "PICK bounds and body"));
                };
                StepKind::Pick {
                    bounds: self.bound_or_identifier_list(n, bounds.to_vec())?,
                    body: self.expr(body)?,
                }
            }
            "definition_proof_step" => StepKind::Define(
                parts
                    .into_iter()
                    .map(|d| self.definition(d, false))
                    .collect::<Lower<Vec<_>>>()?,
            ),
            "use_or_hide" => StepKind::UseHide(self.use_hide(n)?),
            "instance" => return Err(self.unsupported(n, "INSTANCE as a proof step")),
            other => return Err(self.unsupported(n, &format!("proof step `{other}`"))),
        };
        Ok((kind, proof))
    }

    fn single_expr(&mut self, n: Node<'_>, parts: &[Node<'_>]) -> Lower<Expr> {
        match parts {
            [e] => self.expr(*e),
            _ => Err(self.malformed(n, "one expression")),
        }
    }

    /// `x \in S, y \in T` (bounds) or `x, y` (one unbounded bound).
    fn bound_or_identifier_list(
        &mut self,
        n: Node<'_>,
        parts: Vec<Node<'_>>,
    ) -> Lower<Vec<crate::syntax::ast::Bound>> {
        if parts.iter().all(|p| p.kind() == "identifier") {
            Ok(vec![self.unbounded(n, parts)?])
        } else {
            self.bounds(parts)
        }
    }

    /// `USE facts DEF defs` / `HIDE ...` (module level or proof step).
    pub(super) fn use_hide(&mut self, n: Node<'_>) -> Lower<UseHide> {
        let body = self.nth_named(n, 0, "USE/HIDE facts")?;
        let (facts, defs) = self.use_body(body)?;
        Ok(UseHide {
            hide: has_token(n, "HIDE"),
            only: has_token(n, "ONLY"),
            facts,
            defs,
            span: self.span(n),
        })
    }

    /// The facts and DEF names of a `use_body`.
    fn use_body(&mut self, n: Node<'_>) -> Lower<(Vec<Expr>, Vec<NamePath>)> {
        let mut facts = Vec::new();
        let mut defs = Vec::new();
        for part in named_children(n) {
            match part.kind() {
                "use_body_expr" => {
                    for fact in named_children(part) {
                        facts.push(self.fact(fact)?);
                    }
                }
                "use_body_def" => {
                    for def in named_children(part) {
                        defs.push(self.def_name(def)?);
                    }
                }
                _ => return Err(self.malformed(part, "facts or DEF")),
            }
        }
        Ok((facts, defs))
    }

    /// A fact: an expression, a step reference, or `MODULE M` (lowered to
    /// the module's name).
    fn fact(&mut self, n: Node<'_>) -> Lower<Expr> {
        if n.kind() == "module_ref" {
            let path = self.module_ref(n)?;
            return Ok(Expr::new(ExprKind::Name(path), self.span(n)));
        }
        self.expr(n)
    }

    fn module_ref(&mut self, n: Node<'_>) -> Lower<NamePath> {
        let name = self.nth_named(n, 0, "a module name")?;
        self.name_path(name)
    }

    /// A name after DEF: `Inv`, `P!Init`, `+`, `MODULE M`.
    fn def_name(&mut self, n: Node<'_>) -> Lower<NamePath> {
        match n.kind() {
            "module_ref" => self.module_ref(n),
            "identifier_ref" | "prefixed_op" | "bound_op" | "subexpression" | "nat_number_set"
            | "int_number_set" | "real_number_set" => self.name_path(n),
            "prefix_op_symbol" | "infix_op_symbol" | "postfix_op_symbol" => self.symbol_path(n),
            _ => Err(self.error(n, "expected a definition name after DEF")),
        }
    }
}
