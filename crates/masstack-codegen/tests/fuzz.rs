//! A short, seeded fuzz run (`cargo xtask fuzz` is the long one, with
//! compilation): mutants of small specs either generate or are refused with
//! problems; no panic escapes and no internal error (a generator bug).

#[path = "../../../xtask/src/fuzz/mutate.rs"]
#[allow(dead_code)]
mod mutate;

use std::path::Path;

use masstack_codegen::manifest::{ClientSettings, Manifest, Output};
use mutate::{Rng, Verdict, judge, mutant};

const SPECS: &[&str] = &[
    "tests/corpus/oai-petstore.yaml",
    "tests/corpus/oai-link-example.yaml",
    "tests/corpus/prog-param-collision.json",
    "tests/fixtures/loosen/untypable.yaml",
];
const SEED: u64 = 19;
const MUTANTS: usize = 200;

fn output(spec: &str) -> Output {
    Output {
        name: "fuzz".into(),
        spec: spec.into(),
        crate_dir: "crates/fuzz".into(),
        client: ClientSettings {
            runtime: Some("masstack_client_runtime".into()),
            ..ClientSettings::default()
        },
        extras: Vec::new(),
        lint: Default::default(),
        fixes: Default::default(),
        cli_name: None,
        strict: false,
        features: Default::default(),
    }
}

#[test]
fn mutants_generate_or_are_refused_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let manifest = Manifest {
        command: "fuzz".into(),
        outputs: Vec::new(),
        cli: None,
    };
    let bases: Vec<(&str, serde_json::Value)> = SPECS
        .iter()
        .map(|s| {
            let spec = masstack_codegen::load::load(&root, s).unwrap_or_else(|e| panic!("{e}"));
            (*s, spec.json)
        })
        .collect();
    let mut rng = Rng::new(SEED);
    let (mut generated, mut rejected, mut bugs) = (0, 0, Vec::new());
    for i in 0..MUTANTS {
        let (name, base) = rng.pick(&bases);
        let (doc, mutations) = mutant(base, &mut rng);
        let file = format!("{name}.json");
        match judge(&root, &file, &doc, &manifest, &output(&file)) {
            Verdict::Generated(_) => generated += 1,
            Verdict::Rejected { .. } => rejected += 1,
            bug @ (Verdict::Internal(_) | Verdict::Panicked(_)) => {
                let why = match bug {
                    Verdict::Internal(m) | Verdict::Panicked(m) => m,
                    _ => unreachable!(),
                };
                bugs.push(format!(
                    "mutant {i} of {name} (seed {SEED}): {mutations:?}: {why}"
                ));
            }
        }
    }
    assert!(bugs.is_empty(), "{}", bugs.join("\n"));
    // The run means something only if both fates occur.
    assert!(
        generated > 0 && rejected > 0,
        "{generated} generated, {rejected} rejected"
    );
}
