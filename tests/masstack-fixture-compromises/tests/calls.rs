//! Each generated method of the compromises fixture called against a mock
//! server, its result matched as a caller would: every documented status
//! lands in its own variant with its own body type, and what the spec does
//! not document keeps the whole answer.

use httpmock::{Method, MockServer};
use masstack_fixture_compromises::types::{
    DeletePetError, GetPetError, GetPetResponse, Pet, RegisterPetResponse,
};
use masstack_fixture_compromises::{Client, ClientConfig, Error};
use serde_json::json;

fn client(server: &MockServer) -> Client {
    Client::from_config(ClientConfig::new(server.base_url()).no_proxy()).unwrap()
}

/// `GET /pets/rex` answers `status` with `body` (JSON, or none).
async fn get_pet(
    status: u16,
    body: Option<serde_json::Value>,
) -> Result<GetPetResponse, Error<GetPetError>> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/pets/rex");
            let then = then.status(status);
            if let Some(body) = body {
                then.header("content-type", "application/json")
                    .json_body(body);
            }
        })
        .await;
    client(&server)
        .get_pet()
        .pet_id("rex")
        .send()
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn a_success_enum_reads_each_2xx_status_into_its_variant() {
    match get_pet(200, Some(json!({"name": "Rex", "species": "dog"}))).await {
        Ok(GetPetResponse::Ok(Pet { name, species, .. })) => {
            assert_eq!((name.as_str(), species.as_deref()), ("Rex", Some("dog")));
        }
        other => panic!("200 is `GetPetResponse::Ok(Pet)`: {other:?}"),
    }
    match get_pet(204, None).await {
        Ok(GetPetResponse::NoContent) => {}
        other => panic!("204 is `GetPetResponse::NoContent`: {other:?}"),
    }
}

#[tokio::test]
async fn an_error_enum_reads_each_error_status_into_its_variant() {
    match get_pet(404, Some(json!({"message": "no such pet"}))).await {
        Err(Error::ErrorResponse(e)) => match e.into_inner() {
            GetPetError::NotFound(error) => assert_eq!(error.message, "no such pet"),
            other => panic!("404 is `GetPetError::NotFound`: {other:?}"),
        },
        other => panic!("404 is an error response: {other:?}"),
    }
    let invalid = json!({"message": "bad id", "errors": ["petId: too long"]});
    match get_pet(422, Some(invalid)).await {
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 422);
            match e.into_inner() {
                GetPetError::UnprocessableEntity(v) => assert_eq!(v.errors, ["petId: too long"]),
                other => panic!("422 is `GetPetError::UnprocessableEntity`: {other:?}"),
            }
        }
        other => panic!("422 is an error response: {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_the_documented_type_is_kept_whole() {
    // A proxy's HTML page where the spec documents `BasicError`.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/pets/rex");
            then.status(404)
                .header("content-type", "text/html")
                .body("<h1>gateway</h1>");
        })
        .await;
    match client(&server).get_pet().pet_id("rex").send().await {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status().as_u16(), 404);
            assert_eq!(response.text().await.unwrap(), "<h1>gateway</h1>");
        }
        other => panic!("an HTML 404 is kept as an unexpected response: {other:?}"),
    }
    // A status the spec does not document, 2xx included: nothing guessed.
    match get_pet(206, Some(json!({"name": "Rex"}))).await {
        Err(Error::UnexpectedResponse(response)) => assert_eq!(response.status().as_u16(), 206),
        other => panic!("206 is not documented: {other:?}"),
    }
}

/// `DELETE /pets/rex` answers `status` with `body` of `content_type`.
async fn delete_pet(
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<(), Error<DeletePetError>> {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::DELETE).path("/pets/rex");
            then.status(status)
                .header("content-type", content_type)
                .body(body);
        })
        .await;
    client(&server)
        .delete_pet()
        .pet_id("rex")
        .send()
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn exact_codes_win_over_ranges_and_a_default_is_the_other_errors() {
    assert!(delete_pet(204, "text/plain", "").await.is_ok());
    match delete_pet(409, "application/json", r#"{"appointments": 2}"#).await {
        Err(Error::ErrorResponse(e)) => match e.into_inner() {
            DeletePetError::Conflict(c) => assert_eq!(c.appointments, 2),
            other => panic!("409 is `Conflict`, not the 4XX default: {other:?}"),
        },
        other => panic!("409: {other:?}"),
    }
    match delete_pet(503, "text/plain", "back at 14:00").await {
        Err(Error::ErrorResponse(e)) => match e.into_inner() {
            DeletePetError::ServiceUnavailable(text) => assert_eq!(text, b"back at 14:00"),
            other => panic!("503 is its plain-text body: {other:?}"),
        },
        other => panic!("503: {other:?}"),
    }
    // `default` beside a 2xx status: the error of every status not listed.
    match delete_pet(418, "application/json", r#"{"message": "teapot"}"#).await {
        Err(Error::ErrorResponse(e)) => match e.into_inner() {
            DeletePetError::ClientError(error) => assert_eq!(error.message, "teapot"),
            other => panic!("418 is the default's 4XX: {other:?}"),
        },
        other => panic!("418: {other:?}"),
    }
    match delete_pet(502, "application/json", r#"{"message": "upstream"}"#).await {
        Err(Error::ErrorResponse(e)) => match e.into_inner() {
            DeletePetError::ServerError(error) => assert_eq!(error.message, "upstream"),
            other => panic!("502 is the default's 5XX: {other:?}"),
        },
        other => panic!("502: {other:?}"),
    }
}

#[tokio::test]
async fn created_and_accepted_are_told_apart() {
    let server = MockServer::start_async().await;
    let created = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/pets")
                .json_body(json!({"name": "Rex"}));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(json!({"name": "Rex"}));
        })
        .await;
    let pet = Pet::builder().name("Rex");
    match client(&server)
        .register_pet()
        .body(pet)
        .send()
        .await
        .map(|r| r.into_inner())
    {
        Ok(RegisterPetResponse::Created(pet)) => assert_eq!(pet.name, "Rex"),
        other => panic!("201 is `Created(Pet)`: {other:?}"),
    }
    created.assert_async().await;
    created.delete_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path("/pets");
            then.status(202)
                .header("content-type", "application/json")
                .json_body(json!({"ticket": "T-1"}));
        })
        .await;
    match client(&server)
        .register_pet()
        .body(Pet::builder().name("Rex"))
        .send()
        .await
        .map(|r| r.into_inner())
    {
        Ok(RegisterPetResponse::Accepted(ticket)) => assert_eq!(ticket.ticket, "T-1"),
        other => panic!("202 is `Accepted(Ticket)`: {other:?}"),
    }
}

#[tokio::test]
async fn an_operation_without_an_id_is_named_from_its_method_and_path() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/pets");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!([{"name": "Rex", "links": {"vet": "https://vet.example"}}]));
        })
        .await;
    let pets = client(&server)
        .get_pets()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(pets.len(), 1);
    // `Links` is loosened (typed without its unknown `format`): still a map.
    let links = pets[0].links.as_ref().expect("links");
    assert_eq!(
        links.get("vet").map(String::as_str),
        Some("https://vet.example")
    );
}

#[tokio::test]
async fn a_multipart_body_is_built_from_its_parts() {
    let server = MockServer::start_async().await;
    let upload = server
        .mock_async(|when, then| {
            when.method(Method::POST)
                .path("/pets/rex/photo")
                .header_matches("content-type", "^multipart/form-data; boundary=")
                .body_includes("name=\"photo\"")
                .body_includes("fake-png-bytes")
                .body_includes("name=\"caption\"")
                .body_includes("on the sofa");
            then.status(204);
        })
        .await;
    let parts = masstack_fixture_compromises::multipart::UploadPhotoParts::new()
        .photo(b"fake-png-bytes".to_vec())
        .caption("on the sofa");
    let sent = client(&server)
        .upload_photo()
        .pet_id("rex")
        .body(parts)
        .send()
        .await;
    assert!(sent.is_ok(), "{sent:?}");
    upload.assert_async().await;
    // The required part left out: refused before anything is sent.
    let missing = client(&server)
        .upload_photo()
        .pet_id("rex")
        .body(masstack_fixture_compromises::multipart::UploadPhotoParts::new().caption("x"))
        .send()
        .await;
    match missing {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("`photo`"), "{message}"),
        other => panic!("a missing required part is an invalid request: {other:?}"),
    }
    upload.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_xml_body_is_sent_as_text_with_its_content_type() {
    let server = MockServer::start_async().await;
    let put = server
        .mock_async(|when, then| {
            when.method(Method::PUT)
                .path("/pets/rex/record")
                .header("content-type", "application/xml")
                .body("<record><vaccinated>true</vaccinated></record>");
            then.status(204);
        })
        .await;
    let sent = client(&server)
        .put_record()
        .pet_id("rex")
        .body("<record><vaccinated>true</vaccinated></record>")
        .send()
        .await;
    assert!(sent.is_ok(), "{sent:?}");
    put.assert_async().await;
}
