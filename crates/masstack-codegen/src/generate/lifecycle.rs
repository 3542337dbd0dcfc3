//! The ticket lifecycle from the spec's lifecycle extensions (the
//! [`Transactions`] model lint parsed and checked): a `Role` enum, a
//! `Transaction` enum with each transaction's code, role, names, allowed
//! starting states, resulting state and example payload, and the
//! state-flow diagram (Mermaid) in its docs. Nobody copies the table into
//! Rust by hand.
//!
//! Each example payload is built by the `examples` module's function for
//! its schema (see [`function_name`]), which is why the manifest asks for
//! the `examples` extra alongside this one.

mod diagram;
mod roles;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use typify::{Type, TypeSpace};

use crate::diagnostic::{Diagnostic, join};
use crate::error::Error;
use crate::generate::example_fn::function_name;
use crate::generate::rust_value::{find_type, value_of};
use crate::load::LoadedSpec;
use crate::transactions::{Transaction, Transactions};

/// `TU01` -> `Tu01`; `TO-RECEIVES` -> `ToReceives`.
fn variant(id: &str) -> proc_macro2::Ident {
    format_ident!("{}", id.to_lowercase().to_upper_camel_case())
}

/// The payload variant (and type name) for an example schema.
fn payload_variant(schema: &str) -> proc_macro2::Ident {
    format_ident!("{}", schema.to_upper_camel_case())
}

/// The generated type of schema `name`, or a diagnostic saying there is none.
fn schema_type<'a>(
    spec: &LoadedSpec,
    types: &'a TypeSpace,
    name: &str,
    what: &str,
) -> Result<Type<'a>, Error> {
    find_type(types, name).ok_or_else(|| {
        Error::Invalid(vec![Diagnostic::at_pointer(
            &spec.name,
            &join("#/components/schemas", name),
            format!("progenitor generated no type for {what}"),
        )])
    })
}

/// The `lifecycle` module; `model` is the spec's lifecycle as lint parsed it.
pub fn generate(
    spec: &LoadedSpec,
    model: Option<&Transactions>,
    types: &TypeSpace,
) -> Result<TokenStream, Error> {
    let model = Transactions::required(&spec.name, model).map_err(Error::Invalid)?;
    let state_type = schema_type(spec, types, &model.state_schema, "the states")?;
    let state_ident = state_type.ident();
    // Each state as a value of the generated state type.
    let state = |s: &str, at: &str| {
        let ty = schema_type(spec, types, &model.state_schema, "the states")?;
        value_of(types, ty, &Value::String(s.to_owned()), at).map_err(|e| e.into_error(&spec.name))
    };
    let mut arms = ArmSet::default();
    for t in &model.list {
        arms.push(&state, t)?;
    }
    let roles = roles::generate(&model.roles);
    let declaration = declaration(model, &arms.variants);
    let payload = payload_enum(spec, model, types)?;
    let all: Vec<_> = model.list.iter().map(|t| variant(&t.id)).collect();
    let methods = methods(&all, &arms, &state_ident);
    let parsing = parsing(&arms.parse);
    Ok(quote! {
        use crate::types;

        #roles
        #declaration
        #payload
        #methods
        #parsing
    })
}

/// The `Transaction` enum, with the state-flow diagram in its docs.
fn declaration(model: &Transactions, variants: &[TokenStream]) -> TokenStream {
    let diagram = diagram::mermaid(model).into_iter().map(|l| format!(" {l}"));
    quote! {
        /// The transactions of the trouble-ticket lifecycle, from the spec's
        /// `x-transactions` table.
        ///
        /// State flow (each arrow is a transaction):
        ///
        #(#[doc = #diagram])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Transaction {
            #(#variants,)*
        }
    }
}

/// `ExamplePayload`: one variant per distinct example schema, by name.
fn payload_enum(
    spec: &LoadedSpec,
    model: &Transactions,
    types: &TypeSpace,
) -> Result<TokenStream, Error> {
    let mut payload_schemas = model.example_schemas();
    payload_schemas.sort_unstable();
    let mut payload_variants = Vec::new();
    let mut payload_to_json = Vec::new();
    for name in &payload_schemas {
        let ty = schema_type(spec, types, name, "this schema")?.ident();
        let v = payload_variant(name);
        let doc = format!(" The `{name}` example.");
        payload_variants.push(quote! { #[doc = #doc] #v(#ty) });
        payload_to_json.push(quote! { Self::#v(value) => ::serde_json::to_value(value) });
    }
    Ok(quote! {
        /// A transaction's example payload, typed.
        // Built once per call from static data; boxing would only cost readability.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum ExamplePayload {
            #(#payload_variants,)*
        }

        impl ExamplePayload {
            /// The payload as JSON, as it goes on the wire.
            pub fn to_json(&self) -> ::serde_json::Result<::serde_json::Value> {
                match self {
                    #(#payload_to_json,)*
                }
            }
        }
    })
}

/// `impl Transaction`: one method per column of the table.
fn methods(all: &[proc_macro2::Ident], arms: &ArmSet, state_ident: &TokenStream) -> TokenStream {
    let ArmSet {
        code,
        name_es,
        name_en,
        role,
        from,
        to,
        operation,
        payload,
        ..
    } = arms;
    quote! {
        impl Transaction {
            /// Every transaction, in table order.
            pub const ALL: &'static [Transaction] = &[#(Self::#all),*];

            /// The transaction's code, e.g. `"TO02"`.
            pub fn code(self) -> &'static str {
                match self { #(#code,)* }
            }

            /// The Spanish name, as published.
            pub fn name_es(self) -> &'static str {
                match self { #(#name_es,)* }
            }

            /// The English name, as published.
            pub fn name_en(self) -> &'static str {
                match self { #(#name_en,)* }
            }

            /// Who may send it.
            pub fn role(self) -> Role {
                match self { #(#role,)* }
            }

            /// The states a ticket may be in for this transaction; empty for
            /// the one that creates the ticket.
            pub fn from_states(self) -> &'static [#state_ident] {
                match self { #(#from,)* }
            }

            /// The state the ticket ends in; `None` when it does not change.
            pub fn resulting_state(self) -> Option<#state_ident> {
                match self { #(#to,)* }
            }

            /// The operation that carries it; `None` for a transaction with
            /// no request of its own.
            pub fn operation_id(self) -> Option<&'static str> {
                match self { #(#operation,)* }
            }

            /// Its published example payload, typed.
            pub fn example_payload(self) -> Option<ExamplePayload> {
                match self { #(#payload,)* }
            }

            /// Whether it may be sent from `state`.
            pub fn allowed_from(self, state: #state_ident) -> bool {
                self.from_states().contains(&state)
            }

        }
    }
}

/// Display, and parsing a code back (`UnknownTransaction` otherwise).
fn parsing(parse: &[TokenStream]) -> TokenStream {
    quote! {
        impl ::std::fmt::Display for Transaction {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        /// The code is not one of the table's.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownTransaction(pub String);

        impl ::std::fmt::Display for UnknownTransaction {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown transaction code `{}`", self.0)
            }
        }

        impl ::std::error::Error for UnknownTransaction {}

        impl ::std::str::FromStr for Transaction {
            type Err = UnknownTransaction;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    #(#parse,)*
                    other => Err(UnknownTransaction(other.to_owned())),
                }
            }
        }
    }
}

/// The enum's variants and each method's match arms, in table order.
#[derive(Default)]
struct ArmSet {
    variants: Vec<TokenStream>,
    code: Vec<TokenStream>,
    parse: Vec<TokenStream>,
    name_es: Vec<TokenStream>,
    name_en: Vec<TokenStream>,
    role: Vec<TokenStream>,
    from: Vec<TokenStream>,
    to: Vec<TokenStream>,
    operation: Vec<TokenStream>,
    payload: Vec<TokenStream>,
}

impl ArmSet {
    /// Adds transaction `t`; `state` builds a state's value (a JSON
    /// pointer for messages).
    fn push(
        &mut self,
        state: &dyn Fn(&str, &str) -> Result<TokenStream, Error>,
        t: &Transaction,
    ) -> Result<(), Error> {
        let v = variant(&t.id);
        let doc = format!(" {}: {} ({}).", t.id, t.name_es, t.name_en);
        let effect = match &t.to {
            Some(to) => format!(" Sent by the {}; the ticket ends in `{to}`.", t.role),
            None => format!(
                " Sent by the {}; the ticket's state does not change.",
                t.role
            ),
        };
        self.variants
            .push(quote! { #[doc = #doc] #[doc = ""] #[doc = #effect] #v });
        let (id, es, en) = (&t.id, &t.name_es, &t.name_en);
        self.code.push(quote! { Self::#v => #id });
        self.parse.push(quote! { #id => Ok(Self::#v) });
        self.name_es.push(quote! { Self::#v => #es });
        self.name_en.push(quote! { Self::#v => #en });
        let role = roles::variant(&t.role);
        self.role.push(quote! { Self::#v => Role::#role });
        let from = t
            .from
            .iter()
            .map(|s| state(s, &join(&t.pointer, "from")))
            .collect::<Result<Vec<_>, _>>()?;
        self.from.push(quote! { Self::#v => &[#(#from),*] });
        let to = match &t.to {
            Some(s) => {
                let s = state(s, &join(&t.pointer, "to"))?;
                quote! { Some(#s) }
            }
            None => quote! { None },
        };
        self.to.push(quote! { Self::#v => #to });
        let operation = match &t.operation {
            Some(op) => quote! { Some(#op) },
            None => quote! { None },
        };
        self.operation.push(quote! { Self::#v => #operation });
        let payload = match &t.example {
            Some(name) => {
                let f = function_name(name);
                let pv = payload_variant(name);
                quote! { Some(ExamplePayload::#pv(crate::examples::#f())) }
            }
            None => quote! { None },
        };
        self.payload.push(quote! { Self::#v => #payload });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use typify::TypeSpace;

    use crate::diagnostic::Location;
    use crate::error::Error;
    use crate::load::parse;

    /// The `lifecycle` extra on a spec without a lifecycle names each
    /// extension it needs.
    #[test]
    fn the_extra_without_a_lifecycle_names_what_is_missing() {
        let spec = parse(
            "spec/none.yaml",
            "openapi: 3.0.3\ninfo: {title: None, version: '1'}\npaths: {}\n",
        )
        .expect("the test spec parses");
        let Err(Error::Invalid(problems)) = super::generate(&spec, None, &TypeSpace::default())
        else {
            panic!("a lifecycle extra without a lifecycle must be rejected");
        };
        let at: Vec<&Location> = problems.iter().map(|d| &d.location).collect();
        let pointer = |p: &str| Location::Pointer(p.to_owned());
        assert_eq!(
            at,
            [
                &pointer("#/x-lifecycle"),
                &pointer("#/x-roles"),
                &pointer("#/x-transactions")
            ]
        );
    }
}
