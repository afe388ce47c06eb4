//! Sets, membership, functions, records, tuples, recursive functions.

use super::*;

#[test]
fn set_constructions() {
    let prog = analyze(&module(
        r#"
Filter == {i \in 1..5 : i % 2 = 0}
FilterUnspec == {i \in 1..2 : <<TRUE>>[i]}
Map == {i * i : i \in -1..1}
MapMulti == {<<i, j>> : i \in 1..2, j \in {"a"}}
Sub == SUBSET {1, 2}
Uni == UNION {{1}, {2, 3}}
UniNonSet == UNION {{1}, 2}
Ops == ({1, 2} \cup {3}) \ ({1} \cap {1, 2})
CapNat == {-1, 0, 1} \cap Nat
NatCap == Nat \cap {-1, 0, 1}
MinusNat == {-1, 0, 1} \ Nat
CupNat == {1} \cup Nat
Subseteq == {1} \subseteq {1, 2} /\ ~({3} \subseteq {1})
SubNat == {1, 2} \subseteq Nat
NatSubFinite == Nat \subseteq {1, 2}
FnSetEnum == [{1, 2} -> {TRUE}]
FnSetEmpty == [{} -> {1}]
FnSetToEmpty == [{1} -> {}]
RecSet == [a : {1, 2}, b : {"x"}]
Prod == {1} \X {2, 3}
Card == Cardinality({1, 2}) = 2
CardMap == Cardinality({i % 2 : i \in 1..10})
CardNat == Cardinality(Nat)
CardNonSet == Cardinality(3)
Fin == IsFiniteSet({1, 2, 3}) /\ ~IsFiniteSet(Nat)
FinPower == IsFiniteSet(SUBSET Nat)
FinFnSet == IsFiniteSet([{1} -> Nat])
FinFnSetEmptyDom == IsFiniteSet([{} -> Nat])
FinRecSet == IsFiniteSet([a : Int, b : {}])
BigSubset == SUBSET (1..30)
Bools == BOOLEAN
EnumNat == {i \in Nat : i < 3}
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("Filter", "{2, 4}"),
            ("FilterUnspec", "UNSPECIFIED"),
            ("Map", "{0, 1}"),
            ("MapMulti", "{<<1, \"a\">>, <<2, \"a\">>}"),
            ("Sub", "{{}, {1}, {1, 2}, {2}}"),
            ("Uni", "{1, 2, 3}"),
            ("UniNonSet", "UNSPECIFIED"),
            ("Ops", "{2, 3}"),
            ("CapNat", "{0, 1}"),
            ("NatCap", "{0, 1}"),
            ("MinusNat", "{-1}"),
            ("CupNat", "UNSUPPORTED"),
            ("Subseteq", "TRUE"),
            ("SubNat", "TRUE"),
            ("NatSubFinite", "FALSE"),
            ("FnSetEnum", "{<<TRUE, TRUE>>}"),
            ("FnSetEmpty", "{<<>>}"),
            ("FnSetToEmpty", "{}"),
            ("RecSet", "{[a |-> 1, b |-> \"x\"], [a |-> 2, b |-> \"x\"]}"),
            ("Prod", "{<<1, 2>>, <<1, 3>>}"),
            ("Card", "TRUE"),
            ("CardMap", "2"),
            ("CardNat", "UNSPECIFIED"),
            ("CardNonSet", "UNSPECIFIED"),
            ("Fin", "TRUE"),
            ("FinPower", "FALSE"),
            ("FinFnSet", "FALSE"),
            ("FinFnSetEmptyDom", "UNSUPPORTED"),
            ("FinRecSet", "UNSUPPORTED"),
            ("BigSubset", "UNSUPPORTED"),
            ("Bools", "{FALSE, TRUE}"),
            ("EnumNat", "UNSUPPORTED"),
        ],
    );
}

#[test]
fn membership_needs_no_enumeration() {
    let prog = analyze(&module(
        r#"
InNat == 3 \in Nat /\ -1 \notin Nat /\ -1 \in Int /\ "a" \notin Int
InStr == "a" \in STRING /\ 1 \notin STRING /\ "" \in STRING
InBool == TRUE \in BOOLEAN /\ 1 \notin BOOLEAN
InFnSet == [i \in 1..2 |-> i] \in [1..2 -> Nat]
InFnSetNo == [i \in 1..2 |-> -i] \in [1..2 -> Nat]
InFnSetInfDom == <<1>> \in [Nat -> Nat]
InFnSetNonFun == 3 \in [Nat -> Nat]
InFnSetStr == "ab" \in [1..2 -> STRING]
InSubsetNat == {1, 2} \in SUBSET Nat /\ 3 \notin SUBSET Nat
InSubsetSubset == {{1}} \in SUBSET SUBSET Nat
InRecSet == [a |-> 1, b |-> "x"] \in [a : Nat, b : STRING]
InRecSetMissing == [a |-> 1] \in [a : Nat, b : STRING]
InProd == <<1, "a">> \in Nat \X STRING
InProdLen == <<1>> \in Nat \X Nat
InFilterInf == 4 \in {i \in Nat : i % 2 = 0} /\ 3 \notin {i \in Nat : i % 2 = 0}
InUnionInf == -3 \in Nat \cup {-3}
InMinusInf == 3 \in Int \ {3}
InNonSet == 1 \in 3
InRange == 5 \in 1..1000000000
InDomainLit == 7 \in DOMAIN [i \in Nat |-> i]
InEnumUnspec == 1 \in {1, <<1>>[2]}
InEnumUnspecNo == 3 \in {1, <<1>>[2]}
InUnion == 2 \in UNION {{1}, {2}}
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("InNat", "TRUE"),
            ("InStr", "TRUE"),
            ("InBool", "TRUE"),
            ("InFnSet", "TRUE"),
            ("InFnSetNo", "FALSE"),
            ("InFnSetInfDom", "FALSE"),
            ("InFnSetNonFun", "FALSE"),
            ("InFnSetStr", "FALSE"),
            ("InSubsetNat", "TRUE"),
            ("InSubsetSubset", "TRUE"),
            ("InRecSet", "TRUE"),
            ("InRecSetMissing", "FALSE"),
            ("InProd", "TRUE"),
            ("InProdLen", "FALSE"),
            ("InFilterInf", "TRUE"),
            ("InUnionInf", "TRUE"),
            ("InMinusInf", "FALSE"),
            ("InNonSet", "UNSPECIFIED"),
            ("InRange", "TRUE"),
            ("InDomainLit", "TRUE"),
            ("InEnumUnspec", "TRUE"),
            ("InEnumUnspecNo", "UNSPECIFIED"),
            ("InUnion", "TRUE"),
        ],
    );
}

#[test]
fn functions_records_tuples() {
    let prog = analyze(&module(
        r#"
FnApp == [i \in Nat |-> i * 2][21]
FnAppOut == [i \in 1..2 |-> i][3]
FnLitWhole == [i \in 1..3 |-> i * i]
FnLitNat == [i \in Nat |-> i]
FnMulti == [i \in 1..2, j \in 1..2 |-> i * 10 + j][2, 1]
FnMultiTuple == [i \in 1..2, j \in 1..2 |-> i * 10 + j][<<1, 2>>]
FnMultiDom == DOMAIN [i \in 1..2, j \in {0} |-> i]
TupleApp == <<5, 6>>[2]
FieldOk == [a |-> 1, b |-> 2].b
FieldMissing == [a |-> 1].c
FieldNonFun == (3).c
ApplyNonFun == 3[1]
DomNonFun == DOMAIN 3
DomLit == DOMAIN [i \in {3, 4} |-> i]
Except1 == [[a |-> 1, b |-> 2] EXCEPT !.a = @ + 10]
ExceptNested == [[i \in 1..2 |-> [a |-> i]] EXCEPT ![2].a = @ * 5]
ExceptOutside == [<<1, 2>> EXCEPT ![5] = 0] = <<1, 2>>
ExceptMulti == [<<1, 2, 3>> EXCEPT ![1] = 0, ![3] = @ + 1]
ExceptTwoArgs == [[i \in 1..2, j \in 1..2 |-> 0] EXCEPT ![1, 2] = 7][1, 2]
ExceptNonFun == [3 EXCEPT ![1] = 0]
ExceptInnerNonFun == [<<3>> EXCEPT ![1].a = 0]
StrDom == DOMAIN "abc"
StrChar == "abc"[1]
FnOnInts == [i \in {2, 3} |-> i]
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("FnApp", "42"),
            ("FnAppOut", "UNSPECIFIED"),
            ("FnLitWhole", "<<1, 4, 9>>"),
            ("FnLitNat", "UNSUPPORTED"),
            ("FnMulti", "21"),
            ("FnMultiTuple", "12"),
            ("FnMultiDom", "{<<1, 0>>, <<2, 0>>}"),
            ("TupleApp", "6"),
            ("FieldOk", "2"),
            ("FieldMissing", "UNSPECIFIED"),
            ("FieldNonFun", "UNSPECIFIED"),
            ("ApplyNonFun", "UNSPECIFIED"),
            ("DomNonFun", "UNSPECIFIED"),
            ("DomLit", "{3, 4}"),
            ("Except1", "[a |-> 11, b |-> 2]"),
            ("ExceptNested", "<<[a |-> 1], [a |-> 10]>>"),
            ("ExceptOutside", "TRUE"),
            ("ExceptMulti", "<<0, 2, 4>>"),
            ("ExceptTwoArgs", "7"),
            ("ExceptNonFun", "UNSPECIFIED"),
            ("ExceptInnerNonFun", "UNSPECIFIED"),
            ("StrDom", "{1, 2, 3}"),
            ("StrChar", "UNSUPPORTED"),
            ("FnOnInts", "(2 :> 2 @@ 3 :> 3)"),
        ],
    );
}

#[test]
fn recursive_functions() {
    let prog = analyze(&module(
        r#"
fact[n \in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1]
Fact5 == fact[5]
FactNeg == fact[-1]
FactWhole == fact
fib[n \in 0..90] == IF n < 2 THEN n ELSE fib[n - 1] + fib[n - 2]
Fib90 == fib[90]
small[n \in 0..3] == IF n = 0 THEN 1 ELSE n * small[n - 1]
SmallWhole == small
bad[n \in Nat] == bad[n + 1]
Bad == bad[0]
InDom == 4 \in DOMAIN fact
"#,
    ));
    check(
        &prog,
        &Model::default(),
        &[
            ("Fact5", "120"),
            ("FactNeg", "UNSPECIFIED"),
            ("FactWhole", "UNSUPPORTED"),
            ("Fib90", "2880067194370816120"),
            ("SmallWhole", "(0 :> 1 @@ 1 :> 1 @@ 2 :> 2 @@ 3 :> 6)"),
            ("Bad", "UNSUPPORTED"),
            ("InDom", "TRUE"),
        ],
    );
}
