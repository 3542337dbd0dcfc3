//! What the driver's lines mean: per GET operation decoded or not and why,
//! per documented error status decoded or not and why. An exception is
//! *explained* when its cause is outside the generated client: Prism
//! refused the request (its message is shown) or answered something the
//! spec does not allow (the violations are shown). Anything else (an answer
//! that follows the spec and does not decode, a value the driver could not
//! send) is a failure.

use masstack_openapi::json_schema::{ValidatorCache, violations};
use masstack_openapi::operations::{OperationRef, operations};
use masstack_openapi::refs::resolve;
use serde::Deserialize;
use serde_json::Value;

use super::plan::{Plan, Probe};

/// One line of a driver's output.
#[derive(Debug, Clone, Deserialize)]
pub struct Line {
    /// `get` or `error`.
    pub phase: String,
    /// The operationId called.
    pub operation: String,
    /// `decoded`, `error_decoded`, `not_decoded`, `unexpected`, `not_sent`, `failed`.
    pub outcome: String,
    /// The answer's status, when known.
    pub status: Option<u16>,
    /// The client's or the driver's message.
    pub reason: Option<String>,
    /// The answer's body (its start).
    pub body: Option<String>,
    /// Prism's `sl-violations` header: why it refused the request.
    pub violations: Option<String>,
    /// For an error probe: the status asked for.
    pub asked: Option<Asked>,
}

/// The status a probe asked Prism for.
#[derive(Debug, Clone, Deserialize)]
pub struct Asked {
    /// As the spec writes it.
    pub status: String,
}

/// Why a call did not do what it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// Prism refused the request or could not answer it: not the client's doing.
    Prism(String),
    /// Prism's answer breaks the spec (a pattern or format it does not
    /// follow): not the client's doing.
    OffSpec(String),
    /// The client or the driver: a failure.
    Client(String),
}

impl Cause {
    /// Whether the cause is outside the generated client.
    pub fn explained(&self) -> bool {
        !matches!(self, Cause::Client(_))
    }
}

impl Cause {
    /// The message alone.
    pub fn detail(&self) -> &str {
        match self {
            Cause::Prism(m) | Cause::OffSpec(m) | Cause::Client(m) => m,
        }
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cause::Prism(m) => write!(f, "explained (Prism did not serve it): {m}"),
            Cause::OffSpec(m) => write!(f, "explained (Prism's answer breaks the spec): {m}"),
            Cause::Client(m) => write!(f, "NOT EXPLAINED: {m}"),
        }
    }
}

/// One spec's results.
#[derive(Debug, Default)]
pub struct Verdict {
    /// GET operations of the spec.
    pub gets: usize,
    /// GET operations called.
    pub called: usize,
    /// GET operations whose answer decoded.
    pub decoded: usize,
    /// GET operations with no body to decode: a websocket upgrade, or no
    /// response documented. Called and reported, but no mock (and no
    /// client) has an answer body to read for them.
    pub bodiless: usize,
    /// Each GET exception: operation and cause.
    pub exceptions: Vec<(String, Cause)>,
    /// GETs asked again of Prism in dynamic mode, with the cause of the
    /// first answer (the exceptions hold the second's, if any).
    pub retried: Vec<(String, Cause)>,
    /// Each documented error status: status, and the operation that
    /// decoded it or the cause it did not.
    pub statuses: Vec<(String, Result<String, Cause>)>,
}

impl Verdict {
    /// Whether every exception is explained and at least 90% of the GET
    /// operations with a body decoded.
    pub fn passes(&self) -> bool {
        self.meets_target() && self.explained()
    }

    /// Whether every exception (of a GET or an error status) is explained.
    pub fn explained(&self) -> bool {
        self.exceptions.iter().all(|(_, c)| c.explained())
            && self
                .statuses
                .iter()
                .all(|(_, r)| r.as_ref().err().is_none_or(Cause::explained))
    }

    /// Whether at least 90% of the GET operations with a body decoded.
    pub fn meets_target(&self) -> bool {
        self.decoded * 10 >= self.with_body() * 9
    }

    /// The GET operations whose answer has a body to decode.
    pub fn with_body(&self) -> usize {
        self.gets - self.bodiless
    }
}

/// Judges the driver's `lines` for `plan` on `spec` (the JSON the client
/// was generated from).
pub fn judge(spec: &Value, plan: &Plan, lines: &[Line]) -> Verdict {
    let ops = operations(spec);
    let mut cache = ValidatorCache::new(spec);
    let mut verdict = Verdict {
        gets: plan.gets.len(),
        ..Verdict::default()
    };
    let bodiless: std::collections::BTreeSet<&str> = plan
        .gets
        .iter()
        .map(|get| match get {
            Ok(call) => call.operation_id.as_str(),
            Err(unplanned) => unplanned.operation.as_str(),
        })
        .filter(|id| {
            ops.iter()
                .find(|o| o.id() == Some(*id))
                .is_some_and(|o| has_no_body(spec, o))
        })
        .collect();
    verdict.bodiless = bodiless.len();
    for get in &plan.gets {
        let call = match get {
            Ok(call) => call,
            Err(unplanned) => {
                let cause = Cause::Client(format!("not called: {}", unplanned.reason));
                verdict
                    .exceptions
                    .push((unplanned.operation.clone(), cause));
                continue;
            }
        };
        let line = lines
            .iter()
            .find(|l| l.phase == "get" && l.operation == call.operation_id);
        let Some(line) = line else {
            let cause = Cause::Client("no answer recorded: the driver stopped before it".into());
            verdict.exceptions.push((call.operation_id.clone(), cause));
            continue;
        };
        if line.outcome != "not_sent" {
            verdict.called += 1;
        }
        if line.outcome == "decoded" {
            // An empty answer read as such is no body decoded: counted
            // among those without one, not against them.
            if !bodiless.contains(call.operation_id.as_str()) {
                verdict.decoded += 1;
            }
            continue;
        }
        let op = ops.iter().find(|o| o.id() == Some(&call.operation_id));
        let cause = get_cause(spec, op, line, &mut cache);
        verdict.exceptions.push((call.operation_id.clone(), cause));
    }
    for probe in &plan.probes {
        let result = probe_result(spec, &ops, probe, lines, &mut cache);
        verdict.statuses.push((probe.status.clone(), result));
    }
    verdict
}

/// A websocket upgrade (dropshot's `x-dropshot-websocket`, or a `101`
/// response), or an operation none of whose responses has a body (3.1
/// allows an operation without responses; reading it, the loader gives it
/// a `default` one without content).
fn has_no_body(spec: &Value, op: &OperationRef<'_>) -> bool {
    let responses = op.responses(spec);
    op.operation.get("x-dropshot-websocket").is_some()
        || responses.iter().all(|(_, r)| r.get("content").is_none())
        || responses.iter().any(|(code, _)| *code == "101")
}

/// Why a GET's answer did not decode.
fn get_cause(
    spec: &Value,
    op: Option<&OperationRef<'_>>,
    line: &Line,
    cache: &mut ValidatorCache,
) -> Cause {
    let reason = line.reason.clone().unwrap_or_default();
    let status = line.status.map_or_else(String::new, |s| format!(" {s}"));
    if let Some(refusal) = prism_refusal(line) {
        return Cause::Prism(refusal);
    }
    match line.outcome.as_str() {
        "not_sent" => Cause::Client(format!("not sent: {reason}")),
        "redirect" => Cause::Prism(format!(
            "Prism's redirect (3xx) has a `Location` it made up, which the client followed: {reason}"
        )),
        "error_decoded" => Cause::Prism(format!(
            "Prism answered the documented error status{status} (decoded as such)"
        )),
        "not_decoded" | "unexpected" => {
            let wanted = |s: &str| s.starts_with('2');
            match breaks_spec(spec, op, &wanted, line, cache)
                .or_else(|| unfollowed_format(spec, op, &wanted, line))
            {
                Some(broken) => Cause::OffSpec(broken),
                None => Cause::Client(format!(
                    "the answer{status} follows the spec, yet did not decode: {}; body: {}",
                    if reason.is_empty() {
                        "undocumented"
                    } else {
                        &reason
                    },
                    short(line.body.as_deref().unwrap_or_default())
                )),
            }
        }
        _ => Cause::Client(format!("{}: {reason}", line.outcome)),
    }
}

/// Whether one of a probe's calls got its status decoded as the
/// documented error, else why not (the last call's cause).
fn probe_result(
    spec: &Value,
    ops: &[OperationRef<'_>],
    probe: &Probe,
    lines: &[Line],
    cache: &mut ValidatorCache,
) -> Result<String, Cause> {
    if probe.candidates.is_empty() {
        return Err(Cause::Client(
            "not asked: only operations with a request body document it".into(),
        ));
    }
    let tried: Vec<&Line> = lines
        .iter()
        .filter(|l| {
            l.phase == "error" && l.asked.as_ref().is_some_and(|a| a.status == probe.status)
        })
        .collect();
    if let Some(ok) = tried
        .iter()
        .find(|l| l.outcome == "error_decoded" && l.status == Some(probe.code))
    {
        return Ok(format!("{} answered {}", ok.operation, probe.code));
    }
    // The first operation tried is the simplest (a GET): its cause is shown.
    let Some(last) = tried.first() else {
        return Err(Cause::Client(
            "no answer recorded: the driver stopped before it".into(),
        ));
    };
    if let Some(refusal) = prism_refusal(last) {
        return Err(Cause::Prism(refusal));
    }
    let op = ops.iter().find(|o| o.id() == Some(&last.operation));
    let documented = |s: &str| s == probe.status;
    let status = last.status.map_or_else(String::new, |s| format!(" {s}"));
    match (last.outcome.as_str(), last.status) {
        ("unexpected" | "not_decoded", Some(s)) if s == probe.code => {
            match breaks_spec(spec, op, &documented, last, cache)
                .or_else(|| unfollowed_format(spec, op, &documented, last))
            {
                Some(broken) => Err(Cause::OffSpec(broken)),
                None => Err(Cause::Client(format!(
                    "{}: the error answer follows the spec, yet did not decode into its documented type; body: {}",
                    last.operation,
                    short(last.body.as_deref().unwrap_or_default())
                ))),
            }
        }
        _ => Err(Cause::Client(format!(
            "{}: asked for {}, got {}{status}: {}",
            last.operation,
            probe.code,
            last.outcome,
            last.reason.as_deref().unwrap_or_default()
        ))),
    }
}

/// Prism's own reason for not serving the call: its `sl-violations` header
/// (the request does not follow the spec) or its problem document.
fn prism_refusal(line: &Line) -> Option<String> {
    let status = line.status.map_or_else(String::new, |s| format!("{s} "));
    if let Some(found) = &line.violations {
        return Some(format!("Prism refused the request: {status}{found}"));
    }
    let body: Value = serde_json::from_str(line.body.as_deref()?).ok()?;
    let kind = body.get("type").and_then(Value::as_str)?;
    if !kind.contains("stoplight.io/prism/errors") {
        return None;
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
    Some(format!(
        "Prism could not answer: {status}{}: {}",
        text("title"),
        text("detail")
    ))
}

/// When the answer's body breaks every JSON schema of the responses
/// `wanted` (by status) of `op`: what breaks it.
fn breaks_spec(
    spec: &Value,
    op: Option<&OperationRef<'_>>,
    wanted: &impl Fn(&str) -> bool,
    line: &Line,
    cache: &mut ValidatorCache,
) -> Option<String> {
    let text = line.body.as_deref().unwrap_or_default();
    let Ok(body) = serde_json::from_str::<Value>(text) else {
        return Some(format!("Prism's answer is not JSON: {}", short(text)));
    };
    let schemas = json_schemas(spec, op?, wanted);
    let mut found = Vec::new();
    for schema in schemas {
        let Ok(validator) = cache.get(schema) else {
            return None;
        };
        let broken = violations(validator, &body);
        if broken.is_empty() {
            return None;
        }
        found.extend(broken);
    }
    if found.is_empty() {
        return None;
    }
    found.truncate(3);
    Some(format!(
        "Prism's answer breaks the spec's schema: {}",
        found.join("; ")
    ))
}

/// The JSON schemas of the responses `wanted` (by status) of `op`.
fn json_schemas<'a>(
    spec: &'a Value,
    op: &OperationRef<'a>,
    wanted: &impl Fn(&str) -> bool,
) -> Vec<&'a Value> {
    op.responses(spec)
        .into_iter()
        .filter(|(s, _)| wanted(s))
        .filter_map(|(_, r)| {
            let content = r.get("content")?.as_object()?;
            let media = content
                .iter()
                .find(|(m, _)| m.starts_with("application/json"))?
                .1;
            resolve(spec, media.get("schema")?)
        })
        .collect()
}

/// When the client's decode error points (`at $.items[0].ip`) at a value
/// whose schema has a `format` the JSON Schema validator does not check
/// (`ip`): Prism, which does not know it either, answered a plain string
/// there, and the client reads the format as typify does.
fn unfollowed_format(
    spec: &Value,
    op: Option<&OperationRef<'_>>,
    wanted: &impl Fn(&str) -> bool,
    line: &Line,
) -> Option<String> {
    let reason = line.reason.as_deref()?;
    let start = reason.find(" at $")? + 4;
    let path = reason[start..].split(": ").next()?;
    let body: Value = serde_json::from_str(line.body.as_deref()?).ok()?;
    let mut schemas = json_schemas(spec, op?, wanted);
    let mut value = Some(&body);
    for step in steps(path) {
        schemas = schemas
            .into_iter()
            .flat_map(|s| expand(spec, s))
            .filter_map(|s| match &step {
                Step::Key(key) => s.get("properties").and_then(|p| p.get(key)),
                Step::Index(_) => s.get("items"),
            })
            .filter_map(|s| resolve(spec, s))
            .collect();
        value = value.and_then(|v| match &step {
            Step::Key(key) => v.get(key),
            Step::Index(i) => v.get(i),
        });
    }
    let format = schemas
        .into_iter()
        .flat_map(|s| expand(spec, s))
        .find_map(|s| s.get("format").and_then(Value::as_str))?;
    Some(format!(
        "Prism answered {} at {path}, whose schema says `format: {format}`, a format Prism does not follow; the client reads it as that format",
        value.map_or_else(|| "a value".to_owned(), Value::to_string)
    ))
}

/// One step of a JSON path (`$.items[0].ip`).
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path
        .trim_start_matches('$')
        .split('.')
        .filter(|p| !p.is_empty())
    {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            steps.push(Step::Key(key.to_owned()));
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(i));
            }
        }
    }
    steps
}

/// A schema and the members of its `allOf`/`oneOf`/`anyOf`, `$ref`s followed.
fn expand<'a>(spec: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
    let mut out = Vec::new();
    let mut todo = vec![schema];
    while let Some(next) = todo.pop() {
        let Some(next) = resolve(spec, next) else {
            continue;
        };
        if out.len() > 64 {
            break;
        }
        out.push(next);
        for key in ["allOf", "oneOf", "anyOf"] {
            todo.extend(
                next.get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
    }
    out
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(300).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prism::plan::{Call, Unplanned};
    use serde_json::json;

    fn spec() -> Value {
        json!({"paths": {"/pets": {"get": {"operationId": "listPets", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema":
                {"type": "array", "items": {"type": "integer"}}}}},
            "404": {"description": "no", "content": {"application/json": {"schema":
                {"type": "object", "required": ["code"], "properties": {"code": {"type": "integer"}}}}}}
        }}}}})
    }

    fn call() -> Call {
        Call {
            operation_id: "listPets".into(),
            method: "list_pets".into(),
            args: Vec::new(),
        }
    }

    fn line(text: Value) -> Line {
        serde_json::from_value(text).unwrap()
    }

    fn plan(probe: bool) -> Plan {
        Plan {
            credentials: Vec::new(),
            query_key: None,
            gets: vec![
                Ok(call()),
                Err(Unplanned {
                    operation: "other".into(),
                    reason: "no builder".into(),
                }),
            ],
            probes: probe
                .then(|| Probe {
                    status: "404".into(),
                    code: 404,
                    candidates: vec![call()],
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn counts_and_an_unplanned_get_fails() {
        let lines = [line(
            json!({"phase": "get", "operation": "listPets", "outcome": "decoded", "status": 200}),
        )];
        let verdict = judge(&spec(), &plan(false), &lines);
        assert_eq!((verdict.gets, verdict.called, verdict.decoded), (2, 1, 1));
        assert!(!verdict.passes());
        assert!(!verdict.meets_target());
    }

    #[test]
    fn a_websocket_has_no_body_to_decode() {
        let spec = json!({"paths": {
            "/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {}}}}}}},
            "/ws": {"get": {"operationId": "ws", "x-dropshot-websocket": {},
                "responses": {"default": {"description": ""}}}},
            "/none": {"get": {"operationId": "none", "responses": {}}},
            "/empty": {"get": {"operationId": "empty",
                "responses": {"default": {"description": "no content"}}}}}});
        let call = |id: &str| {
            Ok(Call {
                operation_id: id.into(),
                method: id.into(),
                args: Vec::new(),
            })
        };
        let plan = Plan {
            credentials: Vec::new(),
            query_key: None,
            gets: vec![call("a"), call("ws"), call("none"), call("empty")],
            probes: Vec::new(),
        };
        let decoded =
            |id: &str| line(json!({"phase": "get", "operation": id, "outcome": "decoded"}));
        let verdict = judge(&spec, &plan, &[decoded("a")]);
        assert_eq!((verdict.gets, verdict.bodiless, verdict.decoded), (4, 3, 1));
        assert!(verdict.meets_target(), "1 of the 1 with a body");
        // An empty answer read as empty is not one more body decoded.
        let verdict = judge(&spec, &plan, &[decoded("a"), decoded("empty")]);
        assert_eq!(
            (verdict.called, verdict.decoded, verdict.with_body()),
            (2, 1, 1)
        );
    }

    #[test]
    fn a_conforming_answer_that_does_not_decode_is_not_explained() {
        let get = |body: &str| {
            line(
                json!({"phase": "get", "operation": "listPets", "outcome": "not_decoded",
                "reason": "bad", "body": body}),
            )
        };
        let mut plan = plan(false);
        plan.gets.pop();
        let conforming = judge(&spec(), &plan, &[get("[1, 2]")]);
        assert!(!conforming.explained(), "{conforming:?}");
        let breaking = judge(&spec(), &plan, &[get(r#"["a"]"#)]);
        assert!(breaking.explained(), "{breaking:?}");
        assert!(!breaking.passes(), "0 of 1 decoded: below 90%");
        assert!(matches!(breaking.exceptions[0].1, Cause::OffSpec(_)));
    }

    #[test]
    fn a_format_prism_does_not_follow_is_explained() {
        let spec = json!({"paths": {"/nics": {"get": {"operationId": "nics", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema":
                {"type": "object", "properties": {"items": {"type": "array", "items":
                    {"allOf": [{"$ref": "#/components/schemas/Nic"}]}}}}}}}}}}},
            "components": {"schemas": {"Nic": {"type": "object", "properties":
                {"ip": {"type": "string", "format": "ip"}, "name": {"type": "string"}}}}}});
        let plan = Plan {
            credentials: Vec::new(),
            query_key: None,
            gets: vec![Ok(Call {
                operation_id: "nics".into(),
                method: "nics".into(),
                args: Vec::new(),
            })],
            probes: Vec::new(),
        };
        let at = |path: &str| {
            line(
                json!({"phase": "get", "operation": "nics", "outcome": "not_decoded",
                "reason": format!("the body does not match the spec at {path}: invalid"),
                "body": r#"{"items": [{"ip": "string", "name": "x"}]}"#}),
            )
        };
        let verdict = judge(&spec, &plan, &[at("$.items[0].ip")]);
        assert!(verdict.explained(), "{verdict:?}");
        assert!(verdict.exceptions[0].1.to_string().contains("`format: ip`"));
        let verdict = judge(&spec, &plan, &[at("$.items[0].name")]);
        assert!(!verdict.explained(), "{verdict:?}");
    }

    #[test]
    fn a_refusal_by_prism_is_explained_and_an_error_status_must_decode() {
        let mut plan = plan(true);
        plan.gets.pop();
        let refused = line(
            json!({"phase": "get", "operation": "listPets", "outcome": "unexpected",
            "status": 422, "violations": "[limit must be integer]", "body": "{}"}),
        );
        let decoded = line(json!({"phase": "error", "operation": "listPets",
            "outcome": "error_decoded", "status": 404, "asked": {"status": "404"}}));
        let verdict = judge(&spec(), &plan, &[refused.clone(), decoded]);
        assert!(verdict.explained(), "{verdict:?}");
        assert!(
            verdict.exceptions[0]
                .1
                .to_string()
                .contains("limit must be integer")
        );
        assert_eq!(verdict.statuses[0].1, Ok("listPets answered 404".into()));
        let undecoded = line(json!({"phase": "error", "operation": "listPets",
            "outcome": "unexpected", "status": 404, "body": r#"{"code": 1}"#,
            "asked": {"status": "404"}}));
        let verdict = judge(&spec(), &plan, &[refused, undecoded]);
        assert!(!verdict.explained(), "{verdict:?}");
    }
}
