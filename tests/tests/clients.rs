//! The generated clients as a downstream team uses them: the typed httpmock
//! helpers of both crates, the operation ids the hooks see, and the
//! API version each crate's version records.

use httpmock::MockServer;
use masstack_openapi::operations::operations;
use masstack_spec_tests::{load_spec, root};
use masstack_ticketing::types::{Ticket, TicketingProvider};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_v2_mock_helpers_fake_an_operation_with_typed_values() {
    use masstack_ticketing::mock::MockServerExt;
    let server = MockServer::start();
    let ticket: Ticket = serde_json::from_value(serde_json::json!({
        "key": "INST-7902", "project": "INST", "summary": "Cita - Y28257924", "customFields": null
    }))
    .unwrap();
    let mock = server.get_ticket(|when, then| {
        when.org("yoigo")
            .ticket_id("INST-7902")
            .ticketing_provider(TicketingProvider::Jam);
        then.ok(&ticket);
    });
    let client = masstack_ticketing::Client::from_config(
        masstack_ticketing::ClientConfig::new(server.base_url()).bearer_token("t"),
    )
    .unwrap();
    let got = runtime()
        .block_on(
            client
                .get_ticket()
                .org("yoigo")
                .ticket_id("INST-7902")
                .ticketing_provider(TicketingProvider::Jam)
                .send(),
        )
        .unwrap()
        .into_inner();
    mock.assert();
    assert_eq!(got, ticket);
}

#[test]
fn the_ossj_mock_helpers_fake_an_error_with_typed_values() {
    use masstack_ticketing_ossj::mock::MockServerExt;
    use masstack_ticketing_ossj::types::ErrorResponse;
    let server = MockServer::start();
    let error: ErrorResponse = serde_json::from_value(serde_json::json!({
        "code": "0004", "status": "NOT_FOUND", "message": "Not found", "detailMsg": null
    }))
    .unwrap();
    let mock = server.get_trouble_ticket(|when, then| {
        when.ticket_id("INST-1");
        then.not_found(&error);
    });
    let client = masstack_ticketing_ossj::Client::from_config(
        masstack_ticketing_ossj::ClientConfig::new(server.base_url()).bearer_token("t"),
    )
    .unwrap();
    let got = runtime().block_on(client.get_trouble_ticket().ticket_id("INST-1").send());
    mock.assert();
    match got {
        Err(masstack_ticketing_ossj::Error::ErrorResponse(e)) => assert_eq!(e.into_inner(), error),
        other => panic!("{other:?}"),
    }
}

/// Hooks and spans see the spec's operationId: the codegen puts it in every
/// `OperationInfo` (progenitor passes its method name). Each operation of
/// each spec must appear exactly once, and nothing else.
#[test]
fn every_operation_info_names_a_spec_operation_id() {
    for output in masstack_spec_tests::manifest().outputs {
        // As adapted: an operation without an id is named from its method
        // and path.
        let spec = masstack_codegen::adapt::adapt(&output, load_spec(&output.spec))
            .unwrap_or_else(|e| panic!("{e}"))
            .spec;
        let mut in_spec: Vec<String> = operations(&spec.json)
            .iter()
            .filter_map(|op| op.id())
            .map(str::to_owned)
            .collect();
        in_spec.sort();
        let client = std::fs::read_to_string(root().join(output.file("client.rs"))).unwrap();
        let mut in_code: Vec<String> = client
            .split("operation_id: \"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect();
        in_code.sort();
        assert!(!in_spec.is_empty(), "{}", output.spec);
        assert_eq!(in_code, in_spec, "{}", output.file("client.rs"));
    }
}

/// A crate's version carries the spec's `info.version` as build metadata
/// (`0.1.0+api.2.0.0`), so a dependency line says which API it speaks.
#[test]
fn each_crate_version_records_its_api_version() {
    let crates = [
        ("crates/masstack-ticketing/Cargo.toml", <masstack_ticketing::Client as masstack_ticketing::ClientInfo<_>>::api_version()),
        (
            "crates/masstack-ticketing-ossj/Cargo.toml",
            <masstack_ticketing_ossj::Client as masstack_ticketing_ossj::ClientInfo<_>>::api_version(),
        ),
    ];
    for (manifest, api_version) in crates {
        let text = std::fs::read_to_string(root().join(manifest)).unwrap();
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .unwrap();
        let metadata = version.split_once('+').map(|(_, m)| m);
        assert_eq!(
            metadata,
            Some(format!("api.{api_version}").as_str()),
            "{manifest}"
        );
    }
}
