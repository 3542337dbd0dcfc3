//! progenitor's CLI (`cli.rs`):
//! - `--json-body` conflicts with the per-field options of the same body
//!   (progenitor lets the file silently replace them): pass `cli_conflicts`;
//! - with `cli_body`, body files are read by that module's `read_body`
//!   (`-` is standard input) and parsed by its `parse_body`, which refuses
//!   fields the body type does not have instead of dropping them: pass
//!   `cli_body`;
//! - a spec without operations (only webhooks) has an empty `CliCommand`,
//!   whose `operation_id(&self)` matches `self`, a reference, with no arm,
//!   which does not compile: it matches `*self` (pass `cli_empty`).

use std::collections::BTreeMap;

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Lit, parse_quote};

use super::operation_info::method_name;
use super::report::{Problem, Rewrites, ShapeError};
use super::syntax::path_is;

/// The option that reads the whole body from a file.
const JSON_BODY: &str = "json-body";

/// Rewrites the CLI; every one of `operation_ids` must have its
/// `execute_*` method there.
pub fn apply(
    file: &mut syn::File,
    operation_ids: &[String],
    cli_body: Option<&syn::Path>,
) -> Result<Vec<Rewrites>, ShapeError> {
    let by_method: BTreeMap<String, String> = operation_ids
        .iter()
        .map(|id| (method_name(id), id.clone()))
        .collect();
    let mut fields = BodyFields::default();
    // Reads only; syn's read-only visitor is a feature this crate does not need otherwise.
    fields.visit_file_mut(file);
    let mut pass = CliPass {
        by_method,
        body_fields: fields.by_method,
        cli_body,
        operation: None,
        conflicts: Rewrites::new("cli_conflicts", "operation"),
        reads: Rewrites::new("cli_body", "operation"),
        counts: Counts::default(),
        error: None,
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(error);
    }
    pass.reads.require(operation_ids, || Problem::NoCliMethod)?;
    let mut passes = match cli_body {
        Some(_) => vec![pass.conflicts, pass.reads],
        None => vec![pass.conflicts],
    };
    if operation_ids.is_empty() {
        passes.push(empty_command(file)?);
    }
    Ok(passes)
}

/// `match self {}` on the empty `CliCommand`'s reference becomes
/// `match *self {}`.
fn empty_command(file: &mut syn::File) -> Result<Rewrites, ShapeError> {
    struct EmptyMatches(usize);
    impl VisitMut for EmptyMatches {
        fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
            if node.arms.is_empty()
                && matches!(&*node.expr, Expr::Path(p) if p.path.is_ident("self"))
            {
                *node.expr = parse_quote!(*self);
                self.0 += 1;
            }
            visit_mut::visit_expr_match_mut(self, node);
        }
    }
    let mut rewrites = Rewrites::new("cli_empty", "command");
    let mut pass = EmptyMatches(0);
    pass.visit_file_mut(file);
    if pass.0 == 0 {
        return Err(rewrites.fail(
            "CliCommand",
            Problem::Missing("`match self {}` of the empty `CliCommand`"),
        ));
    }
    rewrites.add("CliCommand", pass.0);
    Ok(rewrites)
}

/// Per operation (progenitor's snake-case name), the options that set a
/// field of the body: those its `execute_*` method passes to `body_map`.
#[derive(Default)]
struct BodyFields {
    by_method: BTreeMap<String, Vec<String>>,
    method: Option<String>,
}

impl VisitMut for BodyFields {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let name = node.sig.ident.to_string();
        self.method = name.strip_prefix("execute_").map(str::to_owned);
        visit_mut::visit_impl_item_fn_mut(self, node);
        self.method = None;
    }

    fn visit_expr_if_mut(&mut self, node: &mut syn::ExprIf) {
        if let (Some(method), Expr::Let(cond)) = (&self.method, &*node.cond)
            && let Some(id) = get_one_id(&cond.expr)
            && calls_method(&mut node.then_branch, "body_map")
        {
            self.by_method.entry(method.clone()).or_default().push(id);
        }
        visit_mut::visit_expr_if_mut(self, node);
    }
}

/// Whether `block` calls a method named `method`.
fn calls_method(block: &mut syn::Block, method: &str) -> bool {
    struct Find<'a>(&'a str, bool);
    impl VisitMut for Find<'_> {
        fn visit_expr_method_call_mut(&mut self, node: &mut syn::ExprMethodCall) {
            self.1 |= node.method == self.0;
            visit_mut::visit_expr_method_call_mut(self, node);
        }
    }
    let mut find = Find(method, false);
    find.visit_block_mut(block);
    find.1
}

/// `matches.get_one::<T>("id")` -> `id`.
fn get_one_id(expr: &Expr) -> Option<String> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "get_one" {
        return None;
    }
    string_arg(call.args.first()?)
}

fn string_arg(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// What one method of the CLI holds, for the checks when leaving it.
#[derive(Default)]
struct Counts {
    json_body_args: usize,
    json_body_reads: usize,
    read_to_string: usize,
    from_str: usize,
}

/// Which method of an operation is visited.
#[derive(Clone, Copy)]
enum Method {
    /// `cli_<op>`: the clap command.
    Command,
    /// `execute_<op>`: reads the matches.
    Execute,
}

struct CliPass<'a> {
    by_method: BTreeMap<String, String>,
    body_fields: BTreeMap<String, Vec<String>>,
    cli_body: Option<&'a syn::Path>,
    /// The visited method: its operation's progenitor name, and which.
    operation: Option<(String, Method)>,
    conflicts: Rewrites,
    reads: Rewrites,
    counts: Counts,
    error: Option<ShapeError>,
}

impl VisitMut for CliPass<'_> {
    fn visit_impl_item_fn_mut(&mut self, node: &mut syn::ImplItemFn) {
        let name = node.sig.ident.to_string();
        self.operation = (name.strip_prefix("cli_").map(|m| (m, Method::Command)))
            .or_else(|| name.strip_prefix("execute_").map(|m| (m, Method::Execute)))
            .map(|(m, which)| (m.to_owned(), which));
        self.counts = Counts::default();
        visit_mut::visit_impl_item_fn_mut(self, node);
        if let Some(operation) = self.operation.take() {
            self.check(operation);
        }
    }

    fn visit_expr_method_call_mut(&mut self, node: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, node);
        let fields = self
            .operation
            .as_ref()
            .and_then(|(method, _)| self.body_fields.get(method));
        if node.method == "get_one"
            && node.args.first().and_then(string_arg).as_deref() == Some(JSON_BODY)
        {
            self.counts.json_body_reads += 1;
        }
        if node.method == "arg"
            && let Some(arg) = node.args.first_mut()
            && root_arg_id(arg).as_deref() == Some(JSON_BODY)
        {
            self.counts.json_body_args += 1;
            if let Some(fields) = fields {
                let original = arg.clone();
                *arg = parse_quote!(#original.conflicts_with_all([#(#fields),*]));
            }
        }
    }

    fn visit_expr_call_mut(&mut self, node: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, node);
        let Some(module) = self.cli_body else { return };
        let Expr::Path(function) = &mut *node.func else {
            return;
        };
        if path_is(&function.path, &["std", "fs", "read_to_string"]) {
            function.path = parse_quote!(#module::read_body);
            self.counts.read_to_string += 1;
        } else if path_is(&function.path, &["serde_json", "from_str"]) {
            let turbofish = function.path.segments.last().map(|s| s.arguments.clone());
            let mut path: syn::Path = parse_quote!(#module::parse_body);
            if let (Some(last), Some(args)) = (path.segments.last_mut(), turbofish) {
                last.arguments = args;
            }
            function.path = path;
            self.counts.from_str += 1;
        }
    }
}

impl CliPass<'_> {
    /// Records what a method of `operation` got, and fails when it is not
    /// what progenitor writes.
    fn check(&mut self, (method, which): (String, Method)) {
        let Some(id) = self.by_method.get(&method).cloned() else {
            let error = self.reads.fail(method, Problem::UnknownOperation);
            self.error.get_or_insert(error);
            return;
        };
        let c = &self.counts;
        let problem = match which {
            Method::Command => {
                let has_fields = self.body_fields.contains_key(&method);
                self.conflicts
                    .add(&id, usize::from(has_fields) * c.json_body_args);
                (has_fields && c.json_body_args != 1)
                    .then_some((&self.conflicts, Problem::JsonBodyArgs(c.json_body_args)))
            }
            Method::Execute => {
                let expected = match self.cli_body {
                    Some(_) => usize::from(c.json_body_reads > 0),
                    None => 0,
                };
                self.reads.add(&id, c.read_to_string + c.from_str);
                (c.read_to_string != expected || c.from_str != expected).then_some((
                    &self.reads,
                    Problem::BodyReads(c.read_to_string + c.from_str),
                ))
            }
        };
        if let Some((rewrites, problem)) = problem {
            let error = rewrites.fail(id, problem);
            self.error.get_or_insert(error);
        }
    }
}

/// The id of `::clap::Arg::new("id")` at the root of a builder chain.
pub(super) fn root_arg_id(expr: &Expr) -> Option<String> {
    match expr {
        Expr::MethodCall(call) => root_arg_id(&call.receiver),
        Expr::Call(call) => {
            let Expr::Path(path) = &*call.func else {
                return None;
            };
            let last = path.path.segments.last()?;
            if last.ident != "new" {
                return None;
            }
            string_arg(call.args.first()?)
        }
        _ => None,
    }
}
