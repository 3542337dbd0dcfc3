//! Request bodies for the generated command line: read from a file or
//! standard input, and parsed strictly, so that a mistyped field is an
//! error that names it instead of being dropped on the way to the server.

use std::io::Read;
use std::path::Path;

use serde::de::DeserializeOwned;

/// The text of `path`; `-` is standard input (on every platform).
pub fn read_body(path: &Path) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().lock().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// A body that is not what the operation takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Fields the operation's body type does not have.
    #[error("{} not part of the operation's body: {}; check the spelling against `--help`", if .0.len() == 1 { "this field is" } else { "these fields are" }, .0.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))]
    UnknownFields(Vec<String>),
    /// The whole body has the wrong JSON type (an array for an object…).
    #[error("the body must be {expected}, but it is {found}")]
    WrongType {
        /// What the operation takes.
        expected: String,
        /// What the body holds.
        found: String,
    },
    /// Any other mismatch, with its JSON path.
    #[error("at {path}: {message}")]
    Invalid {
        /// Where, as a JSON path (`$.components[2]`).
        path: String,
        /// What serde said.
        message: String,
    },
}

/// Parses a body of type `T`, refusing fields `T` does not know.
pub fn parse_body<T: DeserializeOwned + schemars::JsonSchema>(text: &str) -> Result<T, BodyError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| BodyError::Invalid {
        path: "$".into(),
        message: e.to_string(),
    })?;
    // serde reads a struct from an array too (by position): check the
    // top-level type against the schema first.
    if let Some(expected) = expected_type::<T>() {
        let found = json_type(&value);
        let fits = found == expected || (found == "integer" && expected == "number");
        if !fits {
            return Err(BodyError::WrongType {
                expected: describe::<T>(expected),
                found: format!("a JSON {found}"),
            });
        }
    }
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(json_path(&path.to_string()));
    let ignoring = serde_ignored::Deserializer::new(&value, &mut note);
    let parsed: T = serde_path_to_error::deserialize(ignoring).map_err(|e| BodyError::Invalid {
        path: json_path(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })?;
    if unknown.is_empty() {
        Ok(parsed)
    } else {
        Err(BodyError::UnknownFields(unknown))
    }
}

/// The JSON type the schema of `T` requires at the top, if it names one.
fn expected_type<T: schemars::JsonSchema>() -> Option<&'static str> {
    use schemars::schema::{InstanceType, SingleOrVec};
    let root = schemars::schema_for!(T);
    match root.schema.instance_type? {
        SingleOrVec::Single(t) => Some(match *t {
            InstanceType::Object => "object",
            InstanceType::Array => "array",
            InstanceType::String => "string",
            InstanceType::Integer => "integer",
            InstanceType::Number => "number",
            InstanceType::Boolean => "boolean",
            InstanceType::Null => "null",
        }),
        SingleOrVec::Vec(_) => None,
    }
}

fn describe<T: schemars::JsonSchema>(expected: &str) -> String {
    format!("a JSON {expected} (`{}`)", T::schema_name())
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_f64() => "number",
        serde_json::Value::Number(_) => "integer",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// `a.b[2]` (serde_path_to_error) or `a.b.2` (serde_ignored) as `$.a.b[2]`.
fn json_path(path: &str) -> String {
    if path.is_empty() || path == "." || path == "?" {
        return "$".into();
    }
    let mut out = String::from("$");
    for part in path.split('.') {
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else if part.starts_with('[') {
            out.push_str(part);
        } else {
            out.push('.');
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, schemars::JsonSchema, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Ticket {
        summary: Option<String>,
        #[serde(default)]
        components: Vec<Component>,
    }

    #[derive(Debug, serde::Deserialize, schemars::JsonSchema, PartialEq)]
    struct Component {
        name: String,
    }

    #[test]
    fn a_known_body_parses() {
        let t: Ticket = parse_body(r#"{"summary":"Cita","components":[{"name":"ONT"}]}"#).unwrap();
        assert_eq!(t.summary.as_deref(), Some("Cita"));
    }

    #[test]
    fn unknown_fields_are_named_with_their_path() {
        let e = parse_body::<Ticket>(
            r#"{"summary":"x","unknown":1,"components":[{"name":"a","colour":"red"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            BodyError::UnknownFields(vec!["$.components[0].colour".into(), "$.unknown".into()])
        );
        assert_eq!(
            e.to_string(),
            "these fields are not part of the operation's body: `$.components[0].colour`, `$.unknown`; check the spelling against `--help`"
        );
    }

    #[test]
    fn a_wrong_top_level_type_is_said_plainly() {
        let e = parse_body::<Ticket>("[1, 2]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the body must be a JSON object (`Ticket`), but it is a JSON array"
        );
        let e = parse_body::<Ticket>(r#""text""#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the body must be a JSON object (`Ticket`), but it is a JSON string"
        );
        let e = parse_body::<Vec<Component>>("{}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the body must be a JSON array (`Array_of_Component`), but it is a JSON object"
        );
    }

    #[test]
    fn a_nested_mismatch_names_its_path() {
        let e = parse_body::<Ticket>(r#"{"components":[{"name":"a"},{"name":3}]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "at $.components[1].name: invalid type: integer `3`, expected a string"
        );
    }

    #[test]
    fn trailing_text_is_refused() {
        let e = parse_body::<Ticket>(r#"{"summary":"x"} extra"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "at $: trailing characters at line 1 column 17"
        );
    }

    #[test]
    fn standard_input_is_dash_and_files_are_read() {
        let dir = std::env::temp_dir().join(format!("masstack-cli-body-{}", std::process::id()));
        std::fs::write(&dir, "{}").unwrap();
        assert_eq!(read_body(&dir).unwrap(), "{}");
        std::fs::remove_file(&dir).unwrap();
        assert!(read_body(Path::new("/nonexistent/body.json")).is_err());
    }
}
