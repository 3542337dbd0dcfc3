//! Reading a parameter's text as the type its schema declares: path,
//! query and header values arrive as text, and `?limit=5` must validate
//! against `type: integer` as the number 5, not as the string "5".

use masstack_openapi::refs;
use serde_json::{Number, Value};

/// The JSON type a parameter's schema declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamType {
    String,
    Integer,
    Number,
    Boolean,
}

impl ParamType {
    /// The `type` of `schema`, through local `$ref`s (into `doc`) and
    /// `allOf`; a string when none is declared, as before, and for arrays
    /// and objects, whose serialisation styles the sandbox does not read.
    pub fn of(schema: &Value, doc: &Value) -> Self {
        Self::find(schema, doc, 0).unwrap_or(Self::String)
    }

    fn find(schema: &Value, doc: &Value, depth: usize) -> Option<Self> {
        // An `allOf` that includes itself must end somewhere.
        if depth > refs::MAX_HOPS {
            return None;
        }
        let schema = refs::follow(doc, schema).ok()?;
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => Some(Self::Integer),
            Some("number") => Some(Self::Number),
            Some("boolean") => Some(Self::Boolean),
            Some(_) => Some(Self::String),
            // Only `allOf`: a member of `oneOf`/`anyOf` need not hold.
            None => schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find_map(|s| Self::find(s, doc, depth + 1)),
        }
    }

    /// `text` as a JSON value of this type, or why it is not one.
    pub fn read(self, text: &str) -> Result<Value, String> {
        let quoted = || Value::String(text.to_owned()).to_string();
        let integer = || {
            text.parse::<i64>()
                .map(Value::from)
                .or_else(|_| text.parse::<u64>().map(Value::from))
        };
        match self {
            Self::String => Ok(Value::String(text.to_owned())),
            Self::Integer => integer().map_err(|_| format!("{} is not an integer", quoted())),
            Self::Number => integer()
                .ok()
                .or_else(|| {
                    let n: f64 = text.parse().ok()?;
                    Number::from_f64(n).map(Value::Number)
                })
                .ok_or_else(|| format!("{} is not a number", quoted())),
            Self::Boolean => match text {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(format!("{} is not a boolean (true or false)", quoted())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_are_found_through_refs_and_all_of() {
        let doc = json!({ "components": { "schemas": {
            "Limit": { "type": "integer" },
            "Wrapped": { "allOf": [{ "$ref": "#/components/schemas/Limit" }] },
            "Loop": { "$ref": "#/components/schemas/Loop" },
            "Nested": { "allOf": [{ "$ref": "#/components/schemas/Nested" }] }
        } } });
        let of = |schema: Value| ParamType::of(&schema, &doc);
        assert_eq!(of(json!({ "type": "boolean" })), ParamType::Boolean);
        assert_eq!(
            of(json!({ "$ref": "#/components/schemas/Wrapped" })),
            ParamType::Integer
        );
        assert_eq!(
            of(json!({ "$ref": "#/components/schemas/Loop" })),
            ParamType::String
        );
        assert_eq!(
            of(json!({ "$ref": "#/components/schemas/Nested" })),
            ParamType::String
        );
        assert_eq!(of(json!({})), ParamType::String);
    }

    #[test]
    fn text_is_read_as_the_type() {
        assert_eq!(ParamType::Integer.read("-5"), Ok(json!(-5)));
        assert_eq!(
            ParamType::Integer.read("5.5"),
            Err("\"5.5\" is not an integer".into())
        );
        assert_eq!(ParamType::Number.read("5"), Ok(json!(5)));
        assert_eq!(ParamType::Number.read("0.25"), Ok(json!(0.25)));
        assert_eq!(
            ParamType::Number.read("NaN"),
            Err("\"NaN\" is not a number".into())
        );
        assert_eq!(ParamType::Boolean.read("false"), Ok(json!(false)));
        assert_eq!(ParamType::String.read("5"), Ok(json!("5")));
    }
}
