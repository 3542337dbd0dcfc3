//! The client of a Swagger 2.0 spec (`tests/fixtures/versions/swagger2.yaml`)
//! called as a caller would: `host` and `basePath` are its server, a
//! `formData` body is a form or a multipart builder, `type: file` is bytes
//! both ways, `x-nullable` is an `Option`, and a `csv` query array is sent
//! as one joined value.

use httpmock::{Method, MockServer};
use masstack_fixture_swagger2::multipart::UploadPhotoParts;
use masstack_fixture_swagger2::types::{AddPetBody, Pet};
use masstack_fixture_swagger2::{Client, ClientConfig, Environment, Error};
use serde_json::json;

/// A client of the mock server, under 2.0's `basePath`.
fn client(server: &MockServer) -> Client {
    Client::from_config(ClientConfig::new(format!("{}/v1", server.base_url())).no_proxy()).unwrap()
}

#[test]
fn host_base_path_and_scheme_are_the_server() {
    assert_eq!(Environment::ALL, &[Environment::Pets]);
    assert_eq!(Environment::Pets.base_url(), "https://pets.example.com/v1");
}

#[tokio::test]
async fn a_csv_query_array_is_one_joined_value_and_x_nullable_an_option() {
    let server = MockServer::start_async().await;
    let found = server
        .mock_async(|when, then| {
            when.method(Method::GET)
                .path("/v1/pets")
                .query_param("tags", "dog,small")
                .query_param("limit", "2");
            then.status(200)
                .json_body(json!([{"name": "Rex", "tag": null}, {"name": "Fido", "tag": "dog"}]));
        })
        .await;
    let pets = client(&server)
        .find_pets()
        .tags(["dog", "small"].join(","))
        .limit(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    found.assert_async().await;
    let tags: Vec<Option<&str>> = pets.iter().map(|p: &Pet| p.tag.as_deref()).collect();
    assert_eq!(tags, [None, Some("dog")]);
}

#[tokio::test]
async fn a_form_data_body_of_text_is_sent_url_encoded() {
    let server = MockServer::start_async().await;
    let added = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/pets")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("name=Rex&tag=dog");
            then.status(201)
                .json_body(json!({"name": "Rex", "tag": "dog"}));
        })
        .await;
    let pet = client(&server)
        .add_pet()
        .body(
            AddPetBody::builder()
                .name("Rex")
                .tag(Some("dog".to_owned())),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    added.assert_async().await;
    assert_eq!(pet.name, "Rex");
}

#[tokio::test]
async fn a_form_data_body_with_a_file_is_multipart_and_its_error_typed() {
    let server = MockServer::start_async().await;
    let stored = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/v1/pets/rex/photo")
                .header_matches("content-type", "^multipart/form-data; boundary=")
                .body_includes("name=\"caption\"\r\n\r\nAt the beach")
                .body_includes("name=\"file\"")
                .body_includes("PNG-BYTES");
            then.status(201)
                .json_body(json!({"caption": "At the beach", "bytes": 4}));
        })
        .await;
    let photo = client(&server)
        .upload_photo()
        .pet_id("rex")
        .body(
            UploadPhotoParts::new()
                .caption("At the beach")
                .file(b"PNG-BYTES".to_vec()),
        )
        .send()
        .await
        .unwrap()
        .into_inner();
    stored.assert_async().await;
    assert_eq!((photo.caption.as_str(), photo.bytes), ("At the beach", 4));

    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/v1/pets/nobody/photo");
            then.status(404)
                .json_body(json!({"message": "no such pet"}));
        })
        .await;
    let refused = client(&server)
        .upload_photo()
        .pet_id("nobody")
        .body(UploadPhotoParts::new().caption("x").file(Vec::new()))
        .send()
        .await;
    match refused {
        Err(Error::ErrorResponse(e)) => assert_eq!(e.into_inner().message, "no such pet"),
        other => panic!("404 is the spec's `Error`: {other:?}"),
    }
}

#[tokio::test]
async fn a_file_response_is_bytes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/v1/pets/rex/photo");
            then.status(200)
                .header("content-type", "image/png")
                .body(b"\x89PNG\r\n".as_slice());
        })
        .await;
    let mut stream = client(&server)
        .get_photo()
        .pet_id("rex")
        .send()
        .await
        .unwrap()
        .into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx)).await
    {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(bytes, b"\x89PNG\r\n");
}
