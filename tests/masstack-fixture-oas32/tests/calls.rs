//! The client of an OpenAPI 3.2 spec (`tests/fixtures/versions/oas32.yaml`)
//! called as a caller would: the `query` operation is sent with the HTTP
//! `QUERY` method (never as `POST`), its criteria in the body, and its
//! generated httpmock helper matches that method.

use httpmock::{Method, MockServer};
use masstack_fixture_oas32::mock::MockServerExt;
use masstack_fixture_oas32::types::{Pet, PetQuery};
use masstack_fixture_oas32::{Client, ClientConfig};
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::from_config(ClientConfig::new(server.base_url()).no_proxy()).unwrap()
}

#[tokio::test]
async fn a_query_operation_is_sent_with_the_query_method() {
    let server = MockServer::start_async().await;
    let as_post = server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/pets");
            then.status(500);
        })
        .await;
    let as_query = server
        .mock_async(|when, then| {
            when.is_true(|request: &httpmock::HttpMockRequest| request.method_str() == "QUERY")
                .path("/pets")
                .json_body(json!({"species": "dog"}));
            then.status(200)
                .json_body(json!([{"name": "Rex", "species": "dog"}]));
        })
        .await;
    let pets = client(&server)
        .search_pets()
        .body(PetQuery::builder().species(Some("dog".to_owned())))
        .send()
        .await
        .unwrap()
        .into_inner();
    as_query.assert_async().await;
    as_post.assert_calls_async(0).await;
    assert_eq!(pets[0].name, "Rex");
}

#[tokio::test]
async fn the_generated_mock_of_a_query_operation_matches_query() {
    let server = MockServer::start_async().await;
    let fido: Pet = Pet::builder().name("Fido").try_into().unwrap();
    let searched = server.search_pets(|_when, then| {
        then.ok(&vec![fido]);
    });
    let pets = client(&server)
        .search_pets()
        .body(PetQuery::builder())
        .send()
        .await
        .unwrap()
        .into_inner();
    searched.assert();
    assert_eq!(pets[0].name, "Fido");
}
