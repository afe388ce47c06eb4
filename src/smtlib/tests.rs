//! The translator on small scripts: the output is standard (no Z3-only
//! construct survives, the sort checker accepts it) and Z3 gives the same
//! answer on it as on the input. Each equivalence case is built so that a
//! plausible wrong translation (a lambda's function not taking an enclosing
//! variable, a map with the wrong operator) changes the answer.

use super::sexpr::{self, Kind, Sexp};
use super::to_standard;

/// Z3's answer on a script, in a fresh context (unknown after 10 s); a
/// script Z3 rejects fails the test (Z3 would otherwise check what it read
/// before the error).
fn z3(script: &str) -> z3::SatResult {
    let text = script.replace("(check-sat)", "");
    z3::with_z3_config(&z3::Config::new(), || {
        let solver = z3::Solver::new();
        let mut params = z3::Params::new();
        params.set_u32("timeout", 10_000);
        solver.set_params(&params);
        solver.from_string(text);
        let raw = z3::Context::thread_local().get_z3_context();
        // SAFETY: `raw` is the live thread-local context.
        let code = unsafe { z3_sys::Z3_get_error_code(raw) };
        assert_eq!(code, z3_sys::ErrorCode::Ok, "Z3 rejects:\n{script}");
        solver.check()
    })
}

/// Whether `s` uses a construct that SMT-LIB 2.6 does not have.
fn non_standard(s: &Sexp) -> Option<String> {
    let items = s.as_list()?;
    let hit = match items.first().map(|h| &h.kind) {
        Some(Kind::Word(w)) if w == "lambda" => true,
        Some(Kind::List(h)) => h.len() == 3 && h[0].is_word("_") && h[1].is_symbol("map"),
        Some(Kind::Symbol(f)) => matches!(f.as_str(), "and" | "or") && items.len() < 3,
        _ => false,
    };
    if hit {
        return Some(s.to_string());
    }
    items.iter().find_map(non_standard)
}

/// Translate, check the result has no Z3-only construct, compare Z3's
/// answers, and return the translation.
fn translate_same(script: &str, expect: z3::SatResult) -> String {
    let out = to_standard(script).unwrap_or_else(|e| panic!("translation failed: {e}"));
    let parsed = sexpr::parse(&out).expect("the output reads back");
    if let Some(bad) = parsed.iter().find_map(non_standard) {
        panic!("non-standard construct left: {bad}\n{out}");
    }
    assert_eq!(z3(script), expect, "Z3 on the input:\n{script}");
    assert_eq!(z3(&out), expect, "Z3 on the translation:\n{out}");
    out
}

#[test]
fn frames_the_script_with_a_logic_and_a_check() {
    let out = to_standard("(declare-fun p () Bool)\n(assert p)\n").unwrap();
    assert_eq!(
        out,
        "(set-logic ALL)\n(declare-fun p () Bool)\n(assert p)\n(check-sat)\n"
    );
    // An existing logic and check-sat are kept, not doubled.
    let out = to_standard("(set-logic UF)(declare-fun p () Bool)(assert p)(check-sat)").unwrap();
    assert_eq!(
        out,
        "(set-logic UF)\n(declare-fun p () Bool)\n(assert p)\n(check-sat)\n"
    );
}

#[test]
fn reader_and_printer_keep_symbols_strings_and_comments_apart() {
    let text =
        "; a comment (with a paren\n(assert (= |x y| |forall| |let'| \"a \"\"q\"\" ;\" |0a| abc))";
    let parsed = sexpr::parse(text).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(
        parsed[0].to_string(),
        "(assert (= |x y| |forall| |let'| \"a \"\"q\"\" ;\" |0a| abc))"
    );
    let items = parsed[0].as_list().unwrap()[1].as_list().unwrap();
    // `|forall|` is a symbol, a bare `forall` a reserved word.
    assert!(items[2].is_symbol("forall"));
    assert_eq!(items[4].kind, Kind::Str("a \"q\" ;".into()));
    // A quoted symbol that needs no bars loses them; both spell one symbol.
    assert_eq!(sexpr::parse("|abc|").unwrap()[0].to_string(), "abc");
    let kw = sexpr::parse("(! p :pattern ((f x)))").unwrap();
    assert_eq!(
        kw[0].as_list().unwrap()[2].kind,
        Kind::Keyword("pattern".into())
    );
}

#[test]
fn errors_carry_line_and_column() {
    let e = to_standard("(declare-fun p () Bool)\n(assert (and p\n").unwrap_err();
    assert_eq!((e.line, e.col), (2, 9), "{e}");
    assert!(e.message.contains("unclosed"), "{e}");
    let e = to_standard("(declare-fun p () Bool)\n(assert (and p q))").unwrap_err();
    assert_eq!((e.line, e.col), (2, 16), "{e}");
    assert!(e.message.contains("unknown symbol q"), "{e}");
    let e = to_standard("(assert (+ 1 true))").unwrap_err();
    assert!(e.message.contains("sort Bool where Int is expected"), "{e}");
    let e = to_standard("(assert ((_ extract 1 0) #b11))").unwrap_err();
    assert!(e.to_string().starts_with("1:"), "{e}");
}

#[test]
fn closed_lambda_becomes_a_constant_with_an_axiom() {
    let script = "(declare-fun s () (Array Int Bool))
        (assert (= s (lambda ((x Int)) (> x 0))))
        (assert (select s 0))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(
        out.contains("(declare-fun lambda!0 () (Array Int Bool))"),
        "{out}"
    );
    assert!(
        out.contains(
            "(assert (forall ((x Int)) (! (= (select lambda!0 x) (> x 0)) :pattern ((select lambda!0 x)))))"
        ),
        "{out}"
    );
    assert!(out.contains("(assert (= s lambda!0))"), "{out}");
    // Without the contradiction the problem stays satisfiable.
    translate_same(
        &script.replace("(select s 0)", "(select s 1)"),
        z3::SatResult::Sat,
    );
}

/// An enumerated sort: Z3 decides quantified problems over it, so a
/// translation can be checked on satisfiable scripts too.
const ENUM: &str = "(declare-datatypes ((E 0)) (((e1) (e2) (e3))))\n";

#[test]
fn lambda_takes_the_variables_of_enclosing_quantifiers_and_lets() {
    // Satisfiable only if the array depends on y (through z): one array
    // for all y at once would contain exactly one element for each of
    // several values of `next y`.
    let script = format!(
        "{ENUM}(declare-fun next (E) E)
        (assert (forall ((y E)) (let ((z (next y))) (select (lambda ((x E)) (= x z)) (next y)))))
        (assert (distinct (next e1) (next e2)))"
    );
    let out = translate_same(&script, z3::SatResult::Sat);
    assert!(
        out.contains("(declare-fun lambda!0 (E) (Array E Bool))"),
        "{out}"
    );
    assert!(out.contains("(forall ((z E) (x E))"), "{out}");
    let refuted = "(declare-fun c () Int)
        (assert (exists ((y Int)) (let ((z (+ y c))) (select (lambda ((x Int)) (= x z)) (+ y 1)))))
        (assert (= c 2))";
    translate_same(refuted, z3::SatResult::Unsat);
}

#[test]
fn a_shadowed_variable_is_not_a_parameter() {
    // Inside the lambda, x is the lambda's own variable, not the outer one.
    let script = format!("{ENUM}(assert (forall ((x E)) (select (lambda ((x E)) (= x e1)) e1)))");
    let out = translate_same(&script, z3::SatResult::Sat);
    assert!(
        out.contains("(declare-fun lambda!0 () (Array E Bool))"),
        "{out}"
    );
}

#[test]
fn nested_lambdas_are_defined_inside_out() {
    // m = [x |-> [y |-> x = e1 /\ y # x]]: m[e1][e2] and not m[e2][e1].
    let script = format!(
        "{ENUM}(declare-fun m () (Array E (Array E Bool)))
        (assert (= m (lambda ((x E)) (lambda ((y E)) (and (= x e1) (not (= y x)))))))
        (assert (select (select m e1) e2))
        (assert (not (select (select m e2) e1)))"
    );
    let out = translate_same(&script, z3::SatResult::Sat);
    assert!(
        out.contains("(declare-fun lambda!0 (E) (Array E Bool))"),
        "{out}"
    );
    assert!(
        out.contains("(declare-fun lambda!1 () (Array E (Array E Bool)))"),
        "{out}"
    );
    let inner = out.find("lambda!0 (E)").unwrap();
    let outer = out.find("lambda!1 ()").unwrap();
    assert!(
        inner < outer,
        "the inner function is declared first:\n{out}"
    );
    translate_same(
        &script.replace("(select (select m e1) e2)", "(select (select m e2) e3)"),
        z3::SatResult::Unsat,
    );
}

#[test]
fn map_over_lambdas_is_a_lambda_of_their_selects() {
    // k is in the union of {x : x < c} and {x : x > 2c}: refuted for
    // k = 5, c = 3, and so is k's absence for k = 1 (which a map with the
    // wrong operator, `and`, would allow).
    let script = "(declare-fun k () Int) (declare-fun c () Int)
        (assert (select ((_ map or) (lambda ((x Int)) (< x c)) (lambda ((x Int)) (> x (* 2 c)))) k))
        (assert (= k 5)) (assert (= c 3))";
    let out = translate_same(script, z3::SatResult::Unsat);
    // The union is the array [i |-> lambda!0[i] \/ lambda!1[i]], and a
    // read of either part at some index triggers it there too.
    let union = "(forall ((i!2 Int)) (! (= (select lambda!3 i!2) (or (select lambda!0 i!2) (select lambda!1 i!2))) :pattern ((select lambda!3 i!2)) :pattern ((select lambda!0 i!2)) :pattern ((select lambda!1 i!2))))";
    assert!(out.contains(union), "{out}");
    assert!(out.contains("(assert (select lambda!3 k))"), "{out}");
    let absent = script
        .replace(
            "(assert (select ((_ map or)",
            "(assert (not (select ((_ map or)",
        )
        .replace(" k))\n", " k)))\n")
        .replace("(= k 5)", "(= k 1)");
    assert!(absent.contains("(not (select"), "{absent}");
    translate_same(&absent, z3::SatResult::Unsat);
}

#[test]
fn equal_maps_share_one_function() {
    let script = "(declare-fun a () (Array Int Bool)) (declare-fun b () (Array Int Bool))
        (assert (= ((_ map and) a b) ((_ map and) b a)))
        (assert (not (= ((_ map not) a) ((_ map not) ((_ map not) ((_ map not) a))))))";
    let out = translate_same(script, z3::SatResult::Unsat);
    // `(_ map not) a` occurs twice and is defined once.
    assert_eq!(out.matches("(not (select a ").count(), 1, "{out}");
    assert_eq!(out.matches("(declare-fun lambda!").count(), 5, "{out}");
}

#[test]
fn patterns_are_kept_and_z3_attributes_dropped() {
    let script = "(declare-fun f (Int) Int)
        (assert (forall ((x Int)) (! (> (f x) x) :pattern ((f x)) :qid ax :weight 3)))
        (assert (forall ((y Int)) (! (= (f y) y) :skolemid s)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(
        out.contains("(assert (forall ((x Int)) (! (> (f x) x) :pattern ((f x)))))"),
        "{out}"
    );
    assert!(
        out.contains("(assert (forall ((y Int)) (= (f y) y)))"),
        "{out}"
    );
}

#[test]
fn a_lambda_inside_a_pattern_and_a_definition() {
    let script = "(declare-fun g ((Array Int Bool)) Int)
        (define-fun h ((n Int)) Int (g (lambda ((x Int)) (= x n))))
        (assert (forall ((n Int)) (! (> (h n) 0) :pattern ((g (lambda ((x Int)) (= x n)))))))
        (assert (< (g (lambda ((x Int)) (= x 3))) 0))";
    let out = translate_same(script, z3::SatResult::Unsat);
    // The definition's parameter is the function's argument, and the same
    // lambda in the pattern reuses the function.
    assert!(
        out.contains("(define-fun h ((n Int)) Int (g (lambda!0 n)))"),
        "{out}"
    );
    assert!(out.contains(":pattern ((g (lambda!0 n)))"), "{out}");
}

#[test]
fn constant_arrays_of_values_stay_and_others_become_lambdas() {
    let script = "(declare-fun c () Int)
        (assert (= (select ((as const (Array Int Int)) 0) 3) 0))
        (assert (forall ((v Int)) (= (select ((as const (Array Int Int)) (+ v c)) 9) (+ v c))))
        (assert (not (= (select ((as const (Array Int Int)) c) 4) c)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(out.contains("((as const (Array Int Int)) 0)"), "{out}");
    assert!(!out.contains("((as const (Array Int Int)) c)"), "{out}");
    assert!(
        out.contains("(declare-fun lambda!1 (Int) (Array Int Int))"),
        "{out}"
    );
}

#[test]
fn one_argument_connectives_are_unwrapped() {
    let script = "(declare-fun p () Bool) (declare-fun n () Int)
        (assert (and p))
        (assert (or (not p) (> (+ n) 2)))
        (assert (not (and p (< 0 (* n)))))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(out.contains("(assert p)"), "{out}");
    assert!(out.contains("(or (not p) (> n 2))"), "{out}");
    // No argument at all has no meaning the translator could rely on.
    let e = to_standard("(assert (or (and) (or)))").unwrap_err();
    assert!(e.message.contains("and: wrong number of arguments"), "{e}");
}

#[test]
fn datatypes_and_testers_pass_through() {
    let script = "(declare-sort U 0)
        (declare-datatypes ((R 0)) (((mk_a (a_x Int)) (mk_b (b_s (Array U Bool))))))
        (declare-fun r () R)
        (assert ((_ is mk_b) r))
        (assert (= (a_x r) 1))
        (assert ((_ is mk_a) r))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(out.contains("(assert ((_ is mk_b) r))"), "{out}");
}

#[test]
fn z3_solver_options_are_dropped() {
    let out = to_standard("(set-option :smt.mbqi false)(set-option :produce-models true)").unwrap();
    assert_eq!(
        out,
        "(set-logic ALL)\n(set-option :produce-models true)\n(check-sat)\n"
    );
}

#[test]
fn fresh_names_avoid_the_scripts_own() {
    let script = "(declare-fun lambda!0 () Int)
        (assert (= lambda!0 (select (lambda ((x Int)) 7) 0)))
        (assert (not (= lambda!0 7)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(
        out.contains("(declare-fun lambda!1 () (Array Int Int))"),
        "{out}"
    );
}

#[test]
fn maps_over_literal_sets_become_stores() {
    // S \cup {e}, S \ {e} and S \cup S, as Z3's rewriter sees them.
    let script = "(declare-sort U 0) (declare-fun S () (Array U Bool)) (declare-fun e () U)
        (declare-fun f () U)
        (assert (select ((_ map or) S (store ((as const (Array U Bool)) false) e true)) f))
        (assert (not (select ((_ map and) S ((_ map not) (store ((as const (Array U Bool)) false) e true))) f)))
        (assert (= ((_ map or) S S) ((_ map or) S S)))
        (assert (not (= e f)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(out.contains("(select (store S e true) f)"), "{out}");
    assert!(out.contains("(select (store S e false) f)"), "{out}");
    assert!(out.contains("(assert (= S S))"), "{out}");
    assert!(!out.contains("lambda!"), "{out}");
    // A literal set with a false entry is not a union with stores.
    let out = to_standard(
        "(declare-fun S () (Array Int Bool))
         (assert (select ((_ map or) S (store ((as const (Array Int Bool)) false) 1 false)) 1))",
    )
    .unwrap();
    assert!(out.contains("lambda!"), "{out}");
}

#[test]
fn arrays_indexed_by_arrays_get_a_stand_in_sort() {
    let script = "(declare-sort U 0)
        (declare-datatypes ((R 0)) (((mk (qs (Array (Array U Bool) Bool))))))
        (declare-fun Q () (Array (Array U Bool) Bool))
        (declare-fun a () (Array U Bool)) (declare-fun b () (Array U Bool))
        (declare-fun r () R)
        (assert (= (qs r) (store Q a false)))
        (assert (forall ((x (Array U Bool))) (=> (select Q x) (select (qs r) x))))
        (assert (select Q b))
        (assert (= a b))";
    let out = translate_same(script, z3::SatResult::Unsat);
    let parsed = sexpr::parse(&out).unwrap();
    fn array_of_arrays(s: &Sexp) -> bool {
        match s.as_list() {
            Some([h, i, _]) if h.is_symbol("Array") => {
                i.as_list().is_some_and(|l| l[0].is_symbol("Array")) || array_of_arrays(i)
            }
            Some(l) => l.iter().any(array_of_arrays),
            None => false,
        }
    }
    assert!(
        !parsed.iter().any(array_of_arrays),
        "an array is still indexed by arrays:\n{out}"
    );
    assert!(out.contains("(declare-sort Idx!"), "{out}");
    assert!(out.contains("(mk (qs (Array Idx!"), "{out}");
    assert!(out.contains("(select Q (box!"), "{out}");
}

#[test]
fn boxing_is_a_bijection_so_set_equality_is_kept() {
    // Two sets of sets that agree on every set are equal; with `box`
    // injective only, they could differ at an element boxing no set.
    let script = "(declare-sort U 0)
        (declare-fun S () (Array (Array U Bool) Bool)) (declare-fun T () (Array (Array U Bool) Bool))
        (assert (forall ((x (Array U Bool))) (= (select S x) (select T x))))
        (assert (not (= S T)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    assert!(out.contains("(= (box!"), "{out}");
}

#[test]
fn reads_of_arrays_of_all_parameters_are_extra_triggers() {
    let script = "(declare-fun a () (Array Int Bool)) (declare-fun h (Int) (Array Int Bool))
        (assert (forall ((y Int)) (select (lambda ((x Int)) (and (select a x) (select (h y) x))) y)))
        (assert (not (select a 3)))";
    let out = translate_same(script, z3::SatResult::Unsat);
    // `(select a x)` does not mention y: as a pattern it would leave y open.
    assert!(
        out.contains(":pattern ((select (lambda!0 y) x)) :pattern ((select (h y) x)))))"),
        "{out}"
    );
}
