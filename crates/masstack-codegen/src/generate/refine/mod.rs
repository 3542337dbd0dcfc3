//! Adjustments to progenitor's output that progenitor has no setting for,
//! made on the parsed syntax tree before formatting, one pass per module:
//!
//! - `operation_info`: `OperationInfo::operation_id` is the spec's
//!   operationId;
//! - `decode`: responses are read by the manifest's `decode` module;
//! - `methods`: operations of a method progenitor cannot name (3.2's
//!   `query`) send it, in the client and the httpmock helpers;
//! - `null_default`: defaulted fields also read `null` as absent;
//! - `data_types`: `#[non_exhaustive]`, and `feature_derives` under
//!   `cfg_attr(feature = …)`;
//! - [`super::open_enums`]: string enums keep unlisted values;
//! - `cli` ([`apply_cli`]): the CLI's `--json-body` handling;
//! - `loose_args` ([`apply_cli`], [`apply_mock`]): parameters the CLI or
//!   the httpmock helpers cannot take as typed, in a looser form;
//! - `features` (last): per-tag cargo features gate each operation and the
//!   types only its tags use.
//!
//! Each pass knows what the spec makes progenitor generate (its
//! operations, typify's types) and counts what it rewrote per operation or
//! type ([`Report`]); when something it must rewrite is not there, or it
//! meets code of a shape it does not know, it fails with a [`ShapeError`]
//! naming itself and the operation or type: progenitor-impl or typify
//! changed their output, and the pass must follow.

mod cli;
mod data_types;
mod decode;
pub(crate) mod derives;
mod features;
pub mod loose_args;
pub mod media;
pub mod methods;
mod null_default;
mod operation_info;
pub mod report;
mod status_enums;
mod syntax;

use std::collections::BTreeSet;

use typify::{TypeDetails, TypeEnumVariant, TypeSpace, TypeSpaceImpl};

use crate::load::LoadedSpec;
pub use data_types::FeatureDerive;
pub use operation_info::method_name;
pub use report::{Problem, Report, Rewrites, ShapeError};

/// What to change, from the manifest.
#[derive(Clone, Default)]
pub struct Refinements {
    /// Module path of the decoding functions (`masstack_client_runtime::decode`).
    pub decode: Option<syn::Path>,
    /// Derives (as written in `derives`) that need a crate feature.
    pub feature_derives: Vec<FeatureDerive>,
    /// Module of `read_body` / `parse_body` for the generated CLI.
    pub cli_body: Option<syn::Path>,
    /// Data types (those that derive serde's traits) get `#[non_exhaustive]`.
    pub non_exhaustive: bool,
    /// String enums keep values the spec does not list ([`super::open_enums`]).
    pub open_enums: bool,
    /// The per-status enums the adapt stage planned, by operationId.
    pub status_enums: crate::adapt::status_enums::Plans,
    /// The `JsonSchema` derive of `derives`, and the feature gating it.
    pub schema_derive: Option<(syn::Path, Option<String>)>,
    /// Per-tag features: what compiles each operation.
    pub tag_features: Option<crate::tag_features::TagFeatures>,
}

/// What the spec makes progenitor and typify generate: what the passes
/// must find.
#[derive(Clone, Debug, Default)]
pub struct Expected {
    /// The spec's operationIds, in document order.
    pub operation_ids: Vec<String>,
    /// The types typify generates (structs, enums, newtypes).
    pub data_types: BTreeSet<String>,
    /// Those of them that are string enums (every variant a plain value).
    pub string_enums: BTreeSet<String>,
    /// The media types the adapt stage presented as others, by operationId.
    pub media: media::Plans,
    /// Those of them that implement `FromStr` (clap parses them).
    pub from_str: BTreeSet<String>,
    /// Those of them that implement `Display` (httpmock matches their text).
    pub display: BTreeSet<String>,
    /// The operations sent with a method progenitor cannot name.
    pub methods: methods::Methods,
}

impl Expected {
    /// Reads the expectations off the spec and the types typify made of it.
    pub fn new(spec: &LoadedSpec, types: &TypeSpace) -> Self {
        let mut expected = Self {
            operation_ids: spec
                .openapi
                .operations()
                .filter_map(|(_, _, op)| op.operation_id.clone())
                .collect(),
            media: media::plans(&spec.json),
            methods: methods::plans(&spec.json),
            ..Self::default()
        };
        for ty in types.iter_types() {
            let string_enum = match ty.details() {
                TypeDetails::Enum(e) => e
                    .variants()
                    .all(|(_, v)| matches!(v, TypeEnumVariant::Simple)),
                TypeDetails::Struct(_) | TypeDetails::Newtype(_) => false,
                _ => continue,
            };
            if string_enum {
                expected.string_enums.insert(ty.name());
            }
            if ty.has_impl(TypeSpaceImpl::FromStr) {
                expected.from_str.insert(ty.name());
            }
            if ty.has_impl(TypeSpaceImpl::Display) {
                expected.display.insert(ty.name());
            }
            expected.data_types.insert(ty.name());
        }
        expected
    }
}

/// Applies the refinements to a client file; reports what each pass
/// rewrote.
pub fn apply(
    file: &mut syn::File,
    expected: &Expected,
    refinements: &Refinements,
) -> Result<Report, ShapeError> {
    let mut report = Report::default();
    if refinements.open_enums {
        let schema_feature = refinements
            .feature_derives
            .iter()
            .find(|(path, _)| derives::ends_with(path, "JsonSchema"))
            .map(|(_, feature)| feature.as_str());
        let opened = super::open_enums::apply(file, schema_feature, &expected.string_enums)?;
        report.passes.push(opened);
    }
    let ids = &expected.operation_ids;
    report.passes.push(operation_info::apply(file, ids)?);
    if !expected.methods.is_empty() {
        report.passes.push(methods::apply(file, &expected.methods)?);
    }
    if let Some(decode) = &refinements.decode {
        report
            .passes
            .push(decode::apply(file, decode, ids, &refinements.status_enums)?);
        report.passes.push(null_default::apply(file, decode)?);
    }
    report.passes.extend(data_types::apply(
        file,
        refinements.non_exhaustive,
        &refinements.feature_derives,
        &expected.data_types,
    )?);
    report.passes.push(media::apply(file, &expected.media)?);
    report.passes.push(status_enums::apply(
        file,
        &refinements.status_enums,
        &expected.data_types,
        refinements.schema_derive.as_ref(),
    )?);
    // Last: it gates what the other passes added too.
    if let Some(plan) = &refinements.tag_features {
        let all = plan.features.keys().cloned().collect();
        report
            .passes
            .push(features::apply(file, &plan.operations, &all, &plan.always)?);
    }
    Ok(report)
}

/// Applies the CLI refinements to progenitor's `cli.rs`; the options
/// given a looser type than their parameter's.
pub fn apply_cli(
    file: &mut syn::File,
    expected: &Expected,
    refinements: &Refinements,
) -> Result<(Report, Vec<loose_args::Loosened>), ShapeError> {
    let ids = &expected.operation_ids;
    let mut passes = cli::apply(file, ids, refinements.cli_body.as_ref())?;
    let (args, loosened) = loose_args::apply_cli(file, ids, &expected.from_str)?;
    passes.push(args);
    Ok((Report { passes }, loosened))
}

/// Applies the refinements to progenitor's httpmock helpers (`mock.rs`);
/// the matchers given a looser form than their parameter's type.
pub fn apply_mock(
    file: &mut syn::File,
    expected: &Expected,
) -> Result<(Report, Vec<loose_args::Loosened>), ShapeError> {
    let (params, loosened) =
        loose_args::apply_mock(file, &expected.operation_ids, &expected.display)?;
    let mut passes = vec![params];
    if !expected.methods.is_empty() {
        passes.push(methods::apply_mock(file, &expected.methods)?);
    }
    Ok((Report { passes }, loosened))
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;
    use syn::parse_quote;

    use super::*;

    fn expected(ids: &[&str], types: &[&str]) -> Expected {
        Expected {
            operation_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            data_types: types.iter().map(|s| (*s).to_owned()).collect(),
            string_enums: BTreeSet::new(),
            media: media::Plans::new(),
            from_str: BTreeSet::new(),
            methods: methods::Methods::new(),
            display: BTreeSet::new(),
        }
    }

    fn refinements(decode: bool, gate: bool) -> Refinements {
        Refinements {
            decode: decode.then(|| parse_quote!(rt::decode)),
            feature_derives: if gate {
                vec![(parse_quote!(schemars::JsonSchema), "cli".to_owned())]
            } else {
                Vec::new()
            },
            ..Refinements::default()
        }
    }

    fn refined(
        code: TokenStream,
        expected: &Expected,
        r: &Refinements,
    ) -> Result<String, ShapeError> {
        let mut file: syn::File = syn::parse2(code).unwrap();
        apply(&mut file, expected, r)?;
        Ok(prettyplease::unparse(&file))
    }

    #[test]
    fn operation_info_carries_the_operation_id() {
        let ids = expected(&["getTicket"], &[]);
        let out = refined(
            quote! { fn f() { let info = OperationInfo { operation_id: "get_ticket" }; } },
            &ids,
            &refinements(false, false),
        )
        .unwrap();
        assert!(out.contains(r#"operation_id: "getTicket""#), "{out}");
        let err = refined(
            quote! { fn f() { let info = OperationInfo { operation_id: "delete_all" }; } },
            &ids,
            &refinements(false, false),
        )
        .unwrap_err();
        assert_eq!(
            (err.pass, err.item.as_str()),
            ("operation_id", "delete_all")
        );
        let err = refined(quote! { fn f() {} }, &ids, &refinements(false, false)).unwrap_err();
        assert_eq!(err.problem, Problem::NoOperationInfo, "{err}");
    }

    /// One operation: its `OperationInfo` and its status `match` with `arms`.
    fn operation(method: &str, arms: TokenStream) -> TokenStream {
        quote! {
            async fn send() {
                let info = OperationInfo { operation_id: #method };
                match response.status().as_u16() { #arms }
            }
        }
    }

    #[test]
    fn responses_are_routed_to_the_decode_module() {
        let mut code = operation(
            "send_x",
            quote! {
                201u16 => { ResponseValue::from_response(response).await }
                400u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }
                _ => Err(Error::UnexpectedResponse(response)),
            },
        );
        code.extend(operation(
            "delete_x",
            quote! {
                204u16 => { Ok(ResponseValue::empty(response)) }
                _ => Err(Error::UnexpectedResponse(response)),
            },
        ));
        code.extend(operation(
            "raw_x",
            quote! {
                200..=299 => { Ok(ResponseValue::stream(response)) }
                _ => Err(Error::UnexpectedResponse(response)),
            },
        ));
        code.extend(operation(
            "upgrade_x",
            quote! {
                101u16 => { ResponseValue::upgrade(response).await }
                200..=299 => { ResponseValue::upgrade(response).await }
                _ => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
            },
        ));
        let ids = expected(&["sendX", "deleteX", "rawX", "upgradeX"], &[]);
        let mut file: syn::File = syn::parse2(code.clone()).unwrap();
        let report = apply(&mut file, &ids, &refinements(true, false)).unwrap();
        let out = prettyplease::unparse(&file);
        let expected = [
            "201u16 => rt::decode::success(response).await,",
            "Err(Error::ErrorResponse(rt::decode::error(response).await?))",
            "_ => rt::decode::undocumented(response).await,",
            "_ => rt::decode::undocumented_empty(response).await,",
            "_ => Err(Error::UnexpectedResponse(response)),",
        ];
        for line in expected {
            assert!(out.contains(line), "missing `{line}` in\n{out}");
        }
        assert!(!out.contains("from_response"), "{out}");
        let counts = &report.pass("decode").unwrap().by_item;
        let counts: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        // The spec's `default` error (the last arm) is a documented error.
        assert_eq!(
            counts,
            [("deleteX", 1), ("rawX", 0), ("sendX", 3), ("upgradeX", 1)]
        );
        // Without the setting, progenitor's code stays.
        let out = refined(code, &ids, &refinements(false, false)).unwrap();
        assert!(
            out.contains("ResponseValue::from_response(response)"),
            "{out}"
        );
    }

    #[test]
    fn an_operation_without_its_status_match_fails_naming_it() {
        let code = quote! { fn f() { let info = OperationInfo { operation_id: "get_ticket" }; } };
        let err = refined(
            code,
            &expected(&["getTicket"], &[]),
            &refinements(true, false),
        )
        .unwrap_err();
        assert_eq!(
            (err.pass, err.item.as_str(), err.problem),
            ("decode", "getTicket", Problem::NoStatusMatch)
        );
        let ids = expected(&["getTicket"], &[]);
        let arms = quote! { _ => Err(Error::UnexpectedResponse(response)), };
        let mut twice = operation("get_ticket", arms.clone());
        let status_match = quote! { match r.status().as_u16() { #arms } };
        twice = quote! { #twice fn stray() { #status_match } };
        let err = refined(twice, &ids, &refinements(true, false)).unwrap_err();
        assert_eq!(
            (err.kind, err.item.as_str(), err.problem),
            ("function", "stray", Problem::StatusMatchOutsideOperation)
        );
        let info = quote! { let info = OperationInfo { operation_id: "get_ticket" }; };
        let two = quote! { fn send() { #info #status_match; #status_match } };
        let err = refined(two, &ids, &refinements(true, false)).unwrap_err();
        assert_eq!(err.problem, Problem::StatusMatches(2), "{err}");
    }

    #[test]
    fn a_response_arm_of_unknown_shape_fails_naming_the_operation() {
        let ids = expected(&["getTicket"], &[]);
        for arms in [
            quote! { 200u16 => { ResponseValue::from_json(response).await } },
            quote! { 404u16 => { Ok(ResponseValue::empty(response)) } },
            quote! { _ => Err(Error::Other(response)), },
            quote! { x if x > 500 => Err(Error::UnexpectedResponse(response)), },
        ] {
            let code = operation("get_ticket", arms);
            let err = refined(code, &ids, &refinements(true, false)).unwrap_err();
            assert_eq!((err.pass, err.item.as_str()), ("decode", "getTicket"));
            assert!(matches!(err.problem, Problem::UnknownArm(_)), "{err}");
        }
        let mixed = operation(
            "get_ticket",
            quote! {
                200u16 => { ResponseValue::from_response(response).await }
                204u16 => { Ok(ResponseValue::empty(response)) }
            },
        );
        let err = refined(mixed, &ids, &refinements(true, false)).unwrap_err();
        assert_eq!(err.problem, Problem::MixedSuccess);
    }

    #[test]
    fn defaulted_fields_read_null_as_absent() {
        let code = quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Ticket {
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub components: Vec<Component>,
                #[serde(default = "defaults::x")]
                pub x: i64,
                #[serde(rename = "key")]
                pub key: String,
            }
            #[derive(::serde::Serialize)]
            pub struct Out {
                #[serde(default)]
                pub y: Vec<i64>,
            }
        };
        let out = refined(code, &expected(&[], &[]), &refinements(true, false)).unwrap();
        assert!(
            out.contains(
                r#"#[serde(
        default,
        skip_serializing_if = "::std::vec::Vec::is_empty",
        deserialize_with = "rt::decode::null_as_default"
    )]
    pub components"#
            ),
            "{out}"
        );
        assert_eq!(out.matches("null_as_default").count(), 1, "{out}");
    }

    #[test]
    fn the_json_body_conflicts_with_body_fields_and_is_read_strictly() {
        let code = quote! {
            impl<T: CliConfig> Cli<T> {
                pub fn cli_create_ticket() -> ::clap::Command {
                    ::clap::Command::new("")
                        .arg(::clap::Arg::new("summary").long("summary"))
                        .arg(::clap::Arg::new("org").long("org"))
                        .arg(::clap::Arg::new("json-body").long("json-body").required(false))
                }
                pub fn cli_get_ticket() -> ::clap::Command {
                    ::clap::Command::new("").arg(::clap::Arg::new("org").long("org"))
                }
                pub async fn execute_create_ticket(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    let mut request = self.client.create_ticket();
                    if let Some(value) = matches.get_one::<::std::string::String>("summary") {
                        request = request.body_map(|body| { body.summary(value.clone()) });
                    }
                    if let Some(value) = matches.get_one::<::std::string::String>("org") {
                        request = request.org(value.clone());
                    }
                    if let Some(value) = matches.get_one::<std::path::PathBuf>("json-body") {
                        let body_txt = std::fs::read_to_string(value)?;
                        let body_value = serde_json::from_str::<types::Ticket>(&body_txt)?;
                        request = request.body(body_value);
                    }
                    Ok(())
                }
                pub async fn execute_get_ticket(&self, matches: &::clap::ArgMatches) -> anyhow::Result<()> {
                    Ok(())
                }
            }
        };
        let mut file: syn::File = syn::parse2(code).unwrap();
        let refinements = Refinements {
            cli_body: Some(parse_quote!(rt::cli)),
            ..Refinements::default()
        };
        let ids = expected(&["createTicket", "getTicket"], &[]);
        let (report, _) = apply_cli(&mut file, &ids, &refinements).unwrap();
        let out = prettyplease::unparse(&file);
        let squeezed: String = out.split_whitespace().collect();
        for expected in [
            r#".required(false).conflicts_with_all(["summary"])"#,
            "rt::cli::read_body(value)",
            "rt::cli::parse_body::<types::Ticket>(&body_txt)",
        ] {
            assert!(squeezed.contains(expected), "missing {expected} in {out}");
        }
        assert_eq!(out.matches("conflicts_with_all").count(), 1, "{out}");
        let reads = &report.pass("cli_body").unwrap().by_item;
        assert_eq!(reads.get("createTicket"), Some(&2));
        assert_eq!(reads.get("getTicket"), Some(&0));
        // progenitor renamed `execute_*`: the operation is named.
        let mut file: syn::File = syn::parse2(quote! { fn cli_get_ticket() {} }).unwrap();
        let err = apply_cli(&mut file, &expected(&["getTicket"], &[]), &refinements).unwrap_err();
        assert_eq!(
            (err.item.as_str(), err.problem),
            ("getTicket", Problem::NoCliMethod)
        );
    }

    #[test]
    fn feature_derives_move_under_cfg_attr() {
        let code = quote! {
            #[derive(::serde::Deserialize, Clone, schemars::JsonSchema)]
            #[serde(untagged)]
            #[schemars(rename = "X")]
            pub enum X { A }
            #[derive(schemars::JsonSchema)]
            pub struct Y;
        };
        let types = expected(&[], &["X", "Y"]);
        let out = refined(code.clone(), &types, &refinements(false, true)).unwrap();
        let expected_x = r#"#[derive(::serde::Deserialize, Clone)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[cfg_attr(feature = "cli", schemars(rename = "X"))]
pub enum X {"#;
        assert!(out.contains(expected_x), "{out}");
        assert!(
            out.contains(
                "#[cfg_attr(feature = \"cli\", derive(schemars::JsonSchema))]\npub struct Y;"
            ),
            "{out}"
        );
        assert!(!out.contains("#[derive()]"), "{out}");
        // A type of the spec whose derive list lacks the derive is named.
        let types = expected(&[], &["X", "Y", "Z"]);
        let err = refined(code, &types, &refinements(false, true)).unwrap_err();
        assert_eq!((err.pass, err.item.as_str()), ("feature_derives", "Z"));
        assert!(matches!(err.problem, Problem::NoDerive(_)), "{err}");
    }

    #[test]
    fn a_hand_written_json_schema_impl_is_gated_and_edition_2024_clean() {
        let types = expected(&[], &["BlockSize"]);
        let out = refined(
            quote! {
                #[derive(::serde::Serialize)]
                pub struct BlockSize(i64);
                impl ::schemars::JsonSchema for BlockSize {
                    fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                        <i64 as ::schemars::JsonSchema>::json_schema(gen)
                    }
                }
            },
            &types,
            &refinements(false, true),
        )
        .unwrap();
        assert!(
            out.contains("#[cfg(feature = \"cli\")]\nimpl ::schemars::JsonSchema for BlockSize"),
            "{out}"
        );
        assert!(!out.contains(" gen") && out.contains("r#gen"), "{out}");
    }
}
