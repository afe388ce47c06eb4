//! Module-level units and Apalache type annotations.

mod syntax_support;

use syntax_support::{definition, parse_fixture, path, read_fixture, sexp};
use tlasmt::syntax::ast::{Decl, DefKind, Module, Statement, TheoremKind, Unit};

fn decls(module: &Module, pick: fn(&Unit) -> Option<&Vec<Decl>>) -> Vec<&Decl> {
    module.units.iter().filter_map(pick).flatten().collect()
}

fn constants(u: &Unit) -> Option<&Vec<Decl>> {
    match u {
        Unit::Constants(d) => Some(d),
        _ => None,
    }
}

fn variables(u: &Unit) -> Option<&Vec<Decl>> {
    match u {
        Unit::Variables(d) => Some(d),
        _ => None,
    }
}

fn unit_kind(u: &Unit) -> &'static str {
    match u {
        Unit::Constants(_) => "CONSTANTS",
        Unit::Variables(_) => "VARIABLES",
        Unit::Recursive(_) => "RECURSIVE",
        Unit::Assume(_) => "ASSUME",
        Unit::Definition(_) => "DEF",
        Unit::Instance(_) => "INSTANCE",
        Unit::Theorem(_) => "THEOREM",
        Unit::UseHide(_) => "USE/HIDE",
        Unit::Submodule(_) => "MODULE",
    }
}

#[test]
fn module_header_extends_and_unit_sequence() {
    let m = parse_fixture("units.tla");
    assert_eq!(m.name.name, "Units");
    let extends: Vec<&str> = m.extends.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(extends, ["Naturals", "FiniteSets", "Sequences"]);
    let kinds: Vec<&str> = m.units.iter().map(unit_kind).collect();
    let expected = [
        "CONSTANTS",
        "CONSTANTS",
        "VARIABLES",
        "VARIABLES", // declarations
        "ASSUME",
        "ASSUME",
        "ASSUME", // assumptions
        "DEF",
        "DEF",
        "DEF",
        "DEF",
        "DEF",
        "DEF",
        "DEF",
        "DEF", // definitions
        "RECURSIVE",
        "DEF",
        "DEF", // recursion
        "DEF",
        "DEF",
        "INSTANCE",
        "INSTANCE", // instances
        "USE/HIDE",
        "USE/HIDE", // use/hide
        "THEOREM",
        "THEOREM",
        "THEOREM",
        "THEOREM", // theorems
        "MODULE",
        "DEF", // nested module and the definition after it
    ];
    assert_eq!(kinds, expected);
}

#[test]
fn declarations_with_operator_constants() {
    let m = parse_fixture("units.tla");
    let consts: Vec<(&str, usize)> = decls(&m, constants)
        .iter()
        .map(|d| (d.name.name.as_str(), d.arity))
        .collect();
    assert_eq!(
        consts,
        [
            ("N", 0),
            ("Acceptor", 0),
            ("C", 2),
            ("\\prec", 2),
            ("Value", 0)
        ]
    );
    let vars: Vec<&str> = decls(&m, variables)
        .iter()
        .map(|d| d.name.name.as_str())
        .collect();
    assert_eq!(vars, ["x", "y", "z"]);
    let Some(Unit::Recursive(rec)) = m.units.iter().find(|u| matches!(u, Unit::Recursive(_)))
    else {
        panic!("no RECURSIVE");
    };
    let rec: Vec<(&str, usize)> = rec
        .iter()
        .map(|d| (d.name.name.as_str(), d.arity))
        .collect();
    assert_eq!(rec, [("Sum", 1), ("Len", 1)]);
}

#[test]
fn assumptions_named_and_unnamed() {
    let m = parse_fixture("units.tla");
    let assumes: Vec<(Option<&str>, String)> = m
        .units
        .iter()
        .filter_map(|u| match u {
            Unit::Assume(a) => Some((a.name.as_ref().map(|n| n.name.as_str()), sexp(&a.body))),
            _ => None,
        })
        .collect();
    assert_eq!(
        assumes,
        [
            (None, "(In N Nat)".to_string()),
            (Some("BQA"), "(Neq Acceptor {})".to_string()),
            (Some("Ax"), "TRUE".to_string()),
        ]
    );
}

#[test]
fn operator_definitions_including_user_operators() {
    let m = parse_fixture("units.tla");
    let op = definition(&m, "Op");
    let DefKind::Operator { params, body } = &op.kind else {
        panic!("Op is an operator");
    };
    let params: Vec<(&str, usize)> = params
        .iter()
        .map(|p| (p.name.name.as_str(), p.arity))
        .collect();
    assert_eq!(params, [("a", 0), ("F", 1)]);
    assert_eq!(sexp(body), "F(a)");
    assert!(!op.local);
    assert!(definition(&m, "Helper").local);

    // User-defined infix, prefix and postfix operators are named by their
    // canonical symbol, with the operands as parameters.
    for (name, arity) in [("\\succ", 2), ("++", 2), ("-.", 1), ("^+", 1)] {
        let DefKind::Operator { params, .. } = &definition(&m, name).kind else {
            panic!("{name} is an operator");
        };
        assert_eq!(params.len(), arity, "arity of {name}");
    }
    let DefKind::Operator { body, .. } = &definition(&m, "Nat2").kind else {
        panic!("Nat2");
    };
    assert_eq!(sexp(body), "Nat");
}

#[test]
fn function_definitions() {
    let m = parse_fixture("units.tla");
    let DefKind::Function { bounds, body } = &definition(&m, "fact").kind else {
        panic!("fact is a function");
    };
    assert_eq!(bounds.len(), 1);
    assert_eq!(
        sexp(body),
        "(if (Eq n 0) 1 (Times n (apply fact (Minus n 1))))"
    );
    let DefKind::Function { bounds, .. } = &definition(&m, "g").kind else {
        panic!("g is a function");
    };
    let bounds: Vec<String> = bounds.iter().map(syntax_support::bound).collect();
    assert_eq!(bounds, ["i \\in (Range 1 N)", "j \\in Nat"]);
}

#[test]
fn instances_named_parameterised_and_unnamed() {
    let m = parse_fixture("units.tla");
    let DefKind::Instance { params, instance } = &definition(&m, "I").kind else {
        panic!("I is an instance");
    };
    assert!(params.is_empty());
    assert_eq!(instance.module.name, "Inner");
    let subs: Vec<(&str, String)> = instance
        .substitutions
        .iter()
        .map(|(n, e)| (n.name.as_str(), sexp(e)))
        .collect();
    assert_eq!(
        subs,
        [("p", "(Plus x 1)".to_string()), ("q", "y".to_string())]
    );

    let DefKind::Instance { params, .. } = &definition(&m, "J").kind else {
        panic!("J is an instance");
    };
    assert_eq!(params.len(), 1);

    let unnamed: Vec<(&str, bool, usize)> = m
        .units
        .iter()
        .filter_map(|u| match u {
            Unit::Instance(i) => Some((i.module.name.as_str(), i.local, i.substitutions.len())),
            _ => None,
        })
        .collect();
    assert_eq!(unnamed, [("Inner", false, 2), ("TLC", true, 0)]);
}

#[test]
fn module_level_use_hide_and_theorems() {
    let m = parse_fixture("units.tla");
    let uses: Vec<(bool, usize, Vec<String>)> = m
        .units
        .iter()
        .filter_map(|u| match u {
            Unit::UseHide(uh) => {
                Some((uh.hide, uh.facts.len(), uh.defs.iter().map(path).collect()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        uses,
        [
            (false, 0, vec!["Op".to_string()]),
            (true, 1, vec!["Helper".to_string()])
        ]
    );

    let theorems: Vec<(TheoremKind, Option<&str>, bool)> = m
        .units
        .iter()
        .filter_map(|u| match u {
            Unit::Theorem(t) => Some((
                t.kind,
                t.name.as_ref().map(|n| n.name.as_str()),
                t.proof.is_some(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        theorems,
        [
            (TheoremKind::Theorem, Some("Safe"), false),
            (TheoremKind::Lemma, None, true),
            (TheoremKind::Proposition, Some("Prop"), false),
            (TheoremKind::Corollary, None, false),
        ]
    );
    let Some(Unit::Theorem(t)) = m.units.iter().find(|u| matches!(u, Unit::Theorem(_))) else {
        panic!("no theorem");
    };
    assert!(matches!(&t.statement, Statement::Expr(e) if sexp(e) == "(In x Nat)"));
}

#[test]
fn nested_module() {
    let m = parse_fixture("units.tla");
    let Some(Unit::Submodule(sub)) = m.units.iter().find(|u| matches!(u, Unit::Submodule(_)))
    else {
        panic!("no nested module");
    };
    assert_eq!(sub.name.name, "Nested");
    assert_eq!(sub.units.len(), 2);
    // Units after the nested module still belong to the outer one.
    assert!(matches!(m.units.last(), Some(Unit::Definition(d)) if d.name.name == "Last"));
}

#[test]
fn spans_are_byte_offsets_into_the_file() {
    let text = read_fixture("units.tla");
    let m = parse_fixture("units.tla");
    let snippet = |s: tlasmt::source::Span| &text[s.start as usize..s.end as usize];
    assert_eq!(snippet(m.name.span), "Units");
    assert!(snippet(m.span).starts_with("----"));
    assert!(snippet(m.span).ends_with("===="));
    let fact = definition(&m, "fact");
    assert!(snippet(fact.span).starts_with("fact[n \\in Nat] =="));
}

#[test]
fn apalache_type_annotations_attach_to_the_following_declaration() {
    let m = parse_fixture("annotations.tla");
    let text = read_fixture("annotations.tla");
    let mut all = decls(&m, constants);
    all.extend(decls(&m, variables));
    let found: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|d| {
            let annotation = d.type_annotation.as_ref().map(|(t, span)| {
                // The span covers exactly the type text in the source.
                assert_eq!(&text[span.start as usize..span.end as usize], t);
                t.as_str()
            });
            (d.name.name.as_str(), annotation)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Acceptor", Some("Set(ACC)")),
            ("FakeAcceptor", Some("Set(ACC)")),
            ("Plain", None),
            ("N", Some("Int")),
            ("Ballot", Some("Set(BALLOT)")),
            ("Value", Some("Set(VALUE)")),
            ("Less", Some("(Int, Int) => Bool")),
            ("Unannotated", None),
            ("maxBal", Some("ACC -> Int")),
            ("votes", Some("ACC -> Set([bal: Int, val: VALUE])")),
            ("unannotated", None),
            ("afterDefinition", None),
        ]
    );
}
