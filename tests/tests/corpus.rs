//! The corpora of specs written by others: `tests/corpus/` (OpenAPI 3.0)
//! and `tests/corpus-versions/` (Swagger 2.0, OpenAPI 3.1 and 3.2, a spec
//! of several files), unmodified copies of `../shared/specs-corpus/` and
//! `../shared/specs-corpus-versions/`, so that `cargo xtask corpus DIR`
//! (run by CI) runs on any clone. The copies must stay the published
//! bytes; what a spec needs lives in `corpus.toml` and overlays.

use std::collections::BTreeSet;
use std::path::Path;

use masstack_spec_tests::root;

/// Files of a corpus that are ours, not copies.
const OURS: [&str; 1] = ["corpus.toml"];

/// Every file under `dir`, as paths relative to it (a folder spec's files
/// included).
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                files.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files
}

/// The specs of a corpus: its documents and folders, not README or ours.
fn specs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md" && !OURS.contains(&n.as_str()))
        .collect()
}

fn copies_are_published(copies: &str, published: &str) {
    let copies = root().join(copies);
    let mine = listing(&copies);
    for ours in OURS {
        assert!(
            mine.contains(ours),
            "{}/{ours} is missing",
            copies.display()
        );
    }
    // The README's table names every spec of the corpus.
    let readme = std::fs::read_to_string(copies.join("README.md")).unwrap();
    let specs = specs(&copies);
    for spec in &specs {
        let named = readme.contains(spec.as_str())
            || (spec.starts_with("prog-") && readme.contains("prog-*.json"))
            || readme.contains(&format!("{spec}/"));
        assert!(
            named,
            "{spec} is not in {}'s README table",
            copies.display()
        );
    }

    let published = root().join(published);
    if !published.exists() {
        masstack_testkit::skipped(
            &format!("the comparison with {}", published.display()),
            &format!(
                "it is absent (a clone without ../shared): checked the {} copies in {} only",
                specs.len(),
                copies.display()
            ),
            "MASSTACK_REQUIRE_SHARED",
        );
        return;
    }
    let theirs = listing(&published);
    let copied: BTreeSet<String> = mine
        .into_iter()
        .filter(|n| !OURS.contains(&n.as_str()))
        .collect();
    assert_eq!(
        copied,
        theirs,
        "{} holds exactly the published files (besides {OURS:?})",
        copies.display()
    );
    for name in &theirs {
        assert_eq!(
            std::fs::read(copies.join(name)).unwrap(),
            std::fs::read(published.join(name)).unwrap(),
            "{name} differs from {}: copy it again, never edit it",
            published.join(name).display()
        );
    }
    println!(
        "compared {} with {}: {} files identical",
        copies.display(),
        published.display(),
        theirs.len()
    );
}

#[test]
fn the_corpus_copies_are_the_published_specs() {
    copies_are_published("tests/corpus", "../shared/specs-corpus");
}

#[test]
fn the_versions_corpus_copies_are_the_published_specs() {
    copies_are_published("tests/corpus-versions", "../shared/specs-corpus-versions");
}
