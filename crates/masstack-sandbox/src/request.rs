//! Matching a request to the spec's operation, and checking its path,
//! query, headers and body against that operation's schemas.

use std::collections::HashMap;

use http::{HeaderMap, Method};
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::error::ApiError;
use crate::spec::{Location, Operation, Segment, Specs};

/// A request that passed the spec's checks.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub path: HashMap<String, String>,
    pub query: HashMap<String, String>,
    pub body: Option<Value>,
}

impl Checked {
    /// A path parameter the route guarantees.
    pub fn path(&self, name: &str) -> &str {
        self.path.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.get(name).map(String::as_str)
    }

    /// The body, or JSON `null` when none was sent.
    pub fn body(&self) -> &Value {
        self.body.as_ref().unwrap_or(&Value::Null)
    }
}

/// What routing found for a method and path.
pub(crate) enum Route<'a> {
    Found(&'a Operation, HashMap<String, String>),
    /// The path exists with other methods.
    WrongMethod(Vec<&'a Method>),
    NotFound,
}

/// Finds the operation for `method` and `path`; the most specific template
/// wins (`/v2/ticket/metadata/types` over `/v2/ticket/{ticketId}/…`).
pub(crate) fn route<'a>(specs: &'a Specs, method: &Method, path: &str) -> Route<'a> {
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let mut matches: Vec<(&Operation, HashMap<String, String>)> = specs
        .operations
        .iter()
        .filter_map(|op| bind(op, &parts).map(|params| (op, params)))
        .collect();
    matches.sort_by_key(|(op, _)| std::cmp::Reverse(op.specificity()));
    let methods: Vec<&'a Method> = matches
        .iter()
        .map(|(op, _)| {
            let op: &'a Operation = op;
            &op.method
        })
        .collect();
    match matches.iter().position(|(op, _)| op.method == method) {
        Some(i) => {
            let (op, params) = matches.swap_remove(i);
            Route::Found(op, params)
        }
        None if methods.is_empty() => Route::NotFound,
        None => Route::WrongMethod(methods),
    }
}

fn bind(op: &Operation, parts: &[&str]) -> Option<HashMap<String, String>> {
    if op.segments.len() != parts.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (segment, part) in op.segments.iter().zip(parts) {
        match segment {
            Segment::Literal(l) if l == part => {}
            Segment::Literal(_) => return None,
            Segment::Param(name) => {
                let value = percent_decode_str(part).decode_utf8_lossy().into_owned();
                params.insert(name.clone(), value);
            }
        }
    }
    Some(params)
}

/// Checks parameters and body against `op`'s schemas.
pub(crate) fn check(
    op: &Operation,
    path: HashMap<String, String>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Checked, ApiError> {
    let query: HashMap<String, String> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .fold(HashMap::new(), |mut map, (k, v)| {
            // The first value of a repeated parameter counts.
            map.entry(k).or_insert(v);
            map
        });
    for param in &op.params {
        let value = match param.location {
            Location::Path => path.get(&param.name).cloned(),
            Location::Query => query.get(&param.name).cloned(),
            Location::Header => match headers.get(&param.name).map(|v| v.to_str()) {
                Some(Ok(v)) => Some(v.to_owned()),
                Some(Err(_)) => {
                    return Err(ApiError::bad_request(format!(
                        "header `{}` holds bytes that are not visible ASCII",
                        param.name
                    )));
                }
                None => None,
            },
        };
        let what = format!("{} `{}`", param.location.describe(), param.name);
        let Some(value) = value else {
            if param.required {
                return Err(ApiError::bad_request(format!("{what} is required")));
            }
            continue;
        };
        if param.location == Location::Path && value.is_empty() {
            return Err(ApiError::bad_request(format!("{what} is empty")));
        }
        // The text as the schema's type: `?limit=5` is the number 5.
        let json = param
            .kind
            .read(&value)
            .map_err(|e| ApiError::bad_request(format!("{what}: {e}")))?;
        if let Some(message) = first_errors(&param.validator, &json) {
            return Err(ApiError::bad_request(format!("{what}: {message}")));
        }
    }
    let body = check_body(op, headers, body)?;
    Ok(Checked { path, query, body })
}

fn check_body(op: &Operation, headers: &HeaderMap, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let Some((required, validator)) = &op.body else {
        // No body documented (createRemoteLink): whatever came is kept if
        // it is JSON, and otherwise ignored.
        return Ok(serde_json::from_slice(body).ok());
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return if *required {
            Err(ApiError::bad_request(
                "the request body is required: send a JSON document (Content-Type: application/json)",
            ))
        } else {
            Ok(None)
        };
    }
    if let Some(content_type) = headers.get(http::header::CONTENT_TYPE) {
        let essence = content_type
            .to_str()
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" {
            return Err(ApiError::bad_request(format!(
                "header `Content-Type`: the body must be `application/json`, not `{essence}`"
            )));
        }
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))?;
    if let Some(message) = first_errors(validator, &value) {
        return Err(ApiError::bad_request(format!("request body: {message}")));
    }
    Ok(Some(value))
}

/// The first few schema violations, each naming the field it is about.
pub(crate) fn first_errors(validator: &jsonschema::Validator, value: &Value) -> Option<String> {
    let messages: Vec<String> = validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let field = field_name(e.instance_path().as_str());
            if field.is_empty() {
                e.to_string()
            } else {
                format!("field `{field}`: {e}")
            }
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}

/// `/attachments/0/content` as `attachments[0].content`.
pub(crate) fn field_name(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = masstack_openapi::diagnostic::unescape_segment(part);
        if part.parse::<usize>().is_ok() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use masstack_openapi::json_schema::Schemas;

    use crate::spec::{Api, operations_of};

    /// Parameters of the types our specs have none of.
    const TYPED: &str = r#"
openapi: 3.0.3
info: { title: typed parameters, version: "1" }
paths:
  /pages/{page}:
    get:
      operationId: getPage
      parameters:
        - { name: page, in: path, required: true, schema: { type: integer, minimum: 1 } }
        - { name: limit, in: query, schema: { $ref: '#/components/schemas/Limit' } }
        - { name: ratio, in: query, schema: { type: number } }
        - { name: verbose, in: query, schema: { type: boolean } }
        - { name: x-retries, in: header, schema: { type: integer } }
      responses: { "200": { description: ok } }
components:
  schemas:
    Limit: { type: integer, minimum: 1, maximum: 100 }
"#;

    #[test]
    fn parameters_are_read_as_their_schema_type() {
        let doc = masstack_openapi::load::Document::parse("typed.yaml", TYPED)
            .unwrap()
            .json;
        let operations = operations_of(Api::V2, &doc, &Schemas::new(&doc));
        let run = |page: &str, query: &str, retries: Option<&str>| {
            let path = HashMap::from([("page".to_owned(), page.to_owned())]);
            let mut headers = HeaderMap::new();
            if let Some(r) = retries {
                headers.insert("x-retries", r.parse().unwrap());
            }
            check(&operations[0], path, Some(query), &headers, b"")
                .map(|_| ())
                .map_err(|e| e.detail)
        };
        assert_eq!(
            run("2", "limit=5&ratio=0.5&verbose=true", Some("3")),
            Ok(())
        );
        let refused = |detail: &str| Err(detail.to_owned());
        assert_eq!(
            run("2", "limit=abc", None),
            refused("query parameter `limit`: \"abc\" is not an integer")
        );
        assert_eq!(
            run("2", "limit=500", None),
            refused("query parameter `limit`: 500 is greater than the maximum of 100")
        );
        assert_eq!(
            run("0", "", None),
            refused("path parameter `page`: 0 is less than the minimum of 1")
        );
        assert_eq!(
            run("2", "ratio=half", None),
            refused("query parameter `ratio`: \"half\" is not a number")
        );
        assert_eq!(
            run("2", "verbose=yes", None),
            refused("query parameter `verbose`: \"yes\" is not a boolean (true or false)")
        );
        assert_eq!(
            run("2", "", Some("x")),
            refused("header `x-retries`: \"x\" is not an integer")
        );
    }

    #[test]
    fn field_names_read_like_paths() {
        assert_eq!(
            field_name("/attachments/0/content"),
            "attachments[0].content"
        );
        assert_eq!(field_name(""), "");
        assert_eq!(field_name("/customFields/a~1b"), "customFields.a/b");
    }

    #[test]
    fn literal_paths_win_over_templates() {
        let specs = crate::spec::specs();
        match route(specs, &Method::GET, "/v2/ticket/metadata/types") {
            Route::Found(op, _) => assert_eq!(op.id, "getTicketTypes"),
            _ => panic!("no route"),
        }
        match route(specs, &Method::GET, "/v2/orgs/yoigo/ticket/INST%2D7902") {
            Route::Found(op, params) => {
                assert_eq!(op.id, "getTicket");
                assert_eq!(params["ticketId"], "INST-7902");
            }
            _ => panic!("no route"),
        }
        assert!(matches!(
            route(specs, &Method::DELETE, "/troubleTicket/INST-7902"),
            Route::WrongMethod(_)
        ));
        assert!(matches!(
            route(specs, &Method::GET, "/nowhere"),
            Route::NotFound
        ));
    }
}
