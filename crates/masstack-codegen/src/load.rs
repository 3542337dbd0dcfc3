//! Stage 1: read a spec file into both a JSON tree (for pointers and
//! examples) and a typed `openapiv3::OpenAPI` (for progenitor).

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::error::Error;

/// A parsed spec and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The path as named in the manifest, used in every message.
    pub name: String,
    pub json: Value,
    pub openapi: OpenAPI,
}

/// Reads and parses `root/relative`.
pub fn load(root: &Path, relative: &str) -> Result<LoadedSpec, Error> {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse(relative, &text).map_err(|d| Error::Invalid(vec![d]))
}

/// Parses spec text; `name` decides JSON (`.json`) or YAML (anything else).
pub fn parse(name: &str, text: &str) -> Result<LoadedSpec, Diagnostic> {
    if name.ends_with(".json") {
        let json: Value = serde_json::from_str(text).map_err(|e| json_error(name, &e))?;
        let openapi: OpenAPI = serde_json::from_str(text).map_err(|e| json_error(name, &e))?;
        return Ok(LoadedSpec {
            name: name.to_owned(),
            json,
            openapi,
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| yaml_error(name, &e))?;
    // The typed parse runs on the text so that shape errors keep a line and column.
    let openapi: OpenAPI = serde_yaml::from_str(text).map_err(|e| yaml_error(name, &e))?;
    let json = yaml_to_json(yaml).map_err(|m| Diagnostic::new(name, Location::File, m))?;
    Ok(LoadedSpec {
        name: name.to_owned(),
        json,
        openapi,
    })
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
