//! The client of an OpenAPI 3.1 spec (`tests/fixtures/versions/oas31.yaml`)
//! called as a caller would: a type list with `null` and pydantic's
//! `anyOf: [X, {type: null}]` are `Option`s, `const` a one-value enum,
//! numeric `exclusiveMinimum: 0` a non-zero integer, a `$defs` schema a
//! named type, and a webhook's payload a type for the receiver (no client
//! method).

use std::num::NonZeroU64;

use httpmock::{Method, MockServer};
use masstack_fixture_oas31::types::{Owner, Pet, PetAdoptedWebhook, PetKind, Vaccination};
use masstack_fixture_oas31::{Client, ClientConfig};
use serde_json::json;

#[tokio::test]
async fn the_3_1_schema_constructs_are_typed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/pets/7");
            then.status(200).json_body(json!({
                "id": 7,
                "kind": "dog",
                "name": "Rex",
                "nickname": null,
                "owner": {"name": "Ada", "phone": "+44 20 7946 0000"},
                "vaccinations": [{"vaccine": "rabies", "date": "2026-03-01"}]
            }));
        })
        .await;
    let client = Client::from_config(ClientConfig::new(server.base_url()).no_proxy()).unwrap();
    let pet: Pet = client
        .get_pet()
        .pet_id(NonZeroU64::new(7).unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(pet.id.get(), 7);
    assert_eq!(pet.kind, PetKind::Dog);
    let nickname: Option<String> = pet.nickname;
    assert_eq!(nickname, None);
    let owner: Option<Owner> = pet.owner;
    assert_eq!(owner.map(|o| o.name), Some("Ada".to_owned()));
    let vaccinations: Vec<Vaccination> = pet.vaccinations;
    assert_eq!(vaccinations[0].vaccine, "rabies");
    assert_eq!(vaccinations[0].date.to_string(), "2026-03-01");
}

/// The output's `open_enums` keeps a value the spec does not list.
#[tokio::test]
async fn a_value_other_than_the_const_is_kept_as_unknown() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path("/pets/8");
            then.status(200).json_body(json!({
                "id": 8, "kind": "cat", "name": "Tom", "nickname": "T", "vaccinations": []
            }));
        })
        .await;
    let client = Client::from_config(ClientConfig::new(server.base_url()).no_proxy()).unwrap();
    let pet = client
        .get_pet()
        .pet_id(NonZeroU64::new(8).unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(pet.kind, PetKind::Unknown("cat".to_owned()));
    assert_eq!(pet.nickname.as_deref(), Some("T"));
}

/// A receiver of the `petAdopted` webhook reads its payload with the
/// generated type; the client has no method for it (it is not an
/// operation the client calls).
#[test]
fn a_webhook_payload_is_a_type_for_the_receiver() {
    let payload: PetAdoptedWebhook =
        serde_json::from_value(json!({"petId": 7, "adopter": "Ada"})).unwrap();
    assert_eq!((payload.pet_id, payload.adopter.as_str()), (7, "Ada"));
    assert!(serde_json::from_value::<PetAdoptedWebhook>(json!({"petId": 7})).is_err());
}
