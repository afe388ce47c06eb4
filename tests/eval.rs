//! The evaluator on modules read by the project's front end: a small
//! voting spec evaluated in a hand-made state pair, the canonical
//! equalities of TLA+ values, and counterexamples confirmed (or not) from
//! the obligations the proof builder forms. Every expected value is worked
//! out by hand in the comments.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use tlasmt::eval::{EvalError, Evaluator, Interp, Limits, Value, Verdict, confirm};
use tlasmt::obligations::{Builder, Obligation};
use tlasmt::semantic::ir::{BVar, ConstId, DefBody, DefId, E, VarId};
use tlasmt::semantic::{self, Program};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Analyse `text` (module `name`) from a fresh temporary directory.
fn analyze(name: &str, text: &str) -> Program {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir: PathBuf = std::env::temp_dir().join(format!("tlasmt-eval-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.tla"));
    std::fs::write(&path, text).unwrap();
    let r = semantic::analyze(&path, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    match r {
        Ok((prog, _)) => prog,
        Err(e) => panic!("analysis failed:\n{}", e.rendered.join("\n")),
    }
}

/// A model given by name: constants, variables (now, next), NEW symbols,
/// hidden definitions, and a universe.
#[derive(Default)]
struct Model {
    consts: HashMap<String, Value>,
    vars: HashMap<(String, bool), Value>,
    symbols: HashMap<String, Value>,
    /// `NEW F(_)` operators: by name and arguments.
    operators: HashMap<(String, Vec<Value>), Value>,
    opaque: HashMap<String, Value>,
    universe: Option<Vec<Value>>,
    const_names: Vec<String>,
    var_names: Vec<String>,
    def_names: Vec<String>,
}

impl Model {
    fn new(prog: &Program) -> Model {
        Model {
            const_names: prog.consts.iter().map(|c| c.name.to_string()).collect(),
            var_names: prog.vars.iter().map(|v| v.name.to_string()).collect(),
            def_names: prog.defs.iter().map(|d| d.name.to_string()).collect(),
            ..Model::default()
        }
    }
    fn constant(mut self, name: &str, v: Value) -> Self {
        self.consts.insert(name.into(), v);
        self
    }
    fn variable(mut self, name: &str, now: Value, next: Value) -> Self {
        self.vars.insert((name.into(), false), now);
        self.vars.insert((name.into(), true), next);
        self
    }
    fn symbol(mut self, name: &str, v: Value) -> Self {
        self.symbols.insert(name.into(), v);
        self
    }
}

impl Interp for Model {
    fn constant(&self, c: ConstId) -> Option<Value> {
        self.consts.get(&self.const_names[c.0 as usize]).cloned()
    }
    fn variable(&self, v: VarId, primed: bool) -> Option<Value> {
        let name = self.var_names[v.0 as usize].clone();
        self.vars.get(&(name, primed)).cloned()
    }
    fn symbol(&self, v: &BVar, args: &[Value]) -> Option<Value> {
        if !args.is_empty() {
            return self
                .operators
                .get(&(v.name.to_string(), args.to_vec()))
                .cloned();
        }
        self.symbols.get(&*v.name).cloned()
    }
    fn opaque(&self, d: DefId, _args: &[Value], _primed: bool) -> Option<Value> {
        self.opaque.get(&self.def_names[d.0 as usize]).cloned()
    }
    fn universe(&self, _v: &BVar) -> Option<&[Value]> {
        self.universe.as_deref()
    }
}

fn body(prog: &Program, name: &str) -> E {
    let d = prog.defs.iter().find(|d| &*d.name == name);
    match d.map(|d| &d.body) {
        Some(DefBody::Expr(e)) => e.clone(),
        _ => panic!("no operator definition {name}"),
    }
}

fn all_defs(prog: &Program) -> BTreeSet<DefId> {
    (0..prog.defs.len() as u32).map(DefId).collect()
}

fn eval(prog: &Program, model: &Model, name: &str) -> Result<Value, EvalError> {
    let expand = all_defs(prog);
    Evaluator::new(prog, model, &expand).eval(&body(prog, name))
}

fn acc(name: &str) -> Value {
    Value::atom("ACC", name)
}

const VOTING: &str = r#"---- MODULE Voting ----
EXTENDS Naturals, FiniteSets
\* @type: Set(ACC);
CONSTANT Acceptor
\* @type: Set(Set(ACC));
CONSTANT Quorum
\* @type: ACC -> Int;
VARIABLE votes
\* @type: Set({type: Str, bal: Int, acc: ACC});
VARIABLE msgs
vars == <<votes, msgs>>
Message == [type : {"1a", "1b"}, bal : Nat, acc : Acceptor]
TypeOK == /\ votes \in [Acceptor -> Nat]
          /\ msgs \subseteq Message
TypeOKNext == TypeOK'
QuorumAssumption == /\ \A Q \in Quorum : Q \subseteq Acceptor
                    /\ \A Q1, Q2 \in Quorum : Q1 \cap Q2 # {}
Vote(a, b) == /\ votes[a] < b
              /\ votes' = [votes EXCEPT ![a] = b]
              /\ msgs' = msgs \cup {[type |-> "1b", bal |-> b, acc |-> a]}
Next == \E a \in Acceptor, b \in 0..3 : Vote(a, b)
VoteA2 == Vote(CHOOSE a \in Acceptor : votes[a] = 2, 3)
Step == [Next]_vars
Max(S) == CHOOSE m \in S : \A n \in S : n <= m
Highest == Max({votes[a] : a \in Acceptor})
Chosen == {b \in 0..3 : \E Q \in Quorum : \A a \in Q : votes[a] >= b}
Sent == {m.acc : m \in msgs'}
LastMsg == CHOOSE m \in msgs' : TRUE
Spec == [][Next]_vars
CardQ == {Cardinality(Q) : Q \in Quorum}
====
"#;

/// A three-acceptor state pair: `a1` votes 3.
fn voting_model(prog: &Program) -> Model {
    let (a1, a2, a3) = (acc("a1"), acc("a2"), acc("a3"));
    let votes = |x: i64| {
        Value::fun([
            (a1.clone(), x.into()),
            (a2.clone(), 2.into()),
            (a3.clone(), 1.into()),
        ])
    };
    let msg = Value::record([
        ("type", "1b".into()),
        ("bal", 3.into()),
        ("acc", a1.clone()),
    ]);
    Model::new(prog)
        .constant("Acceptor", Value::set([a1.clone(), a2.clone(), a3.clone()]))
        .constant(
            "Quorum",
            Value::set([
                Value::set([a1.clone(), a2.clone()]),
                Value::set([a2.clone(), a3.clone()]),
                Value::set([a1.clone(), a3.clone()]),
            ]),
        )
        .variable("votes", votes(0), votes(3))
        .variable("msgs", Value::empty_set(), Value::set([msg]))
}

#[test]
fn a_spec_evaluated_in_a_state_pair() {
    let prog = analyze("Voting", VOTING);
    let model = voting_model(&prog);
    let show = |name: &str| match eval(&prog, &model, name) {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(show("TypeOK"), "TRUE");
    assert_eq!(show("TypeOKNext"), "TRUE");
    assert_eq!(show("QuorumAssumption"), "TRUE");
    // a1 moves from 0 to 3 and sends its 1b message: Vote(a1, 3).
    assert_eq!(show("Next"), "TRUE");
    assert_eq!(show("Step"), "TRUE");
    // a2 (the acceptor that voted 2) did not move.
    assert_eq!(show("VoteA2"), "FALSE");
    // max of {0, 2, 1}
    assert_eq!(show("Highest"), "2");
    // The quorum {a2, a3} has votes >= 1, none has all votes >= 2.
    assert_eq!(show("Chosen"), "{0, 1}");
    assert_eq!(show("Sent"), "{a1}");
    assert_eq!(show("LastMsg"), "[acc |-> a1, bal |-> 3, type |-> \"1b\"]");
    assert_eq!(show("vars"), "<<[a1 |-> 0, a2 |-> 2, a3 |-> 1], {}>>");
    assert_eq!(show("CardQ"), "{2}");
    assert!(show("Spec").starts_with("error: cannot evaluate: the temporal operator []"));
    // A message with a bad ballot breaks TypeOK'.
    let bad = Value::record([
        ("type", "1b".into()),
        ("bal", (-1).into()),
        ("acc", acc("a1")),
    ]);
    let model = model.variable("msgs", Value::empty_set(), Value::set([bad]));
    assert_eq!(show_with(&prog, &model, "TypeOKNext"), "FALSE");
    assert_eq!(show_with(&prog, &model, "TypeOK"), "TRUE");
}

fn show_with(prog: &Program, model: &Model, name: &str) -> String {
    match eval(prog, model, name) {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn canonical_equalities() {
    let prog = analyze(
        "Canon",
        r#"---- MODULE Canon ----
EXTENDS Naturals
TupleFun == <<1, 2>> = [i \in 1..2 |-> i]
RecordFun == [a |-> 1] = [x \in {"a"} |-> 1]
SetOrder == {1, 2} = {2, 1}
ChooseDet == (CHOOSE x \in {1, 2} : x > 0) = (CHOOSE x \in {2, 1} : x > 0)
ChooseEquiv == (CHOOSE x \in 1..4 : x * x > 3) = (CHOOSE x \in {4, 3, 2, 1} : x > 1)
TupleApp == <<1, 2>>[1] = 1
TupleDom == DOMAIN <<1, 2>> = 1..2
RecordDom == DOMAIN [a |-> 1, b |-> 2] = {"a", "b"}
RecordExcept == [[a |-> 1] EXCEPT !.a = 2] = [a |-> 2]
SeqFun == [i \in 1..3 |-> i * i] = <<1, 4, 9>>
EmptyThings == <<>> = [x \in {} |-> 1] /\ "" = <<>>
DiffDomains == [a |-> 1] # [b |-> 1]
====
"#,
    );
    let model = Model::new(&prog);
    for name in [
        "TupleFun",
        "RecordFun",
        "SetOrder",
        "ChooseDet",
        "ChooseEquiv",
        "TupleApp",
        "TupleDom",
        "RecordDom",
        "RecordExcept",
        "SeqFun",
        "EmptyThings",
        "DiffDomains",
    ] {
        assert_eq!(eval(&prog, &model, name), Ok(Value::bool(true)), "{name}");
    }
}

/// The obligations of theorem `name`.
fn obligations(prog: &mut Program, name: &str) -> Vec<Obligation> {
    let id = prog.theorem_by_name(name).expect("theorem");
    let mut b = Builder::new(prog);
    b.theorem(id);
    b.obligations
}

fn verdict(prog: &Program, ob: &Obligation, model: &Model) -> Verdict {
    confirm(prog, ob, model, Limits::default())
}

fn not_confirmed_because(v: &Verdict, part: &str) {
    match v {
        Verdict::NotConfirmed { why, .. } => assert!(why.contains(part), "{why}"),
        Verdict::Confirmed { .. } => panic!("confirmed, expected not ({part})"),
    }
}

const THEOREMS: &str = r#"---- MODULE Thms ----
EXTENDS Naturals
Pos(k) == k > 0
LEMMA Small == ASSUME NEW a \in 0..5 PROVE a + 0 = a
LEMMA Refl == ASSUME NEW a PROVE a = a
THEOREM Bad == ASSUME NEW n \in Nat, n > 2 PROVE n > 5
THEOREM Apply == ASSUME NEW f, NEW x, f[x] = 1 PROVE FALSE
THEOREM Hidden == ASSUME NEW k \in Nat, Pos(k) PROVE k > 1
THEOREM Expanded == ASSUME NEW k \in Nat, Pos(k) PROVE k > 1
BY DEF Pos
THEOREM Cites == ASSUME NEW k \in Nat PROVE k = 2
BY Small
THEOREM NewOp == ASSUME NEW F(_), F(1) = 2 PROVE F(2) = 2
THEOREM CitesUnbounded == ASSUME NEW k \in Nat PROVE k = 2
BY Refl
====
"#;

#[test]
fn counterexamples_are_confirmed_only_when_hypotheses_hold_and_goal_fails() {
    let mut prog = analyze("Thms", THEOREMS);
    let bad = obligations(&mut prog, "Bad");
    let ob = &bad[0];
    let m = |n: Value| Model::new(&prog).symbol("n", n);
    // n = 3: 3 \in Nat, 3 > 2, and 3 > 5 is FALSE.
    assert_eq!(
        verdict(&prog, ob, &m(3.into())),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
    // n = 7: the goal holds.
    not_confirmed_because(&verdict(&prog, ob, &m(7.into())), "goal is TRUE");
    // n = 1: the hypothesis n > 2 fails.
    not_confirmed_because(&verdict(&prog, ob, &m(1.into())), "hypothesis is FALSE");
    // n = -4 or "a": outside the NEW domain.
    not_confirmed_because(
        &verdict(&prog, ob, &m((-4).into())),
        "outside its NEW domain",
    );
    not_confirmed_because(
        &verdict(&prog, ob, &m("a".into())),
        "outside its NEW domain",
    );
    // No value for n.
    not_confirmed_because(&verdict(&prog, ob, &Model::new(&prog)), "no value to `n`");

    // f[x] = 1 with x outside DOMAIN f is unspecified: not a confirmed
    // counterexample; inside the domain it is.
    let apply = obligations(&mut prog, "Apply");
    let ob = &apply[0];
    let f = Value::tuple([1.into()]);
    let m = |x: i64| {
        Model::new(&prog)
            .symbol("f", f.clone())
            .symbol("x", x.into())
    };
    not_confirmed_because(&verdict(&prog, ob, &m(2)), "hypothesis is unspecified");
    assert_eq!(
        verdict(&prog, ob, &m(1)),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
}

#[test]
fn hidden_definitions_and_cited_facts() {
    let mut prog = analyze("Thms", THEOREMS);
    let expanded = obligations(&mut prog, "Expanded");
    let hidden = obligations(&mut prog, "Hidden");
    let cites = obligations(&mut prog, "Cites");
    let cites_unbounded = obligations(&mut prog, "CitesUnbounded");
    let new_op = obligations(&mut prog, "NewOp");
    let m = || Model::new(&prog).symbol("k", 1.into());
    // With DEF Pos: Pos(1) is 1 > 0, and 1 > 1 is FALSE.
    let ob = &expanded[0];
    assert_eq!(
        verdict(&prog, ob, &m()),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
    // Pos hidden: the model's value of Pos decides the hypothesis.
    let ob = &hidden[0];
    let mut hidden_false = m();
    hidden_false.opaque.insert("Pos".into(), false.into());
    not_confirmed_because(&verdict(&prog, ob, &hidden_false), "hypothesis is FALSE");
    let mut hidden_true = m();
    hidden_true.opaque.insert("Pos".into(), true.into());
    assert_eq!(
        verdict(&prog, ob, &hidden_true),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
    // No model value: the body is its meaning.
    assert_eq!(
        verdict(&prog, ob, &m()),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );

    // A cited lemma is a hypothesis `\A a \in 0..5 : a + 0 = a`: TRUE.
    let ob = &cites[0];
    assert_eq!(
        verdict(&prog, ob, &m()),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
    // `\A a : a = a` needs the universe: without one it cannot be
    // evaluated; with one the verdict says it was used.
    let ob = &cites_unbounded[0];
    not_confirmed_because(&verdict(&prog, ob, &m()), "no universe given");
    let mut with_universe = m();
    with_universe.universe = Some(vec![0.into(), 1.into(), "s".into()]);
    assert_eq!(
        verdict(&prog, ob, &with_universe),
        Verdict::Confirmed {
            relied_on_universe: true
        }
    );

    // A NEW operator is given by the model at each argument it is applied to.
    let ob = &new_op[0];
    let mut f = Model::new(&prog);
    f.operators.insert(("F".into(), vec![1.into()]), 2.into());
    not_confirmed_because(&verdict(&prog, ob, &f), "no value to `F`");
    f.operators.insert(("F".into(), vec![2.into()]), 3.into());
    assert_eq!(
        verdict(&prog, ob, &f),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
}

#[test]
fn a_spec_with_an_operator_that_primes_its_parameter() {
    // Issue 9's class 2: x = y does not give Op(x) = Op(y) when Op primes
    // its parameter. The counterexample x = y = 0, x' = 1, y' = 2 is
    // confirmed.
    let mut prog = analyze(
        "Prime",
        r#"---- MODULE Prime ----
EXTENDS Naturals
\* @type: Int;
VARIABLE x
\* @type: Int;
VARIABLE y
Op(p) == p'
THEOREM T == ASSUME x = y, Op(x) = 1, Op(y) = 2 PROVE FALSE
BY DEF Op
====
"#,
    );
    let ob = &obligations(&mut prog, "T")[0];
    let model = Model::new(&prog)
        .variable("x", 0.into(), 1.into())
        .variable("y", 0.into(), 2.into());
    assert_eq!(
        verdict(&prog, ob, &model),
        Verdict::Confirmed {
            relied_on_universe: false
        }
    );
    // With y' = 1 the hypothesis Op(y) = 2 fails.
    let model = model.variable("y", 0.into(), 1.into());
    not_confirmed_because(&verdict(&prog, ob, &model), "hypothesis is FALSE");
}

/// The shipped BPCon spec, extended by a module of test definitions.
fn bpcon() -> Program {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tlasmt-eval-bpcon-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("W.tla");
    std::fs::write(
        &path,
        r#"---- MODULE W ----
EXTENDS BPCon
BQAHolds == BQA
InitHolds == Init
A1 == CHOOSE a \in Acceptor : TRUE
Step1a == Phase1a(0)
Step1b == Phase1b(A1, 0)
Fake == FakingAcceptor(CHOOSE f \in FakeAcceptor : TRUE)
MsgsTyped == \A m \in bmsgs' : m \in BMessage
NoneValue == None
====
"#,
    )
    .unwrap();
    let encodings = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("encodings");
    let r = semantic::analyze(&path, &[encodings]);
    let _ = std::fs::remove_dir_all(&dir);
    match r {
        Ok((prog, _)) => prog,
        Err(e) => panic!("analysis failed:\n{}", e.rendered.join("\n")),
    }
}

#[test]
fn the_shipped_bpcon_spec_in_a_small_model() {
    let prog = bpcon();
    let (a1, a2, f1) = (acc("a1"), acc("a2"), acc("f1"));
    let none = Value::atom("VALUE", "none");
    let v1 = Value::atom("VALUE", "v1");
    let every_acceptor = |x: Value| Value::fun([(a1.clone(), x.clone()), (a2.clone(), x)]);
    let init = [
        ("maxBal", every_acceptor((-1).into())),
        ("maxVBal", every_acceptor((-1).into())),
        ("maxVVal", every_acceptor(none.clone())),
        ("2avSent", every_acceptor(Value::empty_set())),
        ("knowsSent", every_acceptor(Value::empty_set())),
        ("bmsgs", Value::empty_set()),
    ];
    let mut model = Model::new(&prog)
        .constant("Value", Value::set([v1.clone()]))
        .constant("Acceptor", Value::set([a1.clone(), a2.clone()]))
        .constant("FakeAcceptor", Value::set([f1.clone()]))
        .constant(
            "WeakQuorum",
            Value::set([Value::set([a1.clone()]), Value::set([a2.clone()])]),
        );
    for (v, x) in &init {
        model = model.variable(v, x.clone(), x.clone());
    }
    // None is hidden; the model gives it.
    model.opaque.insert("None".into(), none.clone());
    let mut expand = all_defs(&prog);
    expand.retain(|d| &*prog.defs[d.0 as usize].name != "None");
    let run = |model: &Model, name: &str| {
        Evaluator::new(&prog, model, &expand)
            .eval(&body(&prog, name))
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    };
    let yes = Ok("TRUE".to_string());
    let no = Ok("FALSE".to_string());

    // The weakened quorums of issue 9: two Byzantine quorums meeting only
    // in the fake acceptor break BQA; one quorum of everyone satisfies it.
    let weak = Value::set([
        Value::set([a1.clone(), f1.clone()]),
        Value::set([a2.clone(), f1.clone()]),
    ]);
    let model = model.constant("ByzQuorum", weak);
    assert_eq!(run(&model, "BQAHolds"), no);
    let all = Value::set([Value::set([a1.clone(), a2.clone(), f1.clone()])]);
    let model = model.constant("ByzQuorum", all);
    assert_eq!(run(&model, "BQAHolds"), yes);

    assert_eq!(run(&model, "InitHolds"), yes);
    assert_eq!(run(&model, "A1"), Ok("a1".to_string()));
    // Phase1a(0) sends [type |-> "1a", bal |-> 0] and changes nothing else.
    let msg1a = Value::record([("type", "1a".into()), ("bal", 0.into())]);
    let model = model.variable("bmsgs", Value::empty_set(), Value::set([msg1a.clone()]));
    assert_eq!(run(&model, "Step1a"), yes);
    assert_eq!(run(&model, "Step1b"), no);
    assert_eq!(run(&model, "MsgsTyped"), yes);
    // Then a1 answers with its 1b message (membership in BMessage is
    // decided though Ballot is Nat).
    let msg1b = Value::record([
        ("type", "1b".into()),
        ("bal", 0.into()),
        ("acc", a1.clone()),
        ("m2av", Value::empty_set()),
        ("mbal", (-1).into()),
        ("mval", none.clone()),
    ]);
    let max_bal = Value::fun([(a1.clone(), 0.into()), (a2.clone(), (-1).into())]);
    let model = model
        .variable(
            "bmsgs",
            Value::set([msg1a.clone()]),
            Value::set([msg1a.clone(), msg1b.clone()]),
        )
        .variable("maxBal", every_acceptor((-1).into()), max_bal);
    assert_eq!(run(&model, "Step1b"), yes);
    assert_eq!(run(&model, "Step1a"), no);
    assert_eq!(run(&model, "MsgsTyped"), yes);
    // A 1b message whose mval is a value outside Value \cup {None} is not a
    // BMessage.
    let stray = Value::record([
        ("type", "1b".into()),
        ("bal", 0.into()),
        ("acc", a1.clone()),
        ("m2av", Value::empty_set()),
        ("mbal", (-1).into()),
        ("mval", Value::atom("VALUE", "v9")),
    ]);
    let model = model.variable("bmsgs", Value::empty_set(), Value::set([stray]));
    assert_eq!(run(&model, "MsgsTyped"), no);
    // A faking acceptor's messages range over an infinite set of records:
    // FakingAcceptor(f1) cannot be evaluated, unless its other conjunct,
    // UNCHANGED maxBal (among others), is FALSE, as here.
    assert_eq!(run(&model, "Fake"), no);
    let model = model.variable(
        "maxBal",
        every_acceptor((-1).into()),
        every_acceptor((-1).into()),
    );
    let fake = run(&model, "Fake");
    assert!(
        fake.as_ref().is_err_and(|e| e.contains("infinite set Nat")),
        "{fake:?}"
    );
    // Expanded, None is CHOOSE v : v \notin Value: over the universe
    // {v1, v2} it is v2.
    let mut with_universe = Model::new(&prog).constant("Value", Value::set([v1.clone()]));
    with_universe.universe = Some(vec![v1.clone(), Value::atom("VALUE", "v2")]);
    let r = Evaluator::new(&prog, &with_universe, &all_defs(&prog)).eval(&body(&prog, "NoneValue"));
    assert_eq!(r, Ok(Value::atom("VALUE", "v2")));
}
