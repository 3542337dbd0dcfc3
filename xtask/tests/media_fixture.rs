//! A spec with bodies progenitor does not take as written and an operation
//! without an operationId (`tests/fixtures/media`) generates unchanged, with
//! each adaptation reported and the reqwest feature only it needs. (CI builds
//! it with `cargo xtask corpus tests/fixtures/media`; the compromises
//! fixture's crate, a workspace member, compiles a multipart client and calls
//! it in every `cargo test`.)

mod common;

use common::{fixtures, root, run, xtask};

#[test]
fn the_media_fixture_generates() {
    let work = "target/media-fixture";
    let out = run(&mut xtask(
        &root(),
        &[
            "corpus",
            fixtures().join("media").to_str().unwrap(),
            "--work",
            work,
            "--no-build",
        ],
    ));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "media.yaml: generated (not built)",
        "2 compromise(s): 1 named operation, 1 multipart body",
        "operation GET /pets (#/paths/~1pets/get): has no operationId: named `get_pets`",
        "(`UploadPhotoParts`)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in\n{stdout}"
        );
    }
    let crate_dir = root().join(work).join("ws/crates/media");
    let client = std::fs::read_to_string(crate_dir.join("src/generated/client.rs")).unwrap();
    for expected in [
        "pub fn get_pets(&self)",
        r#"from_static("application/vnd.x+json")"#,
        r#"from_static("image/png")"#,
        r#"from_static("text/plain")"#,
        ".multipart(body.into_form().map_err(Error::InvalidRequest)?)",
        "pub struct UploadPhotoParts",
        "pub fn body(mut self, value: super::multipart::UploadPhotoParts) -> Self",
    ] {
        assert!(
            client.contains(expected),
            "missing `{expected}` in the client"
        );
    }
    assert!(!client.contains("octet-stream"), "{client}");
    let cargo = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(cargo.contains(r#""multipart""#), "{cargo}");
}
