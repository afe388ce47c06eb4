//! Lowering of TLA+ expressions to `ExprKind`, checked via S-expressions.

mod syntax_support;

use syntax_support::{expr_sexp, module_text, operator_body, parse_ok};
use tlasmt::syntax::ast::{ExprKind, PathSegment};

fn check(expr: &str, expected: &str) {
    assert_eq!(expr_sexp(expr), expected, "lowering `{expr}`");
}

#[test]
fn literals_and_builtin_sets() {
    check("42", "42");
    check(r"\b101", "5");
    check(r"\o17", "15");
    check(r"\hFF", "255");
    check("TRUE", "TRUE");
    check("FALSE", "FALSE");
    check(r#""a\"b\\c\nd""#, r#""a\"b\\c\nd""#);
    check("Nat", "Nat");
    check("Int", "Int");
    check("BOOLEAN", "Boolean");
    check("STRING", "String");
}

#[test]
fn plain_names_and_applications() {
    check("x", "x");
    check("Op(a, b)", "Op(a b)");
    check("F(G(x), 1)", "F(G(x) 1)");
    check("M!Op(a)", "M!Op(a)");
    check("M!N!x", "M!N!x");
}

#[test]
fn subexpression_paths() {
    check("NextDef!2!1!(self)", "NextDef!2!1!(self)");
    check("2avInv2!(m)!1", "2avInv2!(m)!1");
    check("KnowsSafeAt(ac, b, v)!1!1", "KnowsSafeAt(ac b v)!1!1");
    check(
        "P!ShowsSafeAt(Q(BQ), b, v)!1!2!2!(m1c)",
        "P!ShowsSafeAt(Q(BQ) b v)!1!2!2!(m1c)",
    );
    check("P!Init!1", "P!Init!1");
    check("Inv!<<!>>!:!@", "Inv!<<!>>!:!@");
}

#[test]
fn prime_wraps_the_whole_subexpression_reference() {
    check(
        "KnowsSafeAt(ac, b, v)!1!1'",
        "(Prime KnowsSafeAt(ac b v)!1!1)",
    );
    let module = parse_ok(
        "p.tla",
        &module_text("E == KnowsSafeAt(ac, b, v)!1!1!(BQ)'"),
    );
    let ExprKind::Unary(_, inner) = &operator_body(&module, "E").kind else {
        panic!("expected a prime");
    };
    let ExprKind::Name(path) = &inner.kind else {
        panic!("expected a name path under the prime");
    };
    assert!(matches!(path.segments.as_slice(), [
        PathSegment::Name { .. },
        PathSegment::Index(1),
        PathSegment::Index(1),
        PathSegment::Args(args),
    ] if args.len() == 1));
}

#[test]
fn comparison_and_logic_operator_spellings() {
    check("a # b", "(Neq a b)");
    check("a /= b", "(Neq a b)");
    check(r"a \leq b", "(Le a b)");
    check("a =< b", "(Le a b)");
    check("a <= b", "(Le a b)");
    check(r"a \geq b", "(Ge a b)");
    check("a >= b", "(Ge a b)");
    check("a < b", "(Lt a b)");
    check("a > b", "(Gt a b)");
    check("a = b", "(Eq a b)");
    check(r"\lnot a", "(Not a)");
    check(r"\neg a", "(Not a)");
    check("~a", "(Not a)");
    check(r"a \land b", "(And a b)");
    check(r"a \lor b", "(Or a b)");
    check(r"a /\ b", "(And a b)");
    check(r"a \/ b", "(Or a b)");
    check("a => b", "(Implies a b)");
    check(r"a \equiv b", "(Equiv a b)");
    check("a <=> b", "(Equiv a b)");
}

#[test]
fn arithmetic_and_set_operators() {
    check("-x", "(Neg x)");
    check("a - b", "(Minus a b)");
    check("a + b * c", "(Plus a (Times b c))");
    check(r"a \div b", "(Div a b)");
    check("a % b", "(Mod a b)");
    check("1 .. n", "(Range 1 n)");
    check(r"x \in S", "(In x S)");
    check(r"x \notin S", "(NotIn x S)");
    check(r"S \subseteq T", "(Subseteq S T)");
    check(r"S \cup T", "(Cup S T)");
    check(r"S \union T", "(Cup S T)");
    check(r"S \cap T", "(Cap S T)");
    check(r"S \ T", "(SetMinus S T)");
    check("SUBSET S", "(Subset S)");
    check("UNION S", "(Union S)");
    check("DOMAIN f", "(Domain f)");
}

#[test]
fn user_definable_operators_are_user_ops_with_canonical_names() {
    check(r"s \o t", r"(user \o s t)");
    check(r"s \circ t", r"(user \o s t)");
    check(r"a \prec b", r"(user \prec a b)");
    check("a ++ b", "(user ++ a b)");
    check("x^+", "(user ^+ x)");
    check("a :> b @@ f", "(user @@ (user :> a b) f)");
}

#[test]
fn temporal_and_action_operators() {
    check("x'", "(Prime x)");
    check("UNCHANGED <<x, y>>", "(Unchanged <<x y>>)");
    check("ENABLED A", "(Enabled A)");
    check("[]P", "(Always P)");
    check("<>P", "(Eventually P)");
    check("P ~> Q", "(LeadsTo P Q)");
    check(r"A \cdot B", "(Cdot A B)");
    check("[][Next]_vars", "(Always (box Next vars))");
    check("<<A>>_<<x, y>>", "(angle A <<x y>>)");
    check("WF_vars(A)", "(WF vars A)");
    check("SF_<<x>>(A(1))", "(SF <<x>> A(1))");
}

#[test]
fn parentheses_are_dropped() {
    check("((a))", "a");
    check("(a + b) * c", "(Times (Plus a b) c)");
    // The inner expression keeps its own span.
    let text = module_text("E == (a + b)");
    let module = parse_ok("p.tla", &text);
    let body = operator_body(&module, "E");
    assert_eq!(
        &text[body.span.start as usize..body.span.end as usize],
        "a + b"
    );
}

#[test]
fn bulleted_lists_and_infix_junctions() {
    let e = "\n  /\\ a\n  /\\ \\/ b\n     \\/ c\n  /\\ d";
    check(e, "(conj a (disj b c) d)");
    check("/\\ a", "(conj a)");
    check("\\/ a", "(disj a)");
    check(r"a /\ b /\ c", "(And (And a b) c)");
}

#[test]
fn conditionals_and_let() {
    check("IF a THEN b ELSE c", "(if a b c)");
    check("CASE a -> 1 [] b -> 2", "(case (a 1) (b 2))");
    check("CASE a -> 1 [] OTHER -> 3", "(case (a 1) (OTHER 3))");
    check(
        r"LET F(x) == x + 1  g[y \in S] == y  IN F(g[1])",
        "(let [F g] F((apply g 1)))",
    );
}

#[test]
fn quantifiers_and_choose() {
    check(r"\A x, y \in S : P", r"(Forall [x y \in S] P)");
    check(
        r"\A x, y \in S, z \in T : P",
        r"(Forall [x y \in S, z \in T] P)",
    );
    check(r"\E x, y : P", "(Exists [x y] P)");
    check(r"\E <<x, y>> \in S : P", r"(Exists [<<x y>> \in S] P)");
    check(r"\AA x : P", "(TemporalForall [x] P)");
    check(r"\EE x : P", "(TemporalExists [x] P)");
    check(r"CHOOSE x \in S : P", r"(choose [x \in S] P)");
    check("CHOOSE x : P", "(choose [x] P)");
    check(r"CHOOSE <<x, y>> \in S : P", r"(choose [<<x y>> \in S] P)");
}

#[test]
fn sets() {
    check("{}", "{}");
    check("{1, 2, 3}", "{1 2 3}");
    check(r"{x \in S : x > 0}", r"(filter [x \in S] (Gt x 0))");
    check(
        r"{<<x, y>> \in S : x > 0}",
        r"(filter [<<x y>> \in S] (Gt x 0))",
    );
    check(
        r"{f[x, y] : x, y \in S, z \in T}",
        r"(map (apply f x y) [x y \in S, z \in T])",
    );
}

#[test]
fn functions_records_and_tuples() {
    check("f[a]", "(apply f a)");
    check("f[a, b]", "(apply f a b)");
    check(r"[x \in S |-> x + 1]", r"(fn [x \in S] (Plus x 1))");
    check(
        r"[x \in S, y \in T |-> <<x, y>>]",
        r"(fn [x \in S, y \in T] <<x y>>)",
    );
    check("[S -> T]", "(fnset S T)");
    check("[a |-> 1, b |-> x]", "(record a |-> 1, b |-> x)");
    check("[a : S, b : T]", "(recset a : S, b : T)");
    check("r.f", "(field r f)");
    check("r.f.g[1]", "(apply (field (field r f) g) 1)");
    check("<<>>", "<<>>");
    check("<<1, x>>", "<<1 x>>");
}

#[test]
fn except_paths() {
    check("[f EXCEPT !.a = 1]", "(except f (!.a 1))");
    check("[f EXCEPT ![x] = @ + 1]", "(except f (![x] (Plus @ 1)))");
    check(
        "[f EXCEPT ![a].f[b] = 2, !.g = @]",
        "(except f (![a].f[b] 2) (!.g @))",
    );
    check("[f EXCEPT ![a, b] = 0]", "(except f (![a b] 0))");
}

#[test]
fn cartesian_products_flatten_unless_parenthesised() {
    check(r"A \X B \X C", "(X A B C)");
    check(r"A \times B", "(X A B)");
    check(r"(A \X B) \X C", "(X (X A B) C)");
    check(r"A \X (B \X C)", "(X A (X B C))");
}

#[test]
fn lambda_and_operator_arguments() {
    check(
        "F(LAMBDA x, y : x + y, 2)",
        "F((lambda [x y] (Plus x y)) 2)",
    );
    // An operator symbol alone is the LAMBDA applying it.
    check(
        "F(+, -., \\o)",
        r"F((lambda [operand#0 operand#1] (Plus operand#0 operand#1)) (lambda [operand#0] (Neg operand#0)) (lambda [operand#0 operand#1] (user \o operand#0 operand#1)))",
    );
}

#[test]
fn operators_applied_in_prefix_form() {
    check("+(a, b)", "(Plus a b)");
    check(r"\o(s, t)", r"(user \o s t)");
    check("M!+(a, b)", "M!+(a b)");
}

#[test]
fn step_references_in_expressions() {
    let text =
        module_text("THEOREM T == TRUE\n<1>1. TRUE\n  OBVIOUS\n<1>2. QED\n  BY <1>1, <1>1!2\n");
    let m = parse_ok("s.tla", &text);
    let t = syntax_support::theorem_by_index(&m, 0);
    let facts = syntax_support::proof_outline(t.proof.as_ref().expect("proof"));
    assert_eq!(
        facts.last().map(String::as_str),
        Some("  BY [<1>1, <1>1!2] DEF []")
    );
}
