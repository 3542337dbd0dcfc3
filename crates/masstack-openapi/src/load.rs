//! Reading a spec file: its text (UTF-8, checked), its JSON tree with the
//! position of every key, and the typed `openapiv3::OpenAPI`.
//!
//! The stages are kept apart so that other inputs are additions: a spec of
//! another OpenAPI version would be normalised between the raw
//! [`Document`] and the typed parse ([`LoadedSpec::from_document`]).

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location, escape_segment};
use crate::positions::Positions;

/// Why a file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file is not a readable document: located.
    #[error("{0}")]
    Invalid(Diagnostic),
    /// Reading the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

/// A JSON or YAML document as a JSON tree, with where its keys are.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given (relative to the workspace root), used in messages.
    pub name: String,
    /// The document as JSON.
    pub json: Value,
    /// The line and column of its keys, by JSON pointer.
    pub positions: Positions,
}

impl Document {
    /// Parses `text`; `name` decides JSON (`.json`) or YAML (anything else).
    pub fn parse(name: &str, text: &str) -> Result<Self, Diagnostic> {
        let json = if is_json(name) {
            serde_json::from_str(text).map_err(|e| json_error(name, &e))?
        } else {
            let yaml: serde_yaml::Value =
                serde_yaml::from_str(text).map_err(|e| yaml_error(name, &e))?;
            yaml_to_json(yaml).map_err(|m| Diagnostic::new(name, Location::File, m))?
        };
        Ok(Self {
            name: name.to_owned(),
            json,
            positions: Positions::index(text),
        })
    }

    /// Reads and parses `root/relative`.
    pub fn read(root: &Path, relative: &str) -> Result<Self, LoadError> {
        let text = read_text(root, relative)?;
        Self::parse(relative, &text).map_err(LoadError::Invalid)
    }

    /// The line and column of the key at `pointer` (`#/paths/...`), as the
    /// file has it.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        self.positions.get(pointer)
    }
}

/// A spec: its document and the typed OpenAPI that progenitor reads.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The path as named in the manifest, used in every message.
    pub name: String,
    /// The document as JSON, for pointers and examples.
    pub json: Value,
    /// The line and column of the file's keys, by JSON pointer. Edits to
    /// `json` (the manifest's fixes) do not move them.
    pub positions: Positions,
    /// The document as OpenAPI, for progenitor.
    pub openapi: OpenAPI,
}

impl LoadedSpec {
    /// The typed parse of a parsed document; `text` is the document's text,
    /// which the typed parse reads again so that shape errors keep a line
    /// and column. (The typed parse of the JSON tree, [`typed`], locates
    /// them only by pointer, and no deeper than the first struct: every
    /// `openapiv3` struct flattens its `x-` extensions, which buffers it.)
    pub fn from_document(document: Document, text: &str) -> Result<Self, Diagnostic> {
        let name = &document.name;
        let openapi: OpenAPI = if is_json(name) {
            serde_json::from_str(text).map_err(|e| json_error(name, &e))?
        } else {
            serde_yaml::from_str(text).map_err(|e| yaml_error(name, &e))?
        };
        Ok(Self {
            name: document.name,
            json: document.json,
            positions: document.positions,
            openapi,
        })
    }
}

/// Why a JSON tree is not an OpenAPI 3.0 document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Where in the tree (`#/paths/~1things/get/responses`).
    pub pointer: String,
    /// What the typed parse expected there.
    pub message: String,
}

/// The typed `openapiv3::OpenAPI` of a JSON tree, as progenitor reads it
/// (for a tree edited after loading: the manifest's fixes).
pub fn typed(json: &Value) -> Result<OpenAPI, ShapeError> {
    deserialize_at(json)
}

/// Any typed reading of a JSON tree (OpenAPI, or a vendor extension read
/// from the whole document), with the pointer of the key serde stopped at.
pub fn deserialize_at<T: serde::de::DeserializeOwned>(json: &Value) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let pointer = e.path().iter().fold("#".to_owned(), |p, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => format!("{p}/{index}"),
                Segment::Map { key } => format!("{p}/{}", escape_segment(key)),
                Segment::Enum { variant } => format!("{p}/{}", escape_segment(variant)),
                Segment::Unknown => p,
            }
        });
        ShapeError {
            pointer,
            message: e.inner().to_string(),
        }
    })
}

/// Reads and parses the spec `root/relative`.
pub fn load(root: &Path, relative: &str) -> Result<LoadedSpec, LoadError> {
    let text = read_text(root, relative)?;
    parse(relative, &text).map_err(LoadError::Invalid)
}

/// Parses spec text; `name` decides JSON (`.json`) or YAML (anything else).
pub fn parse(name: &str, text: &str) -> Result<LoadedSpec, Diagnostic> {
    LoadedSpec::from_document(Document::parse(name, text)?, text)
}

/// Reads a UTF-8 text file; bytes that are not UTF-8 are bad input, located.
pub fn read_text(root: &Path, relative: &str) -> Result<String, LoadError> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).map_err(|source| LoadError::Io { path, source })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        LoadError::Invalid(Diagnostic::new(
            relative,
            Location::LineColumn { line, column },
            "the file is not UTF-8 text: save it as UTF-8",
        ))
    })
}

fn is_json(name: &str) -> bool {
    name.ends_with(".json")
}

fn yaml_error(name: &str, e: &serde_yaml::Error) -> Diagnostic {
    let location = match e.location() {
        Some(l) => Location::LineColumn {
            line: l.line(),
            column: l.column(),
        },
        None => Location::File,
    };
    // serde_yaml appends " at line X column Y"; the location already says it.
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    Diagnostic::new(name, location, format!("cannot parse: {message}"))
}

fn json_error(name: &str, e: &serde_json::Error) -> Diagnostic {
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    };
    Diagnostic::new(
        name,
        Location::LineColumn {
            line: e.line(),
            column: e.column(),
        },
        format!("cannot parse: {message}"),
    )
}

/// YAML allows non-string keys (`200:`); JSON pointers and OpenAPI need strings.
fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("the number {n} has no JSON form"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{ShapeError, typed, yaml_to_json};

    /// The document keeps where its keys are, in YAML (`200:` as the key
    /// `200`) as in JSON.
    #[test]
    fn a_document_locates_its_keys() {
        let yaml = "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
        let document = super::Document::parse("spec/a.yaml", yaml).unwrap();
        assert_eq!(
            document.position("#/paths/~1a/get/responses/200/description"),
            Some((5, 15))
        );
        let json = "{\"paths\": {\"/a\": {}}}";
        let document = super::Document::parse("spec/a.json", json).unwrap();
        assert_eq!(document.position("#/paths/~1a"), Some((1, 12)));
    }

    /// A tree that is not OpenAPI is refused with the pointer of the first
    /// struct that cannot hold what is there (see `from_document`).
    #[test]
    fn a_shape_error_names_its_pointer() {
        let mut spec = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}},
        });
        assert!(typed(&spec).is_ok());
        spec["info"]["title"] = json!(5);
        assert_eq!(
            typed(&spec),
            Err(ShapeError {
                pointer: "#/info/title".into(),
                message: "invalid type: integer `5`, expected a string".into(),
            })
        );
    }

    fn convert(yaml: &str) -> Result<Value, String> {
        yaml_to_json(serde_yaml::from_str(yaml).expect("test YAML parses"))
    }

    #[test]
    fn scalars() {
        assert_eq!(
            convert("{n: null, t: true, f: false, s: text, q: '200', e: ''}").unwrap(),
            json!({"n": null, "t": true, "f": false, "s": "text", "q": "200", "e": ""})
        );
    }

    #[test]
    fn integers_keep_their_full_range() {
        let v = convert(
            "[0, -1, -9223372036854775808, 9223372036854775807, 18446744073709551615, 0x1F, 0o17]",
        )
        .unwrap();
        assert_eq!(v, json!([0, -1, i64::MIN, i64::MAX, u64::MAX, 31, 15]));
        assert!(v[4].is_u64() && !v[4].is_i64(), "u64::MAX stays unsigned");
    }

    /// Floats stay floats, even when whole (`1.0`, `1e3`): a schema's
    /// `type: integer` must not be fooled by the conversion.
    #[test]
    fn floats_stay_floats() {
        let v = convert("[1.5, -0.25, 1.0, 1e3]").unwrap();
        assert_eq!(v, json!([1.5, -0.25, 1.0, 1000.0]));
        for (i, item) in v.as_array().unwrap().iter().enumerate() {
            assert!(item.is_f64(), "item {i}: {item}");
        }
    }

    #[test]
    fn infinities_and_nan_have_no_json_form() {
        for (yaml, shown) in [
            ("a: .inf", ".inf"),
            ("a: -.inf", "-.inf"),
            ("a: .nan", ".nan"),
        ] {
            assert_eq!(
                convert(yaml),
                Err(format!("the number {shown} has no JSON form")),
                "{yaml}"
            );
        }
        // Also when nested.
        assert_eq!(
            convert("a: {b: [1, .nan]}"),
            Err("the number .nan has no JSON form".into())
        );
    }

    /// `200:` (an integer key, as in `responses`), float and boolean keys
    /// become strings.
    #[test]
    fn non_string_scalar_keys_become_strings() {
        assert_eq!(
            convert("{200: ok, 4.5: half, true: yes, -1: minus}").unwrap(),
            json!({"200": "ok", "4.5": "half", "true": "yes", "-1": "minus"})
        );
        assert_eq!(
            convert(
                "responses:\n  200:\n    description: OK\n  '404':\n    description: Not found\n"
            )
            .unwrap(),
            json!({"responses": {"200": {"description": "OK"}, "404": {"description": "Not found"}}})
        );
    }

    #[test]
    fn null_sequence_and_mapping_keys_are_refused() {
        assert_eq!(convert("~: x"), Err("unsupported mapping key Null".into()));
        assert_eq!(
            convert("null: x"),
            Err("unsupported mapping key Null".into())
        );
        // The message shows the key as parsed.
        assert_eq!(
            convert("[a]: x"),
            Err(r#"unsupported mapping key Sequence [String("a")]"#.into())
        );
        assert_eq!(
            convert("{a: 1}: x"),
            Err(r#"unsupported mapping key Mapping {"a": Number(1)}"#.into())
        );
        assert_eq!(
            convert("nested: {[1, 2]: x}"),
            Err("unsupported mapping key Sequence [Number(1), Number(2)]".into())
        );
    }

    /// A tag is dropped and its value kept, for scalars, mappings and
    /// sequences, at any depth.
    #[test]
    fn tagged_values_keep_their_value() {
        assert_eq!(
            convert("{s: !foo bar, m: !thing {b: 1}, l: !list [1, !x 2], c: !!str 5}").unwrap(),
            json!({"s": "bar", "m": {"b": 1}, "l": [1, 2], "c": "5"})
        );
    }

    #[test]
    fn nested_structure_is_kept() {
        assert_eq!(
            convert("a:\n  - {b: [1, {c: null}]}\n  - []\n  - {}\n").unwrap(),
            json!({"a": [{"b": [1, {"c": null}]}, [], {}]})
        );
    }
}
