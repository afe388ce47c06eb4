//! State, primes, definitions (expanded, hidden, operator parameters),
//! and the limits on runaway evaluation.

use super::*;

#[test]
fn state_primes_and_definitions() {
    let prog = analyze(&module(
        r#"
\* @type: Int;
CONSTANT N
\* @type: Int;
VARIABLE x
\* @type: Int;
VARIABLE z
\* @type: Int -> Int;
VARIABLE y
Op(p) == p'
OpX == Op(x)
OpEq == x = z /\ Op(x) # Op(z)
Unch == UNCHANGED y
UnchX == UNCHANGED x
UnchOp(p) == UNCHANGED p
UnchOpX == UnchOp(x)
UnchTuple == UNCHANGED <<y, x>>
Box == [FALSE]_y
BoxX == [x' = 3]_x
Angle == <<TRUE>>_y
AngleX == <<x' = 2>>_x
PrimedExpr == (x + N)'
ConstPrime == N' = N
Plus(a, b) == a + b
Twice(a) == Plus(a, a)
Call == Twice(x')
LetDefs == LET a == 2
               b(q) == q * a
           IN b(5)
LetCapture == \A i \in 1..3 : LET d == i * 2 IN d % 2 = 0
Temporal == [](x = 1)
Enabled == ENABLED (x' = 1)
"#,
    ));
    let model = Model::default()
        .constant(&prog, "N", Value::int(10))
        .variable(&prog, "x", Value::int(1), Value::int(2))
        .variable(&prog, "z", Value::int(1), Value::int(3))
        .variable(
            &prog,
            "y",
            Value::tuple([1.into()]),
            Value::tuple([1.into()]),
        );
    check(
        &prog,
        &model,
        &[
            ("OpX", "2"),
            ("OpEq", "TRUE"),
            ("Unch", "TRUE"),
            ("UnchX", "FALSE"),
            ("UnchOpX", "FALSE"),
            ("UnchTuple", "FALSE"),
            ("Box", "TRUE"),
            ("BoxX", "FALSE"),
            ("Angle", "FALSE"),
            ("AngleX", "TRUE"),
            ("PrimedExpr", "12"),
            ("ConstPrime", "TRUE"),
            ("Call", "4"),
            ("LetDefs", "10"),
            ("LetCapture", "TRUE"),
            ("Temporal", "UNSUPPORTED"),
            ("Enabled", "UNSUPPORTED"),
        ],
    );
    // Without the model's values, no value.
    check(
        &prog,
        &Model::default(),
        &[("OpX", "UNSUPPORTED"), ("PrimedExpr", "UNSUPPORTED")],
    );
}

#[test]
fn hidden_definitions_come_from_the_model() {
    let prog = analyze(&module(
        r#"
Hidden == 5
Inc(a) == a + 1
UseHidden == Hidden + Inc(1)
"#,
    ));
    let mut model = Model::default();
    model.opaque.insert(def_id(&prog, "Hidden"), Value::int(7));
    // `Hidden` is not expanded: the model's 7; `Inc` has no model value:
    // expanded.
    let expand: BTreeSet<DefId> = [def_id(&prog, "UseHidden")].into();
    check_with(
        &prog,
        &model,
        &expand,
        Limits::default(),
        &[("UseHidden", "9")],
    );
    // Expanded: its body.
    let expand: BTreeSet<DefId> = [def_id(&prog, "UseHidden"), def_id(&prog, "Hidden")].into();
    check_with(
        &prog,
        &model,
        &expand,
        Limits::default(),
        &[("UseHidden", "7")],
    );
}

#[test]
fn runaway_evaluation_is_unsupported() {
    let prog = analyze(&module(
        r#"
Many == \A i \in 1..5000 : i > 0
Huge == \A i \in 1..100000, j \in 1..100000 : TRUE
bad[n \in Nat] == bad[n + 1]
Bad == bad[0]
"#,
    ));
    let small = Limits {
        max_steps: 1000,
        ..Limits::default()
    };
    let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
    check_with(
        &prog,
        &Model::default(),
        &all,
        small,
        &[("Many", "UNSUPPORTED")],
    );
    check(
        &prog,
        &Model::default(),
        &[("Many", "TRUE"), ("Huge", "UNSUPPORTED")],
    );
    // A deep recursion ends in `Unsupported`, not a stack overflow: with
    // the default limits on a 2 MiB thread stack, and with a nesting limit
    // far above what the stack holds but a stack limit that fits.
    let runs = [
        (2 << 20, Limits::default()),
        (
            512 << 10,
            Limits {
                max_depth: 1_000_000,
                max_stack: 256 << 10,
                ..Limits::default()
            },
        ),
    ];
    for (stack, limits) in runs {
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let prog = analyze(&module("bad[n \\in Nat] == bad[n + 1]\nBad == bad[0]"));
                let all: BTreeSet<DefId> = (0..prog.defs.len() as u32).map(DefId).collect();
                let model = Model::default();
                let mut ev = Evaluator::new(&prog, &model, &all).with_limits(limits);
                // Values hold `Rc`s: send the outcome back as text.
                ev.eval(&body(&prog, "Bad"))
                    .map(|v| v.to_string())
                    .map_err(|e| e.to_string())
            })
            .unwrap();
        let r = handle.join().unwrap();
        assert!(
            matches!(&r, Err(e) if e.starts_with("cannot evaluate") && e.contains("nests deeper")),
            "{r:?}"
        );
    }
}

#[test]
fn operator_parameters() {
    // The front end passes operators to operator parameters as LAMBDAs
    // (a definition's name as an argument is refused): the parameter is
    // applied by substituting the LAMBDA's body, in the caller's state.
    let prog = analyze(&module(
        r#"
\* @type: Int;
VARIABLE x
Apply2(F(_), v) == F(v)
HO == Apply2(LAMBDA q : q + 1, 4)
HOPrime == Apply2(LAMBDA q : q', x)
HOState == Apply2(LAMBDA q : q + x, 1)'
"#,
    ));
    let model = Model::default().variable(&prog, "x", Value::int(1), Value::int(5));
    check(
        &prog,
        &model,
        &[("HO", "5"), ("HOPrime", "5"), ("HOState", "6")],
    );
}
