//! The solver worker pool and the try schedule (`solve::pool`,
//! `solve::schedule`): every obligation gets its own result, in order,
//! whatever order the workers finish in; an obligation no try decides does
//! not hold up or change the others; a worker killed at its deadline is
//! replaced.

mod prove_support;

use std::time::Duration;
use tlasmt::driver::{Report, Status};

fn prove(name: &str, body: &str, timeout: Duration, jobs: usize) -> Report {
    prove_support::prove_body("schedule", name, body, timeout, jobs)
        .unwrap_or_else(|e| panic!("rejected: {e}"))
}

fn statuses(report: &Report) -> Vec<(String, &Status)> {
    report
        .theorems
        .iter()
        .map(|t| {
            assert_eq!(t.results.len(), 1, "{}", report.to_text());
            (t.name.clone(), &t.results[0].status)
        })
        .collect()
}

/// Valid and invalid theorems interleaved, more of them than workers:
/// each result lands on its own theorem.
#[test]
fn results_land_on_their_own_obligations() {
    let mut body = String::from("EXTENDS Naturals\n");
    for i in 0..12usize {
        if i.is_multiple_of(3) {
            body.push_str(&format!(
                "THEOREM T{i} == ASSUME NEW n \\in Nat PROVE n + {i} # {} OBVIOUS\n",
                i + 5
            ));
        } else {
            body.push_str(&format!(
                "THEOREM T{i} == \\A n \\in Nat : n + {i} >= {i} OBVIOUS\n"
            ));
        }
    }
    for jobs in [1, 2, 3] {
        let report = prove("Interleaved", &body, Duration::from_secs(5), jobs);
        for (name, status) in statuses(&report) {
            let i: usize = name[1..].parse().unwrap();
            if i.is_multiple_of(3) {
                assert!(
                    matches!(status, Status::Failed(_)),
                    "{name} with {jobs} jobs: {status:?}"
                );
            } else {
                assert!(status.is_proved(), "{name} with {jobs} jobs: {status:?}");
            }
        }
    }
}

/// An obligation that no try decides within its budget ends unproved
/// (its tries may overlap on idle workers) and the others are unaffected.
#[test]
fn an_undecided_obligation_stays_unproved_and_alone() {
    let body = "EXTENDS Naturals\n\
        THEOREM Easy1 == \\A n \\in Nat : n + 1 > n OBVIOUS\n\
        THEOREM Hard == \\A x, y, z \\in Nat \\ {0} : x * x * x + y * y * y # z * z * z OBVIOUS\n\
        THEOREM Easy2 == \\A n \\in Nat : n * 0 = 0 OBVIOUS\n\
        THEOREM Easy3 == \\A n \\in Nat : n \\in Nat OBVIOUS\n";
    let report = prove("Undecided", body, Duration::from_millis(600), 2);
    for (name, status) in statuses(&report) {
        if name == "Hard" {
            assert!(
                matches!(status, Status::Timeout | Status::Unknown(_)),
                "{name}: {status:?}"
            );
        } else {
            assert!(status.is_proved(), "{name}: {status:?}");
        }
    }
}
