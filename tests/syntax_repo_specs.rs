//! The repository's own specifications (encodings/, proofs/) must parse and
//! lower without diagnostics.

mod syntax_support;

use std::path::{Path, PathBuf};

use syntax_support::parse_ok;
use tlasmt::syntax::ast::{Module, Proof, Step, StepKind, Unit};

fn tla_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tla"))
        .collect();
    files.sort();
    files
}

fn parse_file(path: &Path) -> Module {
    let text = std::fs::read_to_string(path).expect("readable spec");
    parse_ok(&path.display().to_string(), &text)
}

#[test]
fn every_repository_spec_lowers_without_diagnostics() {
    let files: Vec<PathBuf> = ["encodings", "proofs"]
        .iter()
        .flat_map(|d| tla_files(d))
        .collect();
    for path in &files {
        let module = parse_file(path);
        // The module name matches the file name, as TLA+ tools require.
        assert_eq!(
            Some(module.name.name.as_str()),
            path.file_stem().and_then(|s| s.to_str()),
            "{}",
            path.display()
        );
    }
    println!("{} repository specs lowered", files.len());
}

/// Every `@type:` comment in the specs annotates a CONSTANT or VARIABLE, so
/// each one must end up attached to exactly one declaration.
#[test]
fn every_type_annotation_in_the_specs_is_attached() {
    for path in ["encodings", "proofs"].iter().flat_map(|d| tla_files(d)) {
        let text = std::fs::read_to_string(&path).expect("readable spec");
        let written = text.matches("@type:").count();
        let module = parse_file(&path);
        let attached = module
            .units
            .iter()
            .filter_map(|u| match u {
                Unit::Constants(ds) | Unit::Variables(ds) => Some(ds),
                _ => None,
            })
            .flatten()
            .filter(|d| d.type_annotation.is_some())
            .count();
        assert_eq!(attached, written, "{}", path.display());
    }
}

/// Counts of what a module contains, for the sanity check below.
#[derive(Debug, Default)]
struct Counts {
    units: usize,
    theorems: usize,
    definitions: usize,
    steps: usize,
    sequences: usize,
    qed_steps: usize,
    define_steps: usize,
    max_level: u32,
}

impl Counts {
    fn of(module: &Module) -> Self {
        let mut c = Counts {
            units: module.units.len(),
            ..Counts::default()
        };
        for unit in &module.units {
            match unit {
                Unit::Theorem(t) => {
                    c.theorems += 1;
                    if let Some(p) = &t.proof {
                        c.add_proof(p);
                    }
                }
                Unit::Definition(_) => c.definitions += 1,
                _ => {}
            }
        }
        c
    }

    fn add_proof(&mut self, proof: &Proof) {
        if let Proof::Steps(steps, _) = proof {
            self.sequences += 1;
            assert!(
                matches!(steps.last().map(|s| &s.kind), Some(StepKind::Qed)),
                "a step sequence must end in QED"
            );
            steps.iter().for_each(|s| self.add_step(s));
        }
    }

    fn add_step(&mut self, step: &Step) {
        self.steps += 1;
        self.max_level = self.max_level.max(step.label.level);
        match step.kind {
            StepKind::Qed => self.qed_steps += 1,
            StepKind::Define(_) => self.define_steps += 1,
            _ => {}
        }
        if let Some(p) = &step.proof {
            self.add_proof(p);
        }
    }
}

#[test]
fn bpcon_proof_has_the_expected_size() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs/BPConProof.tla");
    if !path.exists() {
        eprintln!("proofs/BPConProof.tla not present yet; skipping");
        return;
    }
    let counts = Counts::of(&parse_file(&path));
    println!("BPConProof: {counts:?}");
    assert!(counts.units > 40, "{counts:?}");
    assert!(counts.theorems > 20, "{counts:?}");
    assert!(counts.definitions >= 20, "{counts:?}");
    assert!(counts.steps >= 300, "{counts:?}");
    assert!(counts.define_steps >= 10, "{counts:?}");
    assert!(counts.max_level >= 5, "{counts:?}");
    // QED only closes step sequences, and each sequence has exactly one.
    assert_eq!(counts.qed_steps, counts.sequences, "{counts:?}");
}
