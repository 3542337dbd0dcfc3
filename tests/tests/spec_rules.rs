//! The specs' own rules, and their agreement with the published documents,
//! kept in `spec/reference/` (copies of `../shared/api-docs/`, so a clean
//! clone can run them). Each test fails when a spec breaks one rule.

use std::collections::{BTreeMap, BTreeSet};

use masstack_codegen::transactions::Transactions;
use masstack_openapi::examples::{ExampleSite, ExampleValidator, collect, validate_all};
use masstack_openapi::operations::{METHODS, operations, placeholders};
use masstack_openapi::refs::resolve;
use masstack_spec_tests::{load_spec, our_specs, root};
use serde_json::{Value, json};

const V2: &str = "spec/ticketing-v2.yaml";
const OSSJ: &str = "spec/ticketing-ossj.yaml";

const REFERENCE_FILES: [&str; 3] = [
    "README.md",
    "ticketing-v2.txt",
    "ticketing-ossj-overview.txt",
];

fn docs(file: &str) -> String {
    let path = root().join("spec/reference").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the reference text {}: {e}", path.display()))
}

/// The committed copies are the subject, on every clone: `spec/reference/`
/// holds exactly the published files plus `SOURCE.txt`, none empty, and
/// the README's table names each API text. Where the published text sits
/// beside the checkout (a developer machine), the copies must also be the
/// same bytes and cover every published file; a clean CI clone without
/// `../shared/api-docs/` checks the copies only. The test prints which.
#[test]
fn reference_copies_are_complete_and_match_the_published_docs_when_present() {
    fn listing(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
    let mut expected: Vec<&str> = REFERENCE_FILES.to_vec();
    expected.push("SOURCE.txt");
    expected.sort_unstable();
    assert_eq!(
        listing(&root().join("spec/reference")),
        expected,
        "the files of spec/reference/"
    );
    for file in REFERENCE_FILES {
        assert!(
            !docs(file).trim().is_empty(),
            "spec/reference/{file} is empty"
        );
    }
    let readme = docs("README.md");
    let named: BTreeSet<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split_once("` |"))
        .map(|(file, _)| file)
        .collect();
    let texts: BTreeSet<&str> = REFERENCE_FILES
        .into_iter()
        .filter(|f| f.ends_with(".txt"))
        .collect();
    assert_eq!(named, texts, "the API texts the README's table names");

    let published = root().join("../shared/api-docs");
    if !published.is_dir() {
        masstack_testkit::skipped(
            &format!("the comparison with {}", published.display()),
            &format!(
                "it is absent (a clone without ../shared): checked the {} copies in spec/reference/ only",
                REFERENCE_FILES.len()
            ),
            "MASSTACK_REQUIRE_SHARED",
        );
        return;
    }
    let mut sorted = REFERENCE_FILES.to_vec();
    sorted.sort_unstable();
    assert_eq!(
        listing(&published),
        sorted,
        "the published files vs REFERENCE_FILES: copy any new one to spec/reference/"
    );
    for file in REFERENCE_FILES {
        let original = std::fs::read(published.join(file)).unwrap();
        assert!(
            original == docs(file).into_bytes(),
            "spec/reference/{file} differs from ../shared/api-docs/{file}: copy it again"
        );
    }
    println!(
        "compared spec/reference/ with {}: {} files identical",
        published.display(),
        REFERENCE_FILES.len()
    );
}

/// What the reference README says of the v2 text: "N operations in G
/// groups".
fn v2_operations_and_groups() -> (usize, usize) {
    let readme = docs("README.md");
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `ticketing-v2.txt` |"))
        .expect("the README describes ticketing-v2.txt");
    let words: Vec<&str> = row.split_whitespace().collect();
    let (operations, groups) = words
        .windows(5)
        .find_map(|w| match w {
            [n, "operations", "in", g, "groups"] => Some((n.parse().ok()?, g.parse().ok()?)),
            _ => None,
        })
        .expect("`N operations in G groups`");
    (operations, groups)
}

/// Operations counted straight from `paths`: one per HTTP-method key of
/// each path item.
fn operation_count(spec: &Value) -> usize {
    spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum()
}

#[test]
fn both_specs_parse_with_openapiv3_as_3_0_3() {
    for spec in our_specs() {
        let spec = spec.as_str();
        assert_eq!(load_spec(spec).openapi.openapi, "3.0.3", "{spec}");
    }
}

#[test]
fn operation_ids_are_present_unique_and_camel_case() {
    for spec in our_specs() {
        let spec = spec.as_str();
        let spec = load_spec(spec);
        let mut seen = BTreeSet::new();
        for op in operations(&spec.json) {
            let id = op.id().unwrap_or_else(|| {
                panic!(
                    "{}: {} {} has no operationId",
                    spec.name, op.method, op.path
                )
            });
            assert!(
                seen.insert(id.to_owned()),
                "{}: operationId {id} is used twice",
                spec.name
            );
            assert!(
                id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "{}: operationId {id} is not camelCase",
                spec.name
            );
        }
        assert_eq!(
            seen.len(),
            operation_count(&spec.json),
            "{}: operations with an id vs method keys under `paths`",
            spec.name
        );
    }
}

#[test]
fn every_path_placeholder_is_declared_and_every_path_parameter_is_used() {
    for spec in our_specs() {
        let spec = spec.as_str();
        let spec = load_spec(spec);
        for op in operations(&spec.json) {
            let declared: BTreeSet<String> = op
                .parameters(&spec.json)
                .into_values()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            let used: BTreeSet<String> = placeholders(op.path).into_iter().collect();
            assert_eq!(declared, used, "{}: {} {}", spec.name, op.method, op.path);
        }
    }
}

#[test]
fn every_ticketing_provider_header_is_required_and_refers_to_the_shared_enum() {
    let spec = load_spec(V2);
    let ops = operations(&spec.json);
    assert_eq!(ops.len(), operation_count(&spec.json));
    for op in &ops {
        let providers: Vec<&Value> = op
            .parameters(&spec.json)
            .into_values()
            .filter(|p| p["name"] == "ticketing-provider")
            .collect();
        assert_eq!(
            providers.len(),
            1,
            "{:?} must take the ticketing-provider header once",
            op.id()
        );
        let p = providers[0];
        assert_eq!(p["in"], "header", "{:?}", op.id());
        assert_eq!(p["required"], true, "{:?}", op.id());
        assert_eq!(
            p["schema"],
            json!({ "$ref": "#/components/schemas/TicketingProvider" }),
            "{:?}",
            op.id()
        );
    }
    assert_eq!(
        spec.json
            .pointer("/components/schemas/TicketingProvider/enum"),
        Some(&json!(["JAM", "JCC", "TGJ", "JNEXT"]))
    );
}

/// The examples of a document, counted without knowing where OpenAPI allows
/// them: every `example` key and every `examples/<name>/value`, outside
/// example values themselves and outside `x-` extensions (whose `example`
/// fields, as in `x-transactions`, name schemas and are not examples).
fn example_count(node: &Value) -> usize {
    match node {
        Value::Array(items) => items.iter().map(example_count).sum(),
        Value::Object(map) => map
            .iter()
            .map(|(key, child)| match key.as_str() {
                "example" => 1,
                "examples" => child.as_object().map_or(0, |named| {
                    named.values().filter(|e| e.get("value").is_some()).count()
                }),
                k if k.starts_with("x-") => 0,
                _ => example_count(child),
            })
            .sum(),
        _ => 0,
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    for spec in our_specs() {
        let spec = spec.as_str();
        let spec = load_spec(spec);
        let sites = collect(&spec.json);
        assert_eq!(
            sites.len(),
            example_count(&spec.json),
            "{}: example sites found vs `example` keys in the document",
            spec.name
        );
        let problems = validate_all(&spec.name, &spec.json);
        assert!(
            problems.is_empty(),
            "{}",
            masstack_codegen::error::render(&problems)
        );
    }
}

/// The example check is real: a broken example, or a null where the spec
/// does not allow one, is caught; a null where it is `nullable` is not.
#[test]
fn example_validation_catches_mistakes_and_honours_nullable() {
    let spec = load_spec(V2);
    let mut v = ExampleValidator::new(&spec.json);
    let site = |schema: Value, value: Value| ExampleSite {
        pointer: "#/test".into(),
        schema,
        value,
    };
    let error = json!({ "$ref": "#/components/schemas/ErrorResponse" });
    assert!(v.check(&site(error.clone(), json!({"code": "0003", "status": "UNAUTHORIZED", "message": "Unauthorized", "detailMsg": null}))).is_ok());
    assert!(
        v.check(&site(
            error.clone(),
            json!({"code": 3, "status": "UNAUTHORIZED", "message": "Unauthorized"})
        ))
        .is_err()
    );
    assert!(
        v.check(&site(
            error,
            json!({"code": "0003", "status": "UNAUTHORIZED", "message": null})
        ))
        .is_err()
    );
    let provider = json!({ "$ref": "#/components/schemas/TicketingProvider" });
    assert!(v.check(&site(provider.clone(), json!("JAM"))).is_ok());
    assert!(v.check(&site(provider, json!("JIRA"))).is_err());
}

fn curl_requests(text: &str) -> Vec<(String, String, Option<Value>)> {
    let mut out = Vec::new();
    for block in text.split("curl -X ").skip(1) {
        let (method, rest) = block.split_once(' ').unwrap();
        let url = rest.trim_start_matches('\'').split('\'').next().unwrap();
        let path = url.trim_start_matches("https://ticketing.sta.masstack.com");
        let path = path.split('?').next().unwrap();
        let path = path
            .split('/')
            .map(|seg| match seg.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => seg.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/")
            .replace("/orgs/yoigo/", "/orgs/{org}/");
        let body = rest.split_once("--data-raw '").map(|(_, b)| {
            let json = &b[..b.find("}'").or_else(|| b.find("]'")).unwrap() + 1];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
        });
        out.push((method.to_lowercase(), path, body));
    }
    out
}

/// Each documented curl line is an operation of the spec with that method
/// and path, its request body example is the documented one, and there is
/// no operation the documents do not have.
#[test]
fn v2_has_exactly_the_27_documented_operations_and_request_examples() {
    let spec = load_spec(V2);
    let curls = curl_requests(&docs("ticketing-v2.txt"));
    let (documented_count, _) = v2_operations_and_groups();
    assert_eq!(
        curls.len(),
        documented_count,
        "the README counts {documented_count} operations; one curl line each"
    );
    let ops: BTreeMap<(String, String), &Value> = operations(&spec.json)
        .into_iter()
        .map(|op| ((op.method.to_owned(), op.path.to_owned()), op.operation))
        .collect();
    let documented: BTreeSet<(String, String)> = curls
        .iter()
        .map(|(m, p, _)| (m.clone(), p.clone()))
        .collect();
    let specified: BTreeSet<(String, String)> = ops.keys().cloned().collect();
    assert_eq!(documented, specified);
    for (method, path, body) in &curls {
        let op = ops[&(method.clone(), path.clone())];
        let example = op
            .get("requestBody")
            .and_then(|b| resolve(&spec.json, b))
            .and_then(|b| b.pointer("/content/application~1json/example"));
        assert_eq!(
            example,
            body.as_ref(),
            "{method} {path}: request example differs from the documented curl body"
        );
    }
}

#[test]
fn v2_tags_servers_and_security_are_as_documented() {
    let spec = load_spec(V2);
    let tags: Vec<&str> = spec.json["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    // The text opens with its table of resources: `| Ticket | Ticket operations |`.
    let text = docs("ticketing-v2.txt");
    let resources: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "|---|---|")
        .skip(1)
        .map_while(|l| l.strip_prefix("| ")?.split(" |").next())
        .collect();
    let (_, groups) = v2_operations_and_groups();
    assert_eq!(resources.len(), groups, "the README counts {groups} groups");
    assert_eq!(tags, resources);
    for op in operations(&spec.json) {
        let op_tags = op.operation["tags"].as_array().unwrap();
        assert_eq!(op_tags.len(), 1, "{:?}", op.id());
        assert!(
            tags.contains(&op_tags[0].as_str().unwrap()),
            "{:?}",
            op.id()
        );
        assert!(op.path.starts_with("/v2/"), "{}", op.path);
        assert!(
            op.operation
                .get("security")
                .is_none_or(|s| s == &json!([{ "bearerAuth": [] }])),
            "{:?}",
            op.id()
        );
    }
    assert_eq!(
        spec.json["servers"][0]["url"],
        "https://ticketing.sta.masstack.com"
    );
    assert_eq!(spec.json["security"], json!([{ "bearerAuth": [] }]));
    let scheme = &spec.json["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(
        (
            scheme["type"].as_str(),
            scheme["scheme"].as_str(),
            scheme["bearerFormat"].as_str()
        ),
        (Some("http"), Some("bearer"), Some("JWT"))
    );
    let ia: Vec<_> = operations(&spec.json)
        .into_iter()
        .filter(|op| op.path.contains("/ia/"))
        .collect();
    // The README: "The two IA operations".
    assert_eq!(ia.len(), 2);
    for op in ia {
        assert_eq!(
            op.operation["x-required-role"],
            "ticketing-mas.ticketing.access.allowed",
            "{:?}",
            op.id()
        );
        assert_eq!(
            op.operation["x-required-permission"],
            "ticketing.ticket.iaSummary",
            "{:?}",
            op.id()
        );
    }
}

/// Every error response uses the shared `ErrorResponse`, with `detailMsg`
/// nullable, and every documented error example is attached.
#[test]
fn v2_errors_share_one_schema_and_carry_the_documented_examples() {
    let spec = load_spec(V2);
    let examples = BTreeMap::from([
        (
            "400",
            json!({"code": "0015", "status": "BAD_REQUEST", "message": "Bad Request", "detailMsg": "detail message about the error"}),
        ),
        (
            "401",
            json!({"code": "0003", "status": "UNAUTHORIZED", "message": "Unauthorized", "detailMsg": null}),
        ),
        (
            "404",
            json!({"code": "0004", "status": "NOT_FOUND", "message": "Not found", "detailMsg": "Resource not found"}),
        ),
        (
            "500",
            json!({"code": "0002", "status": "UNEXPECTED", "message": "Unexpected Error", "detailMsg": null}),
        ),
    ]);
    assert_eq!(
        spec.json
            .pointer("/components/schemas/ErrorResponse/properties/detailMsg/nullable"),
        Some(&json!(true))
    );
    for op in operations(&spec.json) {
        let responses = op.operation["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|c| c.starts_with('2')),
            "{:?} has no success response",
            op.id()
        );
        for (code, response) in responses.iter().filter(|(c, _)| !c.starts_with('2')) {
            let response = resolve(&spec.json, response).unwrap();
            let media = &response["content"]["application/json"];
            assert_eq!(
                media["schema"],
                json!({"$ref": "#/components/schemas/ErrorResponse"}),
                "{:?} {code}",
                op.id()
            );
            assert_eq!(
                Some(&media["example"]),
                examples.get(code.as_str()),
                "{:?} {code}",
                op.id()
            );
        }
    }
}

#[test]
fn ossj_servers_and_create_body_are_as_published() {
    let spec = load_spec(OSSJ);
    let overview = docs("ticketing-ossj-overview.txt");
    let servers: Vec<(&str, &str, &str)> = spec.json["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["description"].as_str().unwrap(),
                s["url"].as_str().unwrap(),
                s["x-published-url"].as_str().unwrap(),
            )
        })
        .collect();
    // The overview's table `production | https://.../ |`, in its order. The
    // published spelling, with its trailing slash, is kept beside the URL
    // the linters accept.
    let published: Vec<(&str, &str, &str)> = overview
        .lines()
        .skip_while(|l| *l != "Environment | Base Path |")
        .skip(2)
        .map_while(|l| {
            let (environment, rest) = l.split_once(" | ")?;
            let url = rest.strip_suffix(" |")?;
            Some((environment, url.trim_end_matches('/'), url))
        })
        .collect();
    assert_eq!(servers, published);
    assert_eq!(servers.len(), 2, "the README: production and staging");
    assert_eq!(spec.json["security"], json!([{ "bearerAuth": [] }]));
    let create = &spec.json["components"]["schemas"]["TroubleTicketCreate"];
    let required: BTreeSet<&str> = create["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        BTreeSet::from([
            "baseTroubleTicketState",
            "mirrorKey",
            "dialog",
            "troubleType",
            "troubleDescription",
            "troubleDetectionTime",
            "preferredPriority",
            "troubledObject"
        ])
    );
    let props = &create["properties"];
    for (field, limit) in [
        ("baseTroubleTicketState", 15),
        ("mirrorKey", 255),
        ("dialog", 4000),
        ("troubleType", 35),
        ("troubleDescription", 1000),
        ("troubledObject", 100),
    ] {
        assert_eq!(props[field]["maxLength"], limit, "{field}");
    }
    assert_eq!(
        props["baseTroubleTicketState"]["enum"],
        json!(["OPENACTIVE"])
    );
    assert_eq!(props["troubleDetectionTime"]["format"], "date-time");
    assert_eq!(
        (
            props["preferredPriority"]["minimum"].as_i64(),
            props["preferredPriority"]["maximum"].as_i64()
        ),
        (Some(1), Some(3))
    );
    // The README's table: the required fields, then these optional ones.
    let optional = [
        "customerTroubleNum",
        "homeId",
        "gescal37ID",
        "wh1Parameter",
        "wh2Parameter",
        "wh3Parameter",
        "wh4Parameter",
        "wh5Parameter",
        "customer",
        "clearencePerson",
        "attachments",
    ];
    let all: BTreeSet<&str> = props
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(all, required.iter().copied().chain(optional).collect());
}

/// One row of the overview's transaction table.
struct OverviewRow {
    code: String,
    name_es: String,
    name_en: String,
    /// `None` where the text is cut off (TU10).
    to: Option<String>,
    /// `None` where the cell is empty or cut off.
    example: Option<String>,
}

/// The overview's transaction table, parsed from the text. The rendered
/// text broke `Envía` into `EnvÃa`; that one spelling is repaired.
fn overview_transactions() -> Vec<OverviewRow> {
    let overview = docs("ticketing-ossj-overview.txt");
    overview
        .lines()
        .skip_while(|l| {
            *l != "ID Code | Transactions | baseTroubleTicketState | Example JSON request body |"
        })
        .skip(2)
        .map_while(|line| {
            let cells: Vec<&str> = line.strip_suffix('|')?.split('|').map(str::trim).collect();
            let name = cells.get(1)?.replace("EnvÃa", "Envía");
            let (name_es, name_en) = name.strip_suffix(')')?.rsplit_once(" (")?;
            let cell = |i: usize| {
                cells
                    .get(i)
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string())
            };
            Some(OverviewRow {
                code: cells[0].to_owned(),
                name_es: name_es.to_owned(),
                name_en: name_en.to_owned(),
                to: cell(2),
                example: cell(3),
            })
        })
        .collect()
}

/// The state-flow diagram's arrow labels that the README names besides
/// the table's.
fn diagram_labels() -> Vec<String> {
    let readme = docs("README.md");
    let (_, rest) = readme
        .split_once("The state-flow diagram's labels also name:")
        .expect("the README names the diagram's labels");
    let (labels, _) = rest.split_once('.').unwrap();
    labels
        .split(';')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The transaction table as lint hands it on: it passes lint (every state,
/// role, operation and example schema it names exists), its states are the
/// published ones, and each example moves the ticket where it says.
#[test]
fn ossj_transaction_table_names_existing_states_and_example_schemas() {
    let spec = load_spec(OSSJ);
    let (model, problems) = masstack_codegen::lint::transactions::check(&spec);
    assert_eq!(problems, vec![], "the lifecycle passes lint");
    let model = model.expect("the OSSJ spec declares a lifecycle");
    let schemas = spec.json["components"]["schemas"].as_object().unwrap();
    let states: BTreeSet<&str> = model.states.iter().map(String::as_str).collect();
    // The states are the resulting states of the published table.
    let overview = overview_transactions();
    let published_states: BTreeSet<&str> =
        overview.iter().filter_map(|r| r.to.as_deref()).collect();
    assert_eq!(states, published_states);

    let roles: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(roles, ["TU", "TO"]);
    for t in &model.list {
        let id = &t.id;
        for (key, name) in [("name_es", &t.name_es), ("name_en", &t.name_en)] {
            assert!(!name.is_empty(), "{id}: {key}");
        }
        if let Some(example) = &t.example {
            let value = &schemas[example]["example"];
            let state = value["baseTroubleTicketState"].as_str().unwrap();
            match &t.to {
                Some(to) => assert_eq!(
                    state, to,
                    "{id}: its example must move the ticket to the resulting state"
                ),
                None => assert!(
                    t.from.iter().any(|f| f == state),
                    "{id}: an unchanged-state example must carry a state it starts from"
                ),
            }
        }
    }
    // The published rows first, in the table's order, then one row per
    // extra arrow of the diagram.
    let ids: Vec<&str> = model.list.iter().map(|t| t.id.as_str()).collect();
    let published: Vec<&str> = overview.iter().map(|r| r.code.as_str()).collect();
    let first: Vec<&str> = ids.iter().take(published.len()).copied().collect();
    assert_eq!(first, published);
    assert_eq!(ids.len(), published.len() + diagram_labels().len());
}

/// Each x-transaction is either a row of the overview's table, with its
/// exact names, state and example, or one of the diagram's extra arrows
/// (marked inferred); every row and every arrow is there once.
#[test]
fn ossj_transaction_names_and_states_match_the_overview() {
    let spec = load_spec(OSSJ);
    let model = Transactions::parse(&spec)
        .expect("the lifecycle parses")
        .expect("the OSSJ spec declares a lifecycle");
    let overview = overview_transactions();
    let mut matched = BTreeSet::new();
    let mut from_diagram = BTreeSet::new();
    for t in &model.list {
        let id = t.id.as_str();
        let Some(row) = overview.iter().find(|r| r.code == id) else {
            assert!(t.inferred, "{id} is not in the table");
            assert!(from_diagram.insert(t.name_en.clone()), "{id}: twice");
            continue;
        };
        assert_eq!(t.name_en, row.name_en, "{id}: English name");
        assert_eq!(t.name_es, row.name_es, "{id}: Spanish name");
        match &row.to {
            Some(to) => assert_eq!(t.to.as_ref(), Some(to), "{id}: resulting state"),
            // Cut off in the text: the spec must say what it made of it.
            None => assert!(t.inferred, "{id}: the state is cut off"),
        }
        match &row.example {
            Some(example) => assert_eq!(t.example.as_ref(), Some(example), "{id}: example"),
            None => assert!(t.example.is_some(), "{id}: example schema"),
        }
        assert!(matched.insert(id), "{id}: twice");
    }
    let published: BTreeSet<&str> = overview.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(matched, published, "x-transactions vs the overview's rows");
    let labels: BTreeSet<String> = diagram_labels().into_iter().collect();
    assert_eq!(
        from_diagram, labels,
        "the other x-transactions vs the diagram's labels"
    );
}

/// The generated rustdoc comes from the spec's descriptions: every
/// operation, every component schema and every inline property has one.
#[test]
fn every_operation_schema_and_property_is_described() {
    fn properties(schema: &Value, at: &str, missing: &mut Vec<String>) {
        if schema.get("$ref").is_some() {
            return;
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let here = format!("{at}/properties/{name}");
                if prop.get("$ref").is_none() && prop.get("description").is_none() {
                    missing.push(here.clone());
                }
                properties(prop, &here, missing);
            }
        }
        if let Some(items) = schema.get("items") {
            properties(items, &format!("{at}/items"), missing);
        }
    }
    for spec in our_specs() {
        let spec = spec.as_str();
        let json = &load_spec(spec).json;
        let mut missing = Vec::new();
        for op in operations(json) {
            let described = ["description", "summary"]
                .iter()
                .any(|k| op.operation.get(*k).is_some());
            if !described {
                missing.push(op.pointer.clone());
            }
        }
        let schemas = json
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let at = format!("#/components/schemas/{name}");
            if schema.get("description").is_none() {
                missing.push(at.clone());
            }
            properties(schema, &at, &mut missing);
        }
        assert!(missing.is_empty(), "{spec}: no description at {missing:#?}");
    }
}
