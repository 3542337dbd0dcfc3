//! Bundling the multi-file specs under `tests/fixtures/bundle/`: the real
//! petstore split into files (unmodified), and one small spec per problem,
//! each with the exact messages expected.

use std::path::Path;

use masstack_openapi::bundle::{Bundled, Disk, bundle, find_entry};
use masstack_openapi::load::Document;
use serde_json::{Value, json};

const FIXTURES: &str = "tests/fixtures/bundle";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Bundles `entry` of the fixture folder `folder`.
fn run(folder: &str, entry: &str) -> Result<Bundled, Vec<String>> {
    let sandbox = format!("{FIXTURES}/{folder}");
    let document = Document::read(root(), &format!("{sandbox}/{entry}")).expect("fixture reads");
    bundle(&Disk(root()), &sandbox, document)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

fn errors(folder: &str) -> Vec<String> {
    match run(folder, "spec.yaml") {
        Ok(_) => panic!("{folder} bundled without errors"),
        Err(errors) => errors,
    }
}

/// Every `$ref` in `node` that still names a file (keys of name maps
/// included: none of these fixtures has a property called `$ref` with a
/// string value).
fn file_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                if let (true, Some(r)) = (key == "$ref", value.as_str())
                    && !r.starts_with('#')
                {
                    out.push(r.to_owned());
                }
                file_refs(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| file_refs(i, out)),
        _ => {}
    }
}

#[test]
fn the_separate_petstore_becomes_one_tree() {
    let bundled = run("petstore-separate", "spec/swagger.yaml").expect("bundles");
    let json = &bundled.json;
    let pet = json!({
        "type": "object", "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "name": {"type": "string"},
            "tag": {"type": "string"},
        },
    });
    assert_eq!(json.pointer("/definitions/Pet"), Some(&pet));
    // NewPet.yaml's `Pet.yaml` is the same file: brought in once.
    assert_eq!(
        json.pointer("/definitions/NewPet/allOf/0"),
        Some(&json!({"$ref": "#/definitions/Pet"}))
    );
    assert_eq!(
        json.pointer("/definitions/Error/required"),
        Some(&json!(["code", "message"]))
    );
    assert_eq!(
        json.pointer("/parameters/tagsParam/collectionFormat"),
        Some(&json!("csv"))
    );
    assert_eq!(
        json.pointer("/paths/~1pets/get/parameters"),
        Some(&json!([
            {"$ref": "#/parameters/tagsParam"},
            {"$ref": "#/parameters/limitsParam"},
        ]))
    );
    assert_eq!(
        json.pointer("/paths/~1pets~1{id}/delete/responses/default/schema"),
        Some(&json!({"$ref": "#/definitions/Error"}))
    );
    let names =
        |section: &str| -> Vec<&String> { json[section].as_object().unwrap().keys().collect() };
    assert_eq!(names("definitions"), ["Error", "NewPet", "Pet"]);
    assert_eq!(names("parameters"), ["limitsParam", "tagsParam"]);
    let mut left = Vec::new();
    file_refs(json, &mut left);
    assert_eq!(left, Vec::<String>::new());

    let base = "tests/fixtures/bundle/petstore-separate";
    assert_eq!(
        bundled.moves.trace("#/definitions/Error/properties/code"),
        (
            Some(format!("{base}/common/Error.yaml").as_str()),
            "#/properties/code".to_owned()
        )
    );
    assert_eq!(
        bundled.moves.trace("#/parameters/tagsParam/items"),
        (
            Some(format!("{base}/spec/parameters.yaml").as_str()),
            "#/tagsParam/items".to_owned()
        )
    );
    assert_eq!(
        bundled.moves.trace("#/paths/~1pets/get/operationId"),
        (None, "#/paths/~1pets/get/operationId".to_owned())
    );
    let read: Vec<&String> = bundled.documents.keys().collect();
    assert_eq!(
        read,
        [
            "tests/fixtures/bundle/petstore-separate/common/Error.yaml",
            "tests/fixtures/bundle/petstore-separate/spec/NewPet.yaml",
            "tests/fixtures/bundle/petstore-separate/spec/Pet.yaml",
            "tests/fixtures/bundle/petstore-separate/spec/parameters.yaml",
            "tests/fixtures/bundle/petstore-separate/spec/swagger.yaml",
        ]
    );
}

#[test]
fn a_3_0_spec_gets_components_sections() {
    let bundled = run("oas30", "spec.yaml").expect("bundles");
    let pet = json!({
        "type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "tag": {"$ref": "#/components/schemas/Tag"}},
    });
    let expected = json!({
        "openapi": "3.0.3",
        "info": {"title": "multi-file", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [{"$ref": "#/components/parameters/limit"}],
                    "responses": {"200": {
                        "description": "the pets",
                        "content": {"application/json": {"schema": {
                            "type": "array", "items": {"$ref": "#/components/schemas/Pet"},
                        }}},
                    }},
                },
                "post": {
                    "operationId": "addPet",
                    "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                    "responses": {"201": {"description": "added"}},
                },
            },
            "/pets/{id}": {"get": {
                "operationId": "getPet",
                "parameters": [{"$ref": "#/components/parameters/id"}],
                "responses": {
                    "200": {
                        "description": "the pet",
                        "headers": {"X-Rate-Limit": {"$ref": "#/components/headers/X-Rate-Limit"}},
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Pet"},
                            "examples": {"dog": {"$ref": "#/components/examples/dog"}},
                        }},
                    },
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            }},
        },
        "components": {
            "schemas": {
                // The entry's `Pet: {$ref: schemas/Pet.yaml}` is where the
                // file goes; the entry's own `Error` keeps its name.
                "Pet": pet,
                "Error": {"type": "string"},
                "Error2": {"type": "object", "properties": {"message": {"type": "string"}}},
                "Tag": {"type": "string"},
            },
            "parameters": {
                "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            },
            "headers": {"X-Rate-Limit": {"schema": {"type": "integer"}}},
            "examples": {"dog": {
                "summary": "a dog",
                "value": {"name": "Rex", "$ref": "data, not a reference"},
            }},
            "responses": {"NotFound": {
                "description": "not found",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error2"}}},
            }},
            "requestBodies": {"NewPet": {
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            }},
        },
    });
    assert_eq!(bundled.json, expected);

    let base = "tests/fixtures/bundle/oas30";
    let trace = |p: &str| {
        let (file, pointer) = bundled.moves.trace(p);
        (file.map(str::to_owned), pointer)
    };
    assert_eq!(
        trace("#/paths/~1pets/post/operationId"),
        (
            Some(format!("{base}/paths/pets.yaml")),
            "#/post/operationId".to_owned()
        )
    );
    assert_eq!(
        trace("#/components/schemas/Pet/properties/name"),
        (
            Some(format!("{base}/schemas/Pet.yaml")),
            "#/properties/name".to_owned()
        )
    );
    assert_eq!(
        trace("#/components/schemas/Error2/properties"),
        (
            Some(format!("{base}/responses.yaml")),
            "#/Error/properties".to_owned()
        )
    );
    assert_eq!(
        trace("#/components/schemas/Error"),
        (None, "#/components/schemas/Error".to_owned())
    );
}

#[test]
fn a_recursive_schema_across_files_is_brought_in_once() {
    let bundled = run("recursive", "spec.yaml").expect("bundles");
    assert_eq!(
        bundled.json["definitions"],
        json!({
            "Person": {"type": "object", "properties": {
                "$ref": {"type": "string", "description": "a property called $ref, not a reference"},
                "pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
            }},
            "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Person"}}},
        })
    );
    assert_eq!(
        bundled
            .json
            .pointer("/paths/~1people/get/responses/200/schema"),
        Some(&json!({"$ref": "#/definitions/Person"}))
    );
}

#[test]
fn references_out_of_the_folder_are_refused() {
    let at = "tests/fixtures/bundle/outside/spec.yaml";
    let folder = "`tests/fixtures/bundle/outside`";
    assert_eq!(
        errors("outside"),
        [
            format!(
                "{at}:10:13: `$ref` at #/paths/~1secrets/get/responses/200/schema: `../../../etc/passwd` leaves the spec's folder {folder}: copy the file into that folder and refer to it by a relative path"
            ),
            format!(
                "{at}:14:13: `$ref` at #/paths/~1secrets/get/responses/201/schema: `/etc/passwd` is an absolute path, which no other checkout has: copy the file into the spec's folder {folder} and refer to it by a relative path"
            ),
            format!(
                "{at}:18:13: `$ref` at #/paths/~1secrets/get/responses/202/schema: `file:///etc/passwd#/root` is an absolute path, which no other checkout has: copy the file into the spec's folder {folder} and refer to it by a relative path"
            ),
        ]
    );
}

#[test]
fn a_url_is_refused() {
    assert_eq!(
        errors("remote"),
        [
            "tests/fixtures/bundle/remote/spec.yaml:12:17: `$ref` at #/paths/~1pets/get/responses/200/content/application~1json/schema: `https://example.com/schemas/Pet.yaml` is a URL, and no build reaches the network: copy the document into the repository beside the spec and refer to it by a relative path"
        ]
    );
}

#[test]
fn a_cycle_without_content_is_refused() {
    let at = "tests/fixtures/bundle/cycle/spec.yaml";
    assert_eq!(
        errors("cycle"),
        [
            format!(
                "{at}:6:5: `$ref` at #/definitions/Loop: `a.yaml` starts a chain of references that comes back without reaching any content (a.yaml -> b.yaml -> a.yaml): make one of them a schema"
            ),
            format!(
                "{at}:8:5: `$ref` at #/definitions/Longer: `c.yaml` starts a chain of references that comes back without reaching any content (c.yaml -> a.yaml -> b.yaml -> a.yaml): make one of them a schema"
            ),
        ]
    );
}

#[test]
fn a_missing_file_is_located() {
    let base = "tests/fixtures/bundle/missing-file";
    assert_eq!(
        errors("missing-file"),
        [
            format!(
                "{base}/spec.yaml:7:11: `$ref` at #/paths/~1pets/get/parameters/0: `params/Nope.yaml#/limit` names `{base}/params/Nope.yaml`, which does not exist: correct the path (it is relative to the folder of the file it is written in)"
            ),
            format!(
                "{base}/spec.yaml:12:13: `$ref` at #/paths/~1pets/get/responses/200/schema: `Gone.yaml` names `{base}/Gone.yaml`, which does not exist: correct the path (it is relative to the folder of the file it is written in)"
            ),
        ]
    );
}

/// Also a local reference of a brought-in file, located in that file.
#[test]
fn a_missing_pointer_is_located() {
    let base = "tests/fixtures/bundle/missing-pointer";
    assert_eq!(
        errors("missing-pointer"),
        [
            format!(
                "{base}/defs.yaml:5:7: `$ref` at #/Dog/properties/owner: `#/Owner` points at nothing in `{base}/defs.yaml`: correct the pointer after `#`"
            ),
            format!(
                "{base}/spec.yaml:10:13: `$ref` at #/paths/~1pets/get/responses/200/schema: `defs.yaml#/Pet` points at nothing in `{base}/defs.yaml`: correct the pointer after `#`"
            ),
        ]
    );
}

/// A link inside the folder that leads out of it (to a file, or through a
/// linked folder) is refused: `Disk` compares the canonical paths.
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bundle-symlink");
    let _ = std::fs::remove_dir_all(&workspace);
    std::fs::create_dir_all(workspace.join("spec")).unwrap();
    std::fs::create_dir_all(workspace.join("elsewhere")).unwrap();
    std::fs::write(workspace.join("elsewhere/Secret.yaml"), "type: string\n").unwrap();
    std::os::unix::fs::symlink("../elsewhere/Secret.yaml", workspace.join("spec/Leak.yaml"))
        .unwrap();
    std::os::unix::fs::symlink("../elsewhere", workspace.join("spec/linked")).unwrap();
    let text = "swagger: '2.0'\ndefinitions:\n  A:\n    $ref: Leak.yaml\n  B:\n    $ref: linked/Secret.yaml\n";
    std::fs::write(workspace.join("spec/spec.yaml"), text).unwrap();
    let entry = Document::read(&workspace, "spec/spec.yaml").unwrap();
    let errors: Vec<String> = bundle(&Disk(&workspace), "spec", entry)
        .expect_err("links leave the folder")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "spec/spec.yaml:4:5: `$ref` at #/definitions/A: `Leak.yaml` names `spec/Leak.yaml`, a symbolic link (or in a linked folder) that leads outside the spec's folder `spec`: copy the file into that folder",
            "spec/spec.yaml:6:5: `$ref` at #/definitions/B: `linked/Secret.yaml` names `spec/linked/Secret.yaml`, a symbolic link (or in a linked folder) that leads outside the spec's folder `spec`: copy the file into that folder",
        ]
    );
    // The same files in a folder that holds them are fine.
    let entry = Document::read(&workspace, "spec/spec.yaml").unwrap();
    let bundled = bundle(&Disk(&workspace), "", entry).expect("the workspace holds them");
    assert_eq!(bundled.json["definitions"]["A"], json!({"type": "string"}));
}

#[test]
fn the_entry_of_a_folder_is_its_one_openapi_document() {
    assert_eq!(
        find_entry(root(), "tests/fixtures/bundle/petstore-separate/"),
        Ok("tests/fixtures/bundle/petstore-separate/spec/swagger.yaml".to_owned())
    );
    let none = find_entry(root(), "tests/fixtures/bundle/petstore-separate/common").unwrap_err();
    assert_eq!(
        none.to_string(),
        "tests/fixtures/bundle/petstore-separate/common: no file here is an OpenAPI document: none of its 1 YAML or JSON files (`Error.yaml`) has an `openapi` or `swagger` key at the top level; put the spec's entry document in the folder, or name the entry file instead of the folder"
    );
    let several = find_entry(root(), FIXTURES).unwrap_err();
    assert_eq!(
        several.to_string(),
        "tests/fixtures/bundle: 8 files here are OpenAPI documents (`cycle/spec.yaml`, `missing-file/spec.yaml`, `missing-pointer/spec.yaml`, `oas30/spec.yaml`, `outside/spec.yaml`, `petstore-separate/spec/swagger.yaml`, `recursive/spec.yaml`, `remote/spec.yaml`): name the entry file instead of the folder"
    );
    let missing = find_entry(root(), "tests/fixtures/bundle/nowhere").unwrap_err();
    assert_eq!(
        missing.to_string(),
        "tests/fixtures/bundle/nowhere: is not a folder: name the spec's entry file, or the folder that holds it"
    );
}
