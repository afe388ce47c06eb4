//! Which tries an obligation gets, and running them on the worker pool
//! without barriers: an obligation's next try starts as soon as its
//! previous one ends inconclusive, while other obligations are still on
//! their first.
//!
//! Neither encoding of Boolean definitions dominates. Measured:
//! KnowsSafeAtDef (two unfoldings of one definition) proves only with
//! definitions inlined, in 0.04 s, after 10 s in vain with symbols; most
//! action steps prove only with symbols, some after 7 s. So every
//! obligation gets symbols on a fifth of the budget (nearly all end
//! there), then definitions inlined on a fifth, then symbols on the whole
//! budget (default engine only), then inlined on half. (Running the last
//! two at once measured slower: the inlined tries of --auto steps that
//! prove with symbols after 5-7 s took a core each for nothing.) A model
//! is a counterexample in either encoding, so proved or failed at any try
//! ends an obligation.

use super::pool::Pool;
use super::{Limits, SolveResult};
use crate::encode::Script;
use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

/// The number of tries in the plan (see [`plan`]).
pub const TRIES: usize = 4;

/// One try at an obligation: which encoding, on which share of the budget.
#[derive(Clone, Copy, Debug)]
pub struct Try {
    /// Definitions inlined (else Boolean definitions as symbols).
    pub inline: bool,
    /// Share of the obligation's timeout.
    pub share: f64,
    /// Run Z3's engines in short slices first (see `solve::check`), or the
    /// default engine alone.
    pub slices: bool,
}

/// How an obligation's earlier tries ended, as far as the plan cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoFar {
    /// No try yet.
    Nothing,
    /// Timeout, unknown, or the solver process died without a result.
    Inconclusive,
    /// A model that the evaluator did not confirm.
    Unconfirmed,
    /// Proved, failed, or nothing more to try.
    Decided,
}

/// Try number `k` of an obligation whose encoding starts with definitions
/// as symbols (`symbols`) or has them inlined already, if it gets one.
pub fn plan(k: usize, symbols: bool, so_far: SoFar) -> Option<Try> {
    let open = match so_far {
        SoFar::Nothing | SoFar::Inconclusive => true,
        // A model that is not confirmed gets one more chance, from the
        // other encoding of definitions; more time or another engine
        // would find a model of the same script again.
        SoFar::Unconfirmed => k == 1,
        SoFar::Decided => false,
    };
    if !open || (k > 0 && so_far == SoFar::Nothing) {
        return None;
    }
    let at = |inline, share, slices| {
        Some(Try {
            inline,
            share,
            slices,
        })
    };
    match k {
        0 => at(!symbols, 0.2, true),
        1 if symbols => at(true, 0.2, true),
        // The other engines had their slices; the default one gets the
        // whole budget (measured: some --auto steps need 7 s of it).
        2 => at(!symbols, 1.0, false),
        3 if symbols => at(true, 0.5, true),
        _ => None,
    }
}

/// What `run` needs from its caller: obligations `0..count()`, each
/// solved by a sequence of tries.
pub trait Tries {
    fn count(&self) -> usize;
    /// Obligation `i`'s next try (its number and script), encoded, or
    /// `None` when it has none left. May be called while an earlier try of
    /// `i` is still running (a speculative try on an idle core).
    fn next_try(&mut self, i: usize) -> Option<(usize, &Script, Limits)>;
    /// The result of try `k` of obligation `i`; whether that decides the
    /// obligation (its other running tries are then stopped).
    fn record(&mut self, i: usize, k: usize, result: SolveResult) -> bool;
}

/// Run every obligation's tries, at most `jobs` at a time. Obligations
/// are encoded only when a worker is free for them, so encoding overlaps
/// solving; a follow-up try goes before obligations not yet started (the
/// slow ones start early instead of all at the end); and a worker that
/// would be idle runs the next try of the obligation that has been
/// running longest, alongside its current one (so the last hard
/// obligation does not run its tries one after another on one core).
pub fn run(tries: &mut impl Tries, jobs: usize) {
    let mut pool = Pool::new(jobs);
    let mut queue: VecDeque<usize> = (0..tries.count()).collect();
    // Submitted tries: tag -> (obligation, try number, started).
    let mut flying: BTreeMap<usize, (usize, usize, Instant)> = BTreeMap::new();
    // Obligations with no further try for now (decided, or waiting for
    // their running tries' results).
    let mut resting = vec![false; tries.count()];
    let mut tags = 0;
    loop {
        while pool.has_room() {
            let next = queue.pop_front().or_else(|| {
                flying
                    .values()
                    .filter(|f| !resting[f.0])
                    .min_by_key(|f| f.2)
                    .map(|f| f.0)
            });
            let Some(i) = next else { break };
            match tries.next_try(i) {
                Some((k, script, limits)) => {
                    pool.submit(tags, script, limits);
                    flying.insert(tags, (i, k, Instant::now()));
                    tags += 1;
                }
                None => resting[i] = true,
            }
        }
        if !pool.busy() {
            return;
        }
        for (tag, r) in pool.wait() {
            let Some((i, k, _)) = flying.remove(&tag) else {
                continue;
            };
            if tries.record(i, k, r) {
                resting[i] = true;
                let others: Vec<usize> = flying
                    .iter()
                    .filter(|(_, f)| f.0 == i)
                    .map(|(t, _)| *t)
                    .collect();
                for t in others {
                    pool.cancel(t);
                    flying.remove(&t);
                }
            } else {
                resting[i] = false;
                if !flying.values().any(|f| f.0 == i) {
                    queue.push_front(i);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_try_always_runs_and_later_ones_only_after_an_inconclusive_one() {
        assert!(plan(0, true, SoFar::Nothing).is_some());
        assert!(plan(1, true, SoFar::Nothing).is_none());
        assert!(plan(1, true, SoFar::Decided).is_none());
        let inlined = plan(1, true, SoFar::Inconclusive).expect("a second try");
        assert!(inlined.inline);
        // Built inlined already: no second encoding to try.
        assert!(plan(1, false, SoFar::Inconclusive).is_none());
        assert!(plan(2, false, SoFar::Inconclusive).is_some());
    }

    #[test]
    fn an_unconfirmed_model_gets_only_the_other_encoding() {
        assert!(plan(1, true, SoFar::Unconfirmed).is_some());
        assert!(plan(2, true, SoFar::Unconfirmed).is_none());
        assert!(plan(3, true, SoFar::Unconfirmed).is_none());
    }
}
