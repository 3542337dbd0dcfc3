//! The corpus of specs written by others (`tests/corpus/`): unmodified
//! copies of `../shared/specs-corpus/`, so that `cargo xtask corpus
//! tests/corpus` (run by CI) runs on any clone. The copies must stay the
//! published bytes; what a spec needs lives in `corpus.toml` and overlays.

use std::collections::BTreeSet;
use std::path::Path;

use masstack_spec_tests::root;

/// Files of the corpus that are ours, not copies.
const OURS: [&str; 1] = ["corpus.toml"];

fn listing(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn the_corpus_copies_are_the_published_specs() {
    let copies = root().join("tests/corpus");
    let mine = listing(&copies);
    for ours in OURS {
        assert!(mine.contains(ours), "tests/corpus/{ours} is missing");
    }
    let specs: BTreeSet<&String> = mine
        .iter()
        .filter(|n| !OURS.contains(&n.as_str()))
        .collect();
    // The README's table names every spec of the corpus.
    let readme = std::fs::read_to_string(copies.join("README.md")).unwrap();
    let in_table = specs
        .iter()
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .filter(|n| {
            readme.contains(n.as_str())
                || (n.starts_with("prog-") && readme.contains("prog-*.json"))
        })
        .count();
    assert_eq!(
        in_table,
        specs.len() - 1,
        "every spec (not README.md) is in the README's table"
    );

    let published = root().join("../shared/specs-corpus");
    if !published.exists() {
        masstack_testkit::skipped(
            &format!("the comparison with {}", published.display()),
            &format!(
                "it is absent (a clone without ../shared): checked the {} copies in tests/corpus/ only",
                specs.len()
            ),
            "MASSTACK_REQUIRE_SHARED",
        );
        return;
    }
    let theirs = listing(&published);
    let specs: BTreeSet<String> = specs.into_iter().cloned().collect();
    assert_eq!(
        specs, theirs,
        "tests/corpus/ holds exactly the published files (besides {OURS:?})"
    );
    for name in &theirs {
        assert_eq!(
            std::fs::read(copies.join(name)).unwrap(),
            std::fs::read(published.join(name)).unwrap(),
            "tests/corpus/{name} differs from ../shared/specs-corpus/{name}: copy it again, never edit it"
        );
    }
    println!(
        "compared tests/corpus/ with {}: {} files identical",
        published.display(),
        theirs.len()
    );
}
