//! What the driver of one spec calls: every GET operation with its
//! parameters' values, and for each documented error status the operations
//! that may be asked (`Prefer: code=…`) to answer it.

use std::collections::BTreeMap;

use masstack_openapi::operations::{OperationRef, operations};
use serde_json::Value;

use super::builders::Builder;
use super::values::{self, Source};

/// One call of a generated method.
#[derive(Debug, Clone)]
pub struct Call {
    /// The spec's operationId.
    pub operation_id: String,
    /// The `Client` method.
    pub method: String,
    /// The setters called, in the spec's parameter order.
    pub args: Vec<Arg>,
}

/// One setter call.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The spec's parameter name.
    pub name: String,
    /// progenitor's setter.
    pub setter: String,
    /// The type the setter converts into, as Rust source.
    pub ty: String,
    /// The value, as JSON (deserialized into `ty` by the driver).
    pub value: Value,
    /// Where the value came from.
    pub source: Source,
}

/// An operation the driver cannot call, and why.
#[derive(Debug, Clone)]
pub struct Unplanned {
    /// The operationId, or method and path.
    pub operation: String,
    /// Why.
    pub reason: String,
}

/// A documented error status and who may answer it.
#[derive(Debug, Clone)]
pub struct Probe {
    /// As the spec writes it (`404`, `4XX`, `default`).
    pub status: String,
    /// The code asked of Prism.
    pub code: u16,
    /// Operations documenting it, tried in order until one answers it.
    pub candidates: Vec<Call>,
}

/// Everything one spec's driver does.
#[derive(Debug, Default)]
pub struct Plan {
    /// Headers carrying a credential of every security scheme a header
    /// can carry (Prism checks that one is present, not its value).
    pub credentials: Vec<(String, String)>,
    /// The query parameter of an `apiKey` in the query, given to the
    /// run time as the generated crate would.
    pub query_key: Option<String>,
    /// Every GET operation: a call, or why there is none.
    pub gets: Vec<Result<Call, Unplanned>>,
    /// Every documented error status.
    pub probes: Vec<Probe>,
}

/// Most operations tried for one error status.
const CANDIDATES: usize = 3;

/// The plan for `spec` (the JSON the client was generated from, after the
/// corpus manifest's fixes) and its generated `builders`.
pub fn plan(spec: &Value, builders: &BTreeMap<String, Builder>) -> Plan {
    let credentials = credentials(spec);
    let query_key = query_key(spec);
    let ops = operations(spec);
    let gets = ops
        .iter()
        .filter(|op| op.method == "get")
        .map(|op| call(spec, op, builders))
        .collect();
    let mut by_status: BTreeMap<String, Vec<Call>> = BTreeMap::new();
    // GETs first: they are the calls known to need no body.
    let ordered = ops
        .iter()
        .filter(|op| op.method == "get")
        .chain(ops.iter().filter(|op| op.method != "get"));
    for op in ordered {
        let statuses: Vec<&str> = op
            .responses(spec)
            .into_iter()
            .map(|(status, _)| status)
            .filter(|s| error_code(s, op, spec).is_some())
            .collect();
        if statuses.is_empty() {
            continue;
        }
        let Ok(call) = call(spec, op, builders) else {
            continue;
        };
        for status in statuses {
            let candidates = by_status.entry(status.to_owned()).or_default();
            if candidates.len() < CANDIDATES {
                candidates.push(call.clone());
            }
        }
    }
    let mut probes: Vec<Probe> = by_status
        .into_iter()
        .filter_map(|(status, candidates)| {
            let op = &candidates.first()?.operation_id;
            let op = ops.iter().find(|o| o.id() == Some(op))?;
            Some(Probe {
                code: error_code(&status, op, spec)?,
                status,
                candidates,
            })
        })
        .collect();
    // Statuses only operations the driver cannot call document: listed.
    for op in &ops {
        for (status, _) in op.responses(spec) {
            if error_code(status, op, spec).is_some() && !probes.iter().any(|p| p.status == status)
            {
                probes.push(Probe {
                    status: status.to_owned(),
                    code: error_code(status, op, spec).unwrap_or(500),
                    candidates: Vec::new(),
                });
            }
        }
    }
    Plan {
        credentials,
        query_key,
        gets,
        probes,
    }
}

/// The name of the first `apiKey` scheme's query parameter.
fn query_key(spec: &Value) -> Option<String> {
    spec.pointer("/components/securitySchemes")?
        .as_object()?
        .values()
        .find(|s| s["type"] == "apiKey" && s["in"] == "query")
        .and_then(|s| s["name"].as_str())
        .map(str::to_owned)
}

/// A credential header for every security scheme of the spec a header can
/// carry: each `apiKey` in a header, and one `Authorization`: a bearer
/// token when any scheme takes one (`http` bearer, OAuth 2, OpenID
/// Connect), else basic. (An `apiKey` in the query or a cookie is not
/// sent here: see [`query_key`].)
fn credentials(spec: &Value) -> Vec<(String, String)> {
    let Some(schemes) = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut headers = Vec::new();
    let (mut bearer, mut basic) = (false, false);
    for scheme in schemes.values() {
        let field = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default();
        match field("type") {
            "apiKey" if field("in") == "header" => {
                // Header names are case-insensitive; `HeaderName` takes lower case.
                headers.push((field("name").to_ascii_lowercase(), "prism-key".to_owned()));
            }
            "http" if field("scheme").eq_ignore_ascii_case("basic") => basic = true,
            "http" | "oauth2" | "openIdConnect" => bearer = true,
            _ => {}
        }
    }
    if bearer {
        headers.push(("authorization".into(), "Bearer prism-token".into()));
    } else if basic {
        // `prism:prism`.
        headers.push(("authorization".into(), "Basic cHJpc206cHJpc20=".into()));
    }
    headers
}

/// The code to ask for when `status` documents an error of `op`: itself
/// (4xx, 5xx), the range's first (`4XX` -> 400), 500 for a `default` next
/// to a documented success; `None` when it is no error.
fn error_code(status: &str, op: &OperationRef<'_>, spec: &Value) -> Option<u16> {
    match status {
        "4XX" | "4xx" => Some(400),
        "5XX" | "5xx" => Some(500),
        "default" => {
            let has_success = op.responses(spec).iter().any(|(s, _)| s.starts_with('2'));
            has_success.then_some(500)
        }
        _ => status.parse().ok().filter(|c| (400..600).contains(c)),
    }
}

/// The call of `op`: its required parameters, and the optional ones whose
/// value the spec declares.
fn call(
    spec: &Value,
    op: &OperationRef<'_>,
    builders: &BTreeMap<String, Builder>,
) -> Result<Call, Unplanned> {
    let unplanned = |reason: String| Unplanned {
        operation: op
            .id()
            .map_or_else(|| format!("{} {}", op.method, op.path), str::to_owned),
        reason,
    };
    let id = op
        .id()
        .ok_or_else(|| unplanned("it has no operationId".into()))?;
    let builder = builders
        .get(id)
        .ok_or_else(|| unplanned("the generated client has no builder for it".into()))?;
    let mut args = Vec::new();
    for parameter in op.parameter_list(spec) {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let required = parameter.get("required") == Some(&Value::Bool(true));
        if !required && !values::is_declared(spec, parameter) {
            continue;
        }
        let setter = method_name(name);
        let Some(ty) = builder.setters.get(&setter) else {
            if parameter.get("in").and_then(Value::as_str) == Some("cookie") && !required {
                continue;
            }
            return Err(unplanned(format!(
                "the builder has no setter `{setter}` for parameter `{name}`"
            )));
        };
        let (value, source) = values::for_parameter(spec, parameter);
        args.push(Arg {
            name: name.to_owned(),
            setter,
            ty: ty.clone(),
            value,
            source,
        });
    }
    if let Some(body) = body(spec, op, builder) {
        args.push(body.map_err(unplanned)?);
    }
    Ok(Call {
        operation_id: id.to_owned(),
        method: builder.method.clone(),
        args,
    })
}

/// The JSON request body (its example, else a value of its schema), when
/// the operation takes one; an error when the builder has no `body` setter.
fn body(spec: &Value, op: &OperationRef<'_>, builder: &Builder) -> Option<Result<Arg, String>> {
    let (_, media) = op
        .request_bodies(spec)
        .into_iter()
        .find(|(media, _)| media.starts_with("application/json"))?;
    let Some(ty) = builder.setters.get("body") else {
        return Some(Err(
            "the builder has no `body` setter for its JSON body".into()
        ));
    };
    let (value, source) = values::for_media(spec, media);
    Some(Ok(Arg {
        name: "body".into(),
        setter: "body".into(),
        ty: ty.clone(),
        value,
        source,
    }))
}

pub use masstack_codegen::naming::method_name;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_progenitors() {
        assert_eq!(method_name("petId"), "pet_id");
        assert_eq!(method_name("page-token"), "page_token");
        assert_eq!(method_name("type"), "type_");
        assert_eq!(method_name("2fa"), "_2fa");
        assert_eq!(method_name("key.get"), "key_get");
    }

    #[test]
    fn every_get_and_each_error_status_once() {
        let spec = json!({"paths": {
            "/pets": {"get": {"operationId": "listPets",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "kind", "in": "query", "schema": {"type": "string", "default": "cat"}}
                ],
                "responses": {"200": {"description": "ok"}, "default": {"description": "error"}}}},
            "/pets/{petId}": {"get": {"operationId": "showPet",
                "parameters": [{"name": "petId", "in": "path", "required": true,
                    "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}, "404": {"description": "no"}}}}
        }});
        let builder = |method: &str, setters: &[(&str, &str)]| Builder {
            method: method.into(),
            setters: setters
                .iter()
                .map(|(s, t)| ((*s).to_owned(), (*t).to_owned()))
                .collect(),
        };
        let builders = BTreeMap::from([
            (
                "listPets".to_owned(),
                builder("list_pets", &[("limit", "i32"), ("kind", "String")]),
            ),
            ("showPet".to_owned(), builder("show_pet", &[])),
        ]);
        let plan = plan(&spec, &builders);
        let list = plan.gets[0].as_ref().unwrap();
        assert_eq!(list.method, "list_pets");
        // `limit` is optional and undeclared: not sent.
        assert_eq!(list.args.len(), 1);
        assert_eq!(list.args[0].value, json!("cat"));
        let show = plan.gets[1].as_ref().unwrap_err();
        assert!(show.reason.contains("no setter `pet_id`"), "{show:?}");
        let statuses: Vec<(&str, u16, usize)> = plan
            .probes
            .iter()
            .map(|p| (p.status.as_str(), p.code, p.candidates.len()))
            .collect();
        assert_eq!(statuses, [("default", 500, 1), ("404", 404, 0)]);
    }
}
