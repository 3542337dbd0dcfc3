//! The refinement passes against progenitor's real output for the
//! workspace's specs: each finds everything the spec says it must rewrite,
//! and a piece of that output taken away fails generation as an internal
//! error naming the pass and the operation or type, never silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use masstack_codegen::generate::client::{self, Companion, Unrefined};
use masstack_codegen::generate::refine::{self, Problem, Report, ShapeError};
use masstack_codegen::manifest::{self, DEFAULT_PATH};
use masstack_codegen::{Error, Extra, LoadedSpec, Output, adapt, fixes, load};
use syn::visit_mut::{self, VisitMut};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every output of the workspace's manifest, with its spec as generated.
fn outputs() -> Vec<(Output, LoadedSpec)> {
    let root = root();
    let manifest = manifest::load(&root, DEFAULT_PATH).unwrap_or_else(|e| panic!("{e}"));
    manifest
        .outputs
        .into_iter()
        .map(|output| {
            let spec = load::load(&root, &output.spec).unwrap_or_else(|e| panic!("{e}"));
            let spec = fixes::apply(&root, DEFAULT_PATH, &output.fixes, spec)
                .unwrap_or_else(|e| panic!("{e}"));
            (output, spec)
        })
        .collect()
}

/// The spec as the adapt stage hands it to progenitor.
fn adapted(output: &Output, spec: &LoadedSpec) -> adapt::Adapted {
    adapt::adapt(output, spec.clone()).unwrap_or_else(|e| panic!("{e}"))
}

fn unrefined(output: &Output, spec: &LoadedSpec) -> Unrefined {
    let adapted = adapted(output, spec);
    client::unrefined(DEFAULT_PATH, output, &adapted.spec, &adapted.status_enums)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn refined(
    output: &Output,
    spec: &LoadedSpec,
    unrefined: &mut Unrefined,
) -> Result<Report, ShapeError> {
    let plans = adapted(output, spec).status_enums;
    let refinements = client::refinements(DEFAULT_PATH, output, &plans).unwrap();
    refine::apply(&mut unrefined.client, &unrefined.expected, &refinements)
}

/// The error of a refinement that must fail, or a panic naming the pass
/// that let the change through.
fn must_fail(result: Result<Report, ShapeError>, pass: &str) -> ShapeError {
    match result {
        Ok(_) => panic!("pass `{pass}` accepted progenitor's output with a piece missing"),
        Err(error) => error,
    }
}

/// The items a pass reported, which must be `expected`.
fn assert_found(report: &Report, pass: &str, expected: &BTreeSet<String>, spec: &str) {
    let rewrites = report
        .pass(pass)
        .unwrap_or_else(|| panic!("{spec}: pass `{pass}` did not run"));
    let found: BTreeSet<String> = rewrites.by_item.keys().cloned().collect();
    assert!(
        found.is_superset(expected),
        "{spec}: pass `{pass}` missed {:?}",
        expected.difference(&found).collect::<Vec<_>>()
    );
    assert!(
        rewrites.by_item.values().sum::<usize>() > 0,
        "{spec}: pass `{pass}` rewrote nothing"
    );
}

/// When progenitor-impl or typify is bumped, this names the first pass and
/// operation or type whose code changed shape.
#[test]
fn every_pass_finds_what_the_spec_expects() {
    // The published outputs use every setting these passes serve; the
    // compromises fixture is checked on its own below.
    let published = outputs()
        .into_iter()
        .filter(|(o, _)| o.extras.contains(&Extra::Cli));
    for (output, spec) in published {
        let mut progenitor = unrefined(&output, &spec);
        let report = refined(&output, &spec, &mut progenitor)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let expected = &progenitor.expected;
        let operations: BTreeSet<String> = expected.operation_ids.iter().cloned().collect();
        assert!(!operations.is_empty() && !expected.data_types.is_empty());
        assert_found(&report, "operation_id", &operations, &spec.name);
        assert_found(&report, "decode", &operations, &spec.name);
        assert_found(&report, "non_exhaustive", &expected.data_types, &spec.name);
        assert_found(&report, "feature_derives", &expected.data_types, &spec.name);
        assert_found(&report, "open_enums", &expected.string_enums, &spec.name);

        let tokens = client::companion(&mut progenitor.generator, &spec, Companion::Cli, "crate")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut cli: syn::File = syn::parse2(tokens).unwrap();
        let refinements = client::refinements(DEFAULT_PATH, &output, &Default::default()).unwrap();
        let (report, _) = refine::apply_cli(&mut cli, expected, &refinements)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        assert_found(&report, "cli_body", &operations, &spec.name);
    }
}

/// The compromises fixture: every status enum the adapt stage planned is
/// written, and every operation's statuses are routed.
#[test]
fn the_status_enums_of_the_compromises_fixture_are_all_written() {
    let (output, spec) = outputs()
        .into_iter()
        .find(|(o, _)| o.name == "fixture-compromises")
        .expect("the fixture output");
    let plans = adapted(&output, &spec).status_enums;
    let enums: BTreeSet<String> = plans
        .values()
        .flat_map(|p| p.success.iter().chain(&p.error))
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(enums.len(), 4, "{enums:?}");
    let mut progenitor = unrefined(&output, &spec);
    let report = refined(&output, &spec, &mut progenitor).unwrap_or_else(|e| panic!("{e}"));
    assert_found(&report, "status_enums", &enums, &spec.name);
    let operations: BTreeSet<String> = progenitor.expected.operation_ids.iter().cloned().collect();
    assert_found(&report, "decode", &operations, &spec.name);
}

fn v2() -> (Output, LoadedSpec) {
    outputs()
        .into_iter()
        .find(|(o, _)| o.name == "ticketing-v2")
        .expect("the ticketing-v2 output")
}

/// In the function whose `OperationInfo` names `method`, the status
/// `match` becomes `todo!()`.
struct DropStatusMatch<'a> {
    method: &'a str,
    dropped: usize,
}

impl VisitMut for DropStatusMatch<'_> {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let names_it = node.block.stmts.iter().any(|stmt| {
            let syn::Stmt::Local(local) = stmt else {
                return false;
            };
            let Some(init) = &local.init else { return false };
            let syn::Expr::Struct(info) = &*init.expr else {
                return false;
            };
            info.path.is_ident("OperationInfo")
                && info.fields.iter().any(|f| {
                    matches!(&f.expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == self.method)
                })
        });
        if names_it
            && let Some(syn::Stmt::Expr(tail @ syn::Expr::Match(_), None)) =
                node.block.stmts.last_mut()
        {
            *tail = syn::parse_quote!(todo!());
            self.dropped += 1;
        }
        visit_mut::visit_impl_item_fn_mut(self, node);
    }
}

/// The done-when: progenitor's status `match` of `getTicket` gone,
/// generation fails as an internal error naming the pass and the operation.
#[test]
fn an_operation_without_its_status_match_is_an_internal_error_naming_it() {
    let (output, spec) = v2();
    let mut progenitor = unrefined(&output, &spec);
    let mut drop = DropStatusMatch {
        method: "get_ticket",
        dropped: 0,
    };
    drop.visit_file_mut(&mut progenitor.client);
    assert_eq!(
        drop.dropped, 1,
        "getTicket's status match in progenitor's output"
    );

    let error = must_fail(refined(&output, &spec, &mut progenitor), "decode");
    assert_eq!(
        (error.pass, error.item.as_str(), &error.problem),
        ("decode", "getTicket", &Problem::NoStatusMatch)
    );
    let message = match Error::from(error) {
        Error::Internal(message) => message,
        other => panic!("not an internal error: {other}"),
    };
    assert!(
        message.contains("pass `decode` found no status `match` in operation `getTicket`"),
        "{message}"
    );
}

/// Removes the refusing `_ => Err(..)` arm of `E`'s `FromStr`.
struct DropRefusal<'a>(&'a str, usize);

impl VisitMut for DropRefusal<'_> {
    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        let for_it = matches!(&*node.self_ty, syn::Type::Path(p) if p.path.is_ident(self.0));
        let from_str = node
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .is_some_and(|s| s.ident == "FromStr");
        if for_it && from_str {
            visit_mut::visit_item_impl_mut(self, node);
        }
    }

    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        let before = node.arms.len();
        node.arms
            .retain(|arm| !matches!(arm.pat, syn::Pat::Wild(_)));
        self.1 += before - node.arms.len();
    }
}

#[test]
fn an_open_enum_without_its_from_str_refusal_is_named() {
    let (output, spec) = v2();
    let mut progenitor = unrefined(&output, &spec);
    let name = progenitor
        .expected
        .string_enums
        .first()
        .cloned()
        .expect("a string enum in ticketing-v2");
    let mut drop = DropRefusal(&name, 0);
    drop.visit_file_mut(&mut progenitor.client);
    assert_eq!(drop.1, 1, "{name}'s refusing arm in typify's output");

    let error = must_fail(refined(&output, &spec, &mut progenitor), "open_enums");
    assert_eq!(
        (error.pass, error.item.as_str(), &error.problem),
        ("open_enums", name.as_str(), &Problem::FromStrArms(0))
    );
}

/// Removes the derive lists of the type `name`.
struct DropDerives<'a>(&'a str, usize);

impl VisitMut for DropDerives<'_> {
    fn visit_item_struct_mut(&mut self, node: &mut syn::ItemStruct) {
        if node.ident == self.0 {
            let before = node.attrs.len();
            node.attrs.retain(|a| !a.path().is_ident("derive"));
            self.1 += before - node.attrs.len();
        }
    }
}

#[test]
fn a_data_type_without_its_derives_is_named() {
    let (output, spec) = v2();
    let mut progenitor = unrefined(&output, &spec);
    let mut drop = DropDerives("Ticket", 0);
    drop.visit_file_mut(&mut progenitor.client);
    assert!(drop.1 > 0, "Ticket's derives in typify's output");

    let error = must_fail(refined(&output, &spec, &mut progenitor), "non_exhaustive");
    assert_eq!(
        (error.pass, error.item.as_str()),
        ("non_exhaustive", "Ticket")
    );
    assert!(matches!(error.problem, Problem::NoDerive(_)), "{error}");
}
