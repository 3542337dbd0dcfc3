//! Reading a spec: its files' text (UTF-8, checked), their JSON trees with
//! the position of every key, and the typed `openapiv3::OpenAPI`.
//!
//! The stages, in order: the entry [`Document`]; its `$ref`s to other
//! files brought in ([`bundle`]); the version's rules checked on the raw
//! tree, so a wrong keyword is reported at its own key ([`validate`]); any
//! version rewritten into the 3.0 shape ([`normalise`]); the typed parse.
//! [`Origin`] traces every pointer of the result back to its file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::bundle::{self, Disk, Source};
use crate::diagnostic::{Diagnostic, Location, escape_segment};
use crate::normalise::{self, Loss, Problem, Version};
use crate::positions::Positions;
use crate::provenance::Provenance;
use crate::validate;

/// Why a file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The spec is not a readable document: every problem, located.
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
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
        Self::parse(relative, &text).map_err(|d| LoadError::Invalid(vec![d]))
    }

    /// The line and column of the key at `pointer` (`#/paths/...`), as the
    /// file has it.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        self.positions.get(pointer)
    }
}

/// A spec: its document in the 3.0 shape and the typed OpenAPI that
/// progenitor reads, and where each of its nodes was written.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The entry document's path as the manifest reaches it, used in every
    /// message about the spec as a whole.
    pub name: String,
    /// The document as OpenAPI 3.0 JSON, for pointers and examples: the
    /// file itself for a one-file 3.0 spec; bundled and normalised for any
    /// other. Pointers into it are traced back by [`Origin`].
    pub json: Value,
    /// The document as OpenAPI, for progenitor.
    pub openapi: OpenAPI,
    /// Which version the spec was written in, its files, and how pointers
    /// of `json` map back to them.
    pub origin: Origin,
}

/// Where a spec's nodes were written: the version, the files (each with
/// the position of its keys), the moves of bundling and normalisation, and
/// what normalisation lost.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The version the entry document declares.
    pub version: Version,
    /// Pointers of the normalised tree -> pointers of the bundled tree.
    pub normalised: Provenance,
    /// Pointers of the bundled tree -> the file and pointer written.
    pub bundled: Provenance,
    /// The position of every key of every file read, by file name.
    pub positions: BTreeMap<String, Positions>,
    /// Every lossy step of normalisation, at pointers of the bundled tree
    /// (see [`Origin::written_in_bundle`]).
    pub losses: Vec<Loss>,
}

/// Where a node was written: the file, the pointer there (the deepest
/// that exists in the file when the node was made by normalisation), and
/// the line and column of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file, as the manifest reaches it.
    pub file: String,
    /// The pointer in that file.
    pub pointer: String,
    /// The key's line and column, when the file has that key.
    pub position: Option<(usize, usize)>,
}

impl Written {
    /// `message` located here: `file:line:column (#/pointer)`, or the
    /// pointer alone for a node with no key (the document's root).
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        let location = match self.position {
            Some((line, column)) => Location::Key {
                line,
                column,
                pointer: self.pointer.clone(),
            },
            None => Location::Pointer(self.pointer.clone()),
        };
        Diagnostic::new(&self.file, location, message)
    }
}

impl Origin {
    /// The origin of a one-file document that was not rewritten.
    fn as_written(document: &Document, version: Version) -> Self {
        Self {
            version,
            normalised: Provenance::default(),
            bundled: Provenance::default(),
            positions: BTreeMap::from([(document.name.clone(), document.positions.clone())]),
            losses: Vec::new(),
        }
    }

    /// Where the node at `pointer` of the normalised tree was written;
    /// `entry` is the spec's entry file.
    pub fn written(&self, entry: &str, pointer: &str) -> Written {
        let (_, bundled) = self.normalised.trace(pointer);
        self.written_in_bundle(entry, &bundled)
    }

    /// Where the node at `pointer` of the bundled tree (before
    /// normalisation) was written.
    pub fn written_in_bundle(&self, entry: &str, pointer: &str) -> Written {
        let (file, pointer) = self.bundled.trace(pointer);
        let file = file.unwrap_or(entry).to_owned();
        let positions = self.positions.get(&file);
        // A node normalisation made has no key of its own: its nearest
        // written ancestor stands for it.
        let mut at = pointer.clone();
        loop {
            if at == "#" || at.is_empty() {
                return Written {
                    file,
                    pointer: "#".to_owned(),
                    position: None,
                };
            }
            if let Some(position) = positions.and_then(|p| p.get(&at)) {
                return Written {
                    file,
                    pointer: at,
                    position: Some(position),
                };
            }
            match at.rfind('/') {
                Some(i) => at.truncate(i),
                None => at = "#".to_owned(),
            }
        }
    }

    /// Whether the spec is one 3.0 file, read as written.
    pub fn is_as_written(&self) -> bool {
        self.version == Version::OpenApi30 && self.normalised.is_empty() && self.bundled.is_empty()
    }
}

impl LoadedSpec {
    /// Where the node at `pointer` of [`LoadedSpec::json`] was written.
    pub fn written(&self, pointer: &str) -> Written {
        self.origin.written(&self.name, pointer)
    }

    /// `diagnostic` moved to where its subject was written, when it is
    /// located by a pointer into this spec's tree; any other comes back
    /// as it was.
    pub fn relocate(&self, diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.file != self.name || self.origin.is_as_written() {
            return diagnostic;
        }
        match &diagnostic.location {
            Location::Pointer(pointer) => self.written(pointer).diagnostic(diagnostic.message),
            Location::Operation { name, pointer } => {
                let written = self.written(pointer);
                Diagnostic::new(
                    &written.file,
                    Location::Operation {
                        name: name.clone(),
                        pointer: written.pointer,
                    },
                    diagnostic.message,
                )
            }
            _ => diagnostic,
        }
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

/// Reads the spec `root/relative`: one document, or a folder whose entry
/// document refers to the others.
pub fn load(root: &Path, relative: &str) -> Result<LoadedSpec, LoadError> {
    load_from(&Disk(root), relative)
}

/// [`load`], from any [`Source`] (the change review reads a git revision).
pub fn load_from(source: &dyn Source, relative: &str) -> Result<LoadedSpec, LoadError> {
    let relative = relative.trim_end_matches('/');
    let (entry, sandbox) = match source.entry_of_folder(relative)? {
        Some(entry) => (entry, relative.to_owned()),
        None => (relative.to_owned(), parent(relative)),
    };
    let text = source.read(&entry)?.ok_or_else(|| LoadError::Io {
        path: PathBuf::from(&entry),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
    })?;
    let document = Document::parse(&entry, &text).map_err(|d| LoadError::Invalid(vec![d]))?;
    read_spec(source, &sandbox, document, &text).map_err(LoadError::Invalid)
}

/// Parses the text of a one-file spec; `name` decides JSON (`.json`) or
/// YAML (anything else). A `$ref` to another file is an error: use
/// [`load`] for those.
pub fn parse(name: &str, text: &str) -> Result<LoadedSpec, Vec<Diagnostic>> {
    let document = Document::parse(name, text).map_err(|d| vec![d])?;
    read_spec(&NoFiles, &parent(name), document, text)
}

/// The stages of reading, in order: bundle, version, validate, normalise,
/// typed parse. Every diagnostic is located where the user wrote the node.
fn read_spec(
    source: &dyn Source,
    sandbox: &str,
    document: Document,
    text: &str,
) -> Result<LoadedSpec, Vec<Diagnostic>> {
    let name = document.name.clone();
    let version = Version::of(&document.json).map_err(|p| vec![locate(&document, &p)])?;
    let bundled = bundle::bundle(source, sandbox, document)?;
    let mut origin = Origin {
        version,
        normalised: Provenance::default(),
        bundled: bundled.moves,
        positions: bundled
            .documents
            .iter()
            .map(|(n, d)| (n.clone(), d.positions.clone()))
            .collect(),
        losses: Vec::new(),
    };
    let in_bundle = |origin: &Origin, p: &Problem| {
        origin
            .written_in_bundle(&name, &p.pointer)
            .diagnostic(p.message.clone())
    };
    let problems = validate::check(&bundled.json, version);
    if !problems.is_empty() {
        return Err(problems.iter().map(|p| in_bundle(&origin, p)).collect());
    }
    let (_, normalised) = normalise::normalise(bundled.json)
        .map_err(|ps| ps.iter().map(|p| in_bundle(&origin, p)).collect::<Vec<_>>())?;
    origin.normalised = normalised.moves;
    origin.losses = normalised.losses;
    let openapi = if origin.is_as_written() {
        // The typed parse of the text itself keeps a line and column for
        // what the validation does not cover.
        typed_from_text(&name, text).map_err(|d| vec![d])?
    } else {
        typed(&normalised.json).map_err(|e| {
            vec![origin.written(&name, &e.pointer).diagnostic(format!(
                "cannot read this as {} ({}): {}",
                version.label(),
                "after reading it in the 3.0 shape",
                e.message
            ))]
        })?
    };
    Ok(LoadedSpec {
        name,
        json: normalised.json,
        openapi,
        origin,
    })
}

/// A problem of the entry document, before any rewriting.
fn locate(document: &Document, problem: &Problem) -> Diagnostic {
    let origin = Origin::as_written(document, Version::OpenApi30);
    origin
        .written_in_bundle(&document.name, &problem.pointer)
        .diagnostic(problem.message.clone())
}

/// The typed parse of a document's text, for shape errors with a line and
/// column. (The typed parse of the JSON tree, [`typed`], locates them only
/// by pointer, and no deeper than the first struct: every `openapiv3`
/// struct flattens its `x-` extensions, which buffers it.)
fn typed_from_text(name: &str, text: &str) -> Result<OpenAPI, Diagnostic> {
    if is_json(name) {
        serde_json::from_str(text).map_err(|e| json_error(name, &e))
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_error(name, &e))
    }
}

/// The folder of a path relative to the workspace root (`""` for none).
fn parent(relative: &str) -> String {
    Path::new(relative)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A source with no files, for a spec parsed from text.
struct NoFiles;

impl Source for NoFiles {
    fn read(&self, _relative: &str) -> Result<Option<String>, LoadError> {
        Ok(None)
    }
}

/// Reads a UTF-8 text file; bytes that are not UTF-8 are bad input, located.
pub fn read_text(root: &Path, relative: &str) -> Result<String, LoadError> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).map_err(|source| LoadError::Io { path, source })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        LoadError::Invalid(vec![Diagnostic::new(
            relative,
            Location::LineColumn { line, column },
            "the file is not UTF-8 text: save it as UTF-8",
        )])
    })
}

fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_json(name: &str) -> bool {
    name.ends_with(".json")
}

/// Whether a file of this name can be a spec document: YAML or JSON.
pub fn is_document_name(name: &str) -> bool {
    [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e))
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
