//! Expressions, bounds and name paths.

use tree_sitter::Node;

use super::{Lower, Lowerer, collect_all, field_children, has_token, named_children};
use crate::syntax::ast::{
    BinOp, Bound, BoundPattern, BuiltinSet, ExceptKey, ExceptUpdate, Expr, ExprKind, Ident,
    NamePath, PathSegment, Quantifier, UnOp,
};

/// Deepest expression nesting accepted. Far beyond real specifications; it
/// keeps pathological input from overflowing the stack of this and later
/// (recursive) stages.
pub(super) const MAX_DEPTH: usize = 200;

/// Operator symbol node kinds with their canonical ASCII spelling, used as
/// the name of user-definable operators (`\o` and `\circ` both become `\o`).
const SYMBOLS: &[(&str, &str)] = &[
    // prefix
    ("lnot", "~"),
    ("union", "UNION"),
    ("powerset", "SUBSET"),
    ("domain", "DOMAIN"),
    ("negative", "-."),
    ("negative_dot", "-."),
    ("enabled", "ENABLED"),
    ("unchanged", "UNCHANGED"),
    ("always", "[]"),
    ("eventually", "<>"),
    // infix
    ("implies", "=>"),
    ("plus_arrow", "-+->"),
    ("equiv", "\\equiv"),
    ("iff", "<=>"),
    ("leads_to", "~>"),
    ("land", "/\\"),
    ("lor", "\\/"),
    ("assign", ":="),
    ("bnf_rule", "::="),
    ("eq", "="),
    ("neq", "#"),
    ("lt", "<"),
    ("gt", ">"),
    ("leq", "=<"),
    ("geq", ">="),
    ("approx", "\\approx"),
    ("rs_ttile", "|-"),
    ("rd_ttile", "|="),
    ("ls_ttile", "-|"),
    ("ld_ttile", "=|"),
    ("asymp", "\\asymp"),
    ("cong", "\\cong"),
    ("doteq", "\\doteq"),
    ("gg", "\\gg"),
    ("ll", "\\ll"),
    ("in", "\\in"),
    ("notin", "\\notin"),
    ("prec", "\\prec"),
    ("succ", "\\succ"),
    ("preceq", "\\preceq"),
    ("succeq", "\\succeq"),
    ("propto", "\\propto"),
    ("sim", "\\sim"),
    ("simeq", "\\simeq"),
    ("sqsubset", "\\sqsubset"),
    ("sqsupset", "\\sqsupset"),
    ("sqsubseteq", "\\sqsubseteq"),
    ("sqsupseteq", "\\sqsupseteq"),
    ("subset", "\\subset"),
    ("supset", "\\supset"),
    ("subseteq", "\\subseteq"),
    ("supseteq", "\\supseteq"),
    ("compose", "@@"),
    ("map_to", ":>"),
    ("map_from", "<:"),
    ("setminus", "\\"),
    ("cap", "\\cap"),
    ("cup", "\\cup"),
    ("dots_2", ".."),
    ("dots_3", "..."),
    ("plus", "+"),
    ("plusplus", "++"),
    ("oplus", "\\oplus"),
    ("ominus", "\\ominus"),
    ("mod", "%"),
    ("modmod", "%%"),
    ("vert", "|"),
    ("vertvert", "||"),
    ("minus", "-"),
    ("minusminus", "--"),
    ("amp", "&"),
    ("ampamp", "&&"),
    ("odot", "\\odot"),
    ("oslash", "\\oslash"),
    ("otimes", "\\otimes"),
    ("mul", "*"),
    ("mulmul", "**"),
    ("slash", "/"),
    ("slashslash", "//"),
    ("bigcirc", "\\bigcirc"),
    ("bullet", "\\bullet"),
    ("div", "\\div"),
    ("circ", "\\o"),
    ("star", "\\star"),
    ("excl", "!!"),
    ("hashhash", "##"),
    ("dol", "$"),
    ("doldol", "$$"),
    ("qq", "??"),
    ("sqcap", "\\sqcap"),
    ("sqcup", "\\sqcup"),
    ("uplus", "\\uplus"),
    ("times", "\\X"),
    ("wr", "\\wr"),
    ("cdot", "\\cdot"),
    ("pow", "^"),
    ("powpow", "^^"),
    // postfix
    ("sup_plus", "^+"),
    ("asterisk", "^*"),
    ("sup_hash", "^#"),
    ("prime", "'"),
];

/// The canonical name of an operator symbol node: either a wrapper
/// (`infix_op_symbol` etc.) or the specific symbol node (`land`, `prime`).
pub(super) fn op_symbol_name(n: Node<'_>) -> Option<&'static str> {
    let specific = symbol_node(n)?;
    SYMBOLS
        .iter()
        .find(|(kind, _)| *kind == specific.kind())
        .map(|&(_, name)| name)
}

/// Unwrap `prefix_op_symbol`/`infix_op_symbol`/`postfix_op_symbol`.
fn symbol_node(n: Node<'_>) -> Option<Node<'_>> {
    match n.kind() {
        "prefix_op_symbol" | "infix_op_symbol" | "postfix_op_symbol" => {
            named_children(n).into_iter().next()
        }
        _ => Some(n),
    }
}

fn prefix_builtin(kind: &str) -> Option<UnOp> {
    Some(match kind {
        "lnot" => UnOp::Not,
        "negative" | "negative_dot" => UnOp::Neg,
        "powerset" => UnOp::Subset,
        "union" => UnOp::Union,
        "domain" => UnOp::Domain,
        "enabled" => UnOp::Enabled,
        "unchanged" => UnOp::Unchanged,
        "always" => UnOp::Always,
        "eventually" => UnOp::Eventually,
        _ => return None,
    })
}

fn postfix_builtin(kind: &str) -> Option<UnOp> {
    (kind == "prime").then_some(UnOp::Prime)
}

/// What an infix symbol means.
enum Infix {
    Builtin(BinOp),
    /// `\X`, lowered n-ary.
    Product,
    /// Anything else: a user-definable operator, resolved later by name.
    User,
}

fn infix_meaning(kind: &str) -> Infix {
    let op = match kind {
        "land" => BinOp::And,
        "lor" => BinOp::Or,
        "implies" => BinOp::Implies,
        "equiv" | "iff" => BinOp::Equiv,
        "eq" => BinOp::Eq,
        "neq" => BinOp::Neq,
        "lt" => BinOp::Lt,
        "leq" => BinOp::Le,
        "gt" => BinOp::Gt,
        "geq" => BinOp::Ge,
        "in" => BinOp::In,
        "notin" => BinOp::NotIn,
        "subseteq" => BinOp::Subseteq,
        "cup" => BinOp::Cup,
        "cap" => BinOp::Cap,
        "setminus" => BinOp::SetMinus,
        "plus" => BinOp::Plus,
        "minus" => BinOp::Minus,
        "mul" => BinOp::Times,
        "div" => BinOp::Div,
        "mod" => BinOp::Mod,
        "dots_2" => BinOp::Range,
        "leads_to" => BinOp::LeadsTo,
        "cdot" => BinOp::Cdot,
        "times" => return Infix::Product,
        _ => return Infix::User,
    };
    Infix::Builtin(op)
}

#[derive(Clone, Copy)]
enum Fixity {
    Prefix,
    Infix,
    Postfix,
}

impl Lowerer<'_> {
    /// Lower an expression (or an operator argument: symbol or LAMBDA).
    pub(super) fn expr(&mut self, n: Node<'_>) -> Lower<Expr> {
        self.depth += 1;
        let result = if self.depth > MAX_DEPTH {
            Err(self.error(n, "expression nested too deeply"))
        } else {
            self.expr_inner(n)
        };
        self.depth -= 1;
        result
    }

    pub(super) fn exprs(&mut self, nodes: Vec<Node<'_>>) -> Lower<Vec<Expr>> {
        nodes.into_iter().map(|n| self.expr(n)).collect()
    }

    fn expr_inner(&mut self, n: Node<'_>) -> Lower<Expr> {
        let kind = match n.kind() {
            // Parentheses are dropped; the inner expression keeps its span.
            "parentheses" => {
                let inner = self.nth_named(n, 0, "an expression")?;
                return self.expr(inner);
            }
            "nat_number" => self.nat_number(n)?,
            "binary_number" => self.radix_number(n, 2)?,
            "octal_number" => self.radix_number(n, 8)?,
            "hex_number" => self.radix_number(n, 16)?,
            "real_number" => return Err(self.unsupported(n, "real number literal")),
            "string" => ExprKind::String(unescape(self.text(n))),
            "boolean" => ExprKind::Bool(self.text(n) == "TRUE"),
            "nat_number_set" => ExprKind::BuiltinSet(BuiltinSet::Nat),
            "int_number_set" => ExprKind::BuiltinSet(BuiltinSet::Int),
            "boolean_set" => ExprKind::BuiltinSet(BuiltinSet::Boolean),
            "string_set" => ExprKind::BuiltinSet(BuiltinSet::String),
            "real_number_set" => return Err(self.unsupported(n, "the set `Real`")),
            "prev_func_val" => ExprKind::At,
            "identifier_ref" | "bound_op" | "prefixed_op" | "subexpression" => {
                ExprKind::Name(self.name_path(n)?)
            }
            "prefix_op_symbol" | "infix_op_symbol" | "postfix_op_symbol" => {
                self.symbol_as_lambda(n)?
            }
            "proof_step_ref" => ExprKind::StepRef(self.step_ref(n)?),
            "lambda" => self.lambda(n)?,
            "bound_prefix_op" => self.operator_app(n, Fixity::Prefix)?,
            "bound_infix_op" => self.operator_app(n, Fixity::Infix)?,
            "bound_postfix_op" => self.operator_app(n, Fixity::Postfix)?,
            "bound_nonfix_op" => self.nonfix_app(n)?,
            "bounded_quantification" | "unbounded_quantification" => self.quantification(n)?,
            "choose" => self.choose(n)?,
            "finite_set_literal" => ExprKind::SetEnum(self.exprs(named_children(n))?),
            "set_filter" => self.set_filter(n)?,
            "set_map" => self.set_map(n)?,
            "function_evaluation" => self.function_evaluation(n)?,
            "function_literal" => self.function_literal(n)?,
            "set_of_functions" => self.set_of_functions(n)?,
            "record_literal" => ExprKind::Record(self.field_pairs(n)?),
            "set_of_records" => ExprKind::RecordSet(self.field_pairs(n)?),
            "record_value" => self.record_value(n)?,
            "except" => self.except(n)?,
            "tuple_literal" => ExprKind::Tuple(self.exprs(self.operands(n))?),
            "step_expr_or_stutter" | "step_expr_no_stutter" => self.action(n)?,
            "fairness" => self.fairness(n)?,
            "if_then_else" => self.if_then_else(n)?,
            "case" => self.case(n)?,
            "let_in" => self.let_in(n)?,
            "conj_list" => ExprKind::ConjList(self.bullets(n)?),
            "disj_list" => ExprKind::DisjList(self.bullets(n)?),
            // `lbl :: e` is `e`: a label only names a subexpression (for
            // `Op!lbl`) and does not change its value.
            "label" => {
                let Some(inner) = n.child_by_field_name("expression") else {
                    return Err(self.malformed(n, "a labelled expression"));
                };
                let e = self.expr(inner)?;
                if let Some(name) = n.child_by_field_name("name") {
                    let name = self.text(name).trim().to_string();
                    self.labels.push((e.span, name));
                }
                return Ok(e);
            }
            other => return Err(self.unsupported(n, &format!("`{other}` in an expression"))),
        };
        Ok(Expr::new(kind, self.span(n)))
    }

    /// Named children that are operands, i.e. without the bracket and arrow
    /// tokens the grammar exposes as named nodes.
    fn operands<'t>(&self, n: Node<'t>) -> Vec<Node<'t>> {
        named_children(n)
            .into_iter()
            .filter(|c| {
                !matches!(
                    c.kind(),
                    "langle_bracket"
                        | "rangle_bracket"
                        | "rangle_bracket_sub"
                        | "all_map_to"
                        | "maps_to"
                        | "case_arrow"
                        | "bullet_conj"
                        | "bullet_disj"
                        | "set_in"
                )
            })
            .collect()
    }

    /// Exactly two operands.
    fn two_operands<'t>(&mut self, n: Node<'t>) -> Lower<(Node<'t>, Node<'t>)> {
        match self.operands(n).as_slice() {
            &[a, b] => Ok((a, b)),
            _ => Err(self.malformed(n, "two operands")),
        }
    }

    fn nat_number(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        match self.text(n).parse::<i64>() {
            Ok(v) => Ok(ExprKind::Number(v)),
            Err(_) => Err(self.error(n, "integer literal out of range")),
        }
    }

    /// `\b0101`, `\o17`, `\hFF`.
    fn radix_number(&mut self, n: Node<'_>, radix: u32) -> Lower<ExprKind> {
        let digits = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "value")
            .map_or("", |v| self.text(v));
        match i64::from_str_radix(digits, radix) {
            Ok(v) => Ok(ExprKind::Number(v)),
            Err(_) => Err(self.error(n, "integer literal out of range")),
        }
    }

    fn lambda(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let params = named_children(n)
            .into_iter()
            .filter(|c| c.kind() == "identifier")
            .map(|p| self.ident(p))
            .collect();
        let body = self.last_named(n, "a LAMBDA body")?;
        Ok(ExprKind::Lambda(params, Box::new(self.expr(body)?)))
    }

    /// An operator symbol standing alone, as in `Fold(+, 0, f)`: the
    /// operator it names, written as `LAMBDA a, b : a + b` so that built-in
    /// and user-defined symbols are both resolved as in an application.
    /// The parameter names are not TLA+ identifiers, so they capture
    /// nothing.
    fn symbol_as_lambda(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (fixity, arity) = match n.kind() {
            "prefix_op_symbol" => (Fixity::Prefix, 1),
            "infix_op_symbol" => (Fixity::Infix, 2),
            _ => (Fixity::Postfix, 1),
        };
        let Some(symbol) = symbol_node(n) else {
            return Err(self.malformed(n, "an operator symbol"));
        };
        let span = self.span(n);
        let params: Vec<Ident> = (0..arity)
            .map(|i| Ident {
                name: format!("operand#{i}"),
                span,
            })
            .collect();
        let operands = params
            .iter()
            .map(|p| {
                let path = NamePath {
                    segments: vec![PathSegment::Name {
                        name: p.clone(),
                        args: Vec::new(),
                    }],
                    span,
                };
                Expr::new(ExprKind::Name(path), span)
            })
            .collect();
        let body = if matches!(fixity, Fixity::Infix) && symbol.kind() == "times" {
            ExprKind::Product(operands)
        } else {
            self.apply_symbol(symbol, fixity, operands)?
        };
        Ok(ExprKind::Lambda(params, Box::new(Expr::new(body, span))))
    }

    /// `~x`, `a + b`, `x'`: built-in operators become Unary/Binary/Product,
    /// everything else a [`ExprKind::UserOp`].
    fn operator_app(&mut self, n: Node<'_>, fixity: Fixity) -> Lower<ExprKind> {
        let symbol = self.field(n, "symbol")?;
        if matches!(fixity, Fixity::Infix) && symbol.kind() == "times" {
            return Ok(ExprKind::Product(self.product_factors(n)?));
        }
        let operand_nodes = match fixity {
            Fixity::Prefix => vec![self.field(n, "rhs")?],
            Fixity::Infix => vec![self.field(n, "lhs")?, self.field(n, "rhs")?],
            Fixity::Postfix => vec![self.field(n, "lhs")?],
        };
        let operands = self.exprs(operand_nodes)?;
        self.apply_symbol(symbol, fixity, operands)
    }

    /// `+(a, b)`, `-.(a)`: an operator symbol applied in prefix form.
    fn nonfix_app(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let wrapper = self.field(n, "symbol")?;
        let fixity = match wrapper.kind() {
            "prefix_op_symbol" => Fixity::Prefix,
            "infix_op_symbol" => Fixity::Infix,
            _ => Fixity::Postfix,
        };
        let Some(symbol) = symbol_node(wrapper) else {
            return Err(self.malformed(wrapper, "an operator symbol"));
        };
        let operand_nodes = named_children(n)
            .into_iter()
            .filter(|c| c.id() != wrapper.id())
            .collect();
        let operands = self.exprs(operand_nodes)?;
        if matches!(fixity, Fixity::Infix) && symbol.kind() == "times" {
            return Ok(ExprKind::Product(operands));
        }
        self.apply_symbol(symbol, fixity, operands)
    }

    /// Apply the operator named by the specific symbol node `symbol`.
    fn apply_symbol(
        &mut self,
        symbol: Node<'_>,
        fixity: Fixity,
        mut operands: Vec<Expr>,
    ) -> Lower<ExprKind> {
        let kind = symbol.kind();
        let builtin_unary = match fixity {
            Fixity::Prefix => prefix_builtin(kind),
            Fixity::Postfix => postfix_builtin(kind),
            Fixity::Infix => None,
        };
        if let Some(op) = builtin_unary {
            return match operands.pop() {
                Some(e) if operands.is_empty() => Ok(ExprKind::Unary(op, Box::new(e))),
                _ => Err(self.malformed(symbol, "one operand")),
            };
        }
        if matches!(fixity, Fixity::Infix)
            && let Infix::Builtin(op) = infix_meaning(kind)
        {
            return match <[Expr; 2]>::try_from(operands) {
                Ok([a, b]) => Ok(ExprKind::Binary(op, Box::new(a), Box::new(b))),
                Err(_) => Err(self.malformed(symbol, "two operands")),
            };
        }
        let name = self.op_name(symbol)?;
        Ok(ExprKind::UserOp(name, operands))
    }

    /// The factors of `A \X B \X C` (parsed left-nested) as one list.
    /// Parenthesised products are separate factors: `(A \X B) \X C` is a
    /// set of pairs, not of triples.
    fn product_factors(&mut self, n: Node<'_>) -> Lower<Vec<Expr>> {
        let mut rhs_nodes = Vec::new();
        let mut node = n;
        while node.kind() == "bound_infix_op"
            && field_children(node, "symbol")
                .first()
                .is_some_and(|s| s.kind() == "times")
        {
            rhs_nodes.push(self.field(node, "rhs")?);
            node = self.field(node, "lhs")?;
        }
        rhs_nodes.push(node);
        rhs_nodes.reverse();
        self.exprs(rhs_nodes)
    }

    fn quantification(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let q = self.field(n, "quantifier")?;
        let quantifier = match q.kind() {
            "forall" => Quantifier::Forall,
            "exists" => Quantifier::Exists,
            "temporal_forall" => Quantifier::TemporalForall,
            "temporal_exists" => Quantifier::TemporalExists,
            _ => return Err(self.malformed(q, "a quantifier")),
        };
        let bounds = if n.kind() == "bounded_quantification" {
            self.bounds(field_children(n, "bound"))?
        } else {
            vec![self.unbounded(n, field_children(n, "intro"))?]
        };
        let body = self.field(n, "expression")?;
        Ok(ExprKind::Quant(
            quantifier,
            bounds,
            Box::new(self.expr(body)?),
        ))
    }

    pub(super) fn bounds(&mut self, nodes: Vec<Node<'_>>) -> Lower<Vec<Bound>> {
        nodes.into_iter().map(|b| self.bound(b)).collect()
    }

    /// `x, y \in S` or `<<x, y>> \in S` (a `quantifier_bound` node).
    pub(super) fn bound(&mut self, n: Node<'_>) -> Lower<Bound> {
        let pattern = self.bound_pattern(field_children(n, "intro"))?;
        let set = self.field(n, "set")?;
        Ok(Bound {
            pattern,
            set: Some(self.expr(set)?),
            span: self.span(n),
        })
    }

    /// Names without a set: `\A x, y : P`, `TAKE x, y`, `PICK x : P`.
    pub(super) fn unbounded(&mut self, owner: Node<'_>, names: Vec<Node<'_>>) -> Lower<Bound> {
        let (Some(first), Some(last)) = (names.first(), names.last()) else {
            return Err(self.malformed(owner, "a bound name"));
        };
        let span = self.span(*first).to(self.span(*last));
        let pattern = BoundPattern::Names(names.iter().map(|&id| self.ident(id)).collect());
        Ok(Bound {
            pattern,
            set: None,
            span,
        })
    }

    fn bound_pattern(&mut self, intro: Vec<Node<'_>>) -> Lower<BoundPattern> {
        match intro.as_slice() {
            [tuple] if tuple.kind() == "tuple_of_identifiers" => {
                let names = named_children(*tuple)
                    .into_iter()
                    .filter(|c| c.kind() == "identifier")
                    .map(|id| self.ident(id))
                    .collect();
                Ok(BoundPattern::Tuple(names))
            }
            _ => {
                let names = collect_all(intro.into_iter().map(|id| {
                    if id.kind() == "identifier" {
                        Ok(self.ident(id))
                    } else {
                        Err(self.malformed(id, "a bound identifier"))
                    }
                }))?;
                Ok(BoundPattern::Names(names))
            }
        }
    }

    /// `CHOOSE x \in S : P`, `CHOOSE <<x, y>> : P`.
    fn choose(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let intro = self.field(n, "intro")?;
        let pattern = self.bound_pattern(vec![intro])?;
        let set = match field_children(n, "set").first() {
            Some(&s) => Some(self.expr(s)?),
            None => None,
        };
        let span = match &set {
            Some(s) => self.span(intro).to(s.span),
            None => self.span(intro),
        };
        let body = self.field(n, "expression")?;
        Ok(ExprKind::Choose(
            Box::new(Bound { pattern, set, span }),
            Box::new(self.expr(body)?),
        ))
    }

    fn set_filter(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let generator = self.field(n, "generator")?;
        let filter = self.field(n, "filter")?;
        Ok(ExprKind::SetFilter(
            Box::new(self.bound(generator)?),
            Box::new(self.expr(filter)?),
        ))
    }

    fn set_map(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let map = self.field(n, "map")?;
        let map = self.expr(map)?;
        let bounds = self.bounds(field_children(n, "generator"))?;
        Ok(ExprKind::SetMap(Box::new(map), bounds))
    }

    /// `f[a, b]`.
    fn function_evaluation(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let mut parts = named_children(n).into_iter();
        let Some(function) = parts.next() else {
            return Err(self.malformed(n, "a function"));
        };
        let function = self.expr(function)?;
        let args = self.exprs(parts.collect())?;
        Ok(ExprKind::Apply(Box::new(function), args))
    }

    /// `[x \in S, y \in T |-> e]`.
    fn function_literal(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (bound_nodes, body): (Vec<_>, Vec<_>) = self
            .operands(n)
            .into_iter()
            .partition(|c| c.kind() == "quantifier_bound");
        let bounds = self.bounds(bound_nodes)?;
        let [body] = body.as_slice() else {
            return Err(self.malformed(n, "a function body"));
        };
        Ok(ExprKind::FnLiteral(bounds, Box::new(self.expr(*body)?)))
    }

    fn set_of_functions(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (domain, range) = self.two_operands(n)?;
        Ok(ExprKind::FnSet(
            Box::new(self.expr(domain)?),
            Box::new(self.expr(range)?),
        ))
    }

    /// The `field |-> e` / `field : S` pairs of a record or record set.
    fn field_pairs(&mut self, n: Node<'_>) -> Lower<Vec<(Ident, Expr)>> {
        let parts = self.operands(n);
        let mut pairs = Vec::new();
        for pair in parts.chunks(2) {
            let &[name, value] = pair else {
                return Err(self.malformed(n, "a `field`/value pair"));
            };
            pairs.push((self.ident(name), self.expr(value)?));
        }
        Ok(pairs)
    }

    /// `r.f`.
    fn record_value(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (record, field) = self.two_operands(n)?;
        Ok(ExprKind::Field(
            Box::new(self.expr(record)?),
            self.ident(field),
        ))
    }

    /// `[f EXCEPT ![a].b = e, ...]`.
    fn except(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let base = self.field(n, "expr_to_update")?;
        let base = self.expr(base)?;
        let updates = named_children(n)
            .into_iter()
            .filter(|c| c.kind() == "except_update")
            .map(|u| self.except_update(u))
            .collect::<Lower<Vec<_>>>()?;
        Ok(ExprKind::Except(Box::new(base), updates))
    }

    fn except_update(&mut self, n: Node<'_>) -> Lower<ExceptUpdate> {
        let specifier = self.field(n, "update_specifier")?;
        let mut path = Vec::new();
        for key in named_children(specifier) {
            path.push(match key.kind() {
                "except_update_record_field" => {
                    let name = self.nth_named(key, 0, "a field name")?;
                    ExceptKey::Field(self.ident(name))
                }
                "except_update_fn_appl" => ExceptKey::Index(self.exprs(named_children(key))?),
                _ => return Err(self.malformed(key, "`.field` or `[index]`")),
            });
        }
        let value = self.field(n, "new_val")?;
        Ok(ExceptUpdate {
            path,
            value: self.expr(value)?,
            span: self.span(n),
        })
    }

    /// `[A]_v` and `<<A>>_v`.
    fn action(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (action, sub) = self.two_operands(n)?;
        let action = Box::new(self.expr(action)?);
        let sub = Box::new(self.expr(sub)?);
        Ok(if n.kind() == "step_expr_or_stutter" {
            ExprKind::BoxAction(action, sub)
        } else {
            ExprKind::AngleAction(action, sub)
        })
    }

    /// `WF_v(A)` / `SF_v(A)`.
    fn fairness(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let (sub, action) = self.two_operands(n)?;
        Ok(ExprKind::Fairness {
            strong: has_token(n, "SF_"),
            sub: Box::new(self.expr(sub)?),
            action: Box::new(self.expr(action)?),
        })
    }

    fn if_then_else(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let cond = self.field(n, "if")?;
        let then = self.field(n, "then")?;
        let els = self.field(n, "else")?;
        Ok(ExprKind::If(
            Box::new(self.expr(cond)?),
            Box::new(self.expr(then)?),
            Box::new(self.expr(els)?),
        ))
    }

    /// `CASE p1 -> e1 [] p2 -> e2 [] OTHER -> e3`.
    fn case(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let mut arms = Vec::new();
        let mut other = None;
        for child in named_children(n) {
            match child.kind() {
                "case_arm" => {
                    let (guard, value) = self.two_operands(child)?;
                    arms.push((self.expr(guard)?, self.expr(value)?));
                }
                "other_arm" => {
                    let value = self.last_named(child, "an OTHER value")?;
                    other = Some(Box::new(self.expr(value)?));
                }
                _ => {}
            }
        }
        Ok(ExprKind::Case { arms, other })
    }

    /// `LET defs IN e`.
    fn let_in(&mut self, n: Node<'_>) -> Lower<ExprKind> {
        let defs = collect_all(field_children(n, "definitions").into_iter().map(|d| {
            if d.kind() == "recursive_declaration" {
                Err(self.unsupported(d, "RECURSIVE inside LET"))
            } else {
                self.definition(d, false)
            }
        }))?;
        let body = self.field(n, "expression")?;
        Ok(ExprKind::Let(defs, Box::new(self.expr(body)?)))
    }

    /// The items of a bulleted `/\` or `\/` list.
    fn bullets(&mut self, n: Node<'_>) -> Lower<Vec<Expr>> {
        named_children(n)
            .into_iter()
            .map(|item| {
                let e = self.last_named(item, "a bulleted item")?;
                self.expr(e)
            })
            .collect()
    }
}

/// The value of a TLA+ string literal (with its quotes): `\"`, `\\`, `\n`,
/// `\t`, `\r`, `\f` are decoded; other escapes are kept as written.
fn unescape(literal: &str) -> String {
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some(e @ ('"' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn unescape_decodes_tla_escapes() {
        assert_eq!(unescape(r#""a\"b\\c\n""#), "a\"b\\c\n");
        assert_eq!(unescape(r#""\q""#), "\\q");
    }
}
