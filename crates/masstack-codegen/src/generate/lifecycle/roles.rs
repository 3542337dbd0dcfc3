//! The `Role` enum: who sends a transaction (the spec's `x-roles`).

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::transactions::Role;

/// A role's variant: its id in upper camel case (`TU` -> `Tu`).
pub fn variant(id: &str) -> proc_macro2::Ident {
    format_ident!("{}", id.to_upper_camel_case())
}

/// The `Role` enum, its codes, parsing and display.
pub fn generate(roles: &[Role]) -> TokenStream {
    let role_variants: Vec<_> = roles.iter().map(|r| variant(&r.id)).collect();
    let role_docs = roles.iter().map(|r| {
        let description = r
            .description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!(" {}: {description}", r.name)
    });
    let role_ids: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
    let role_list = role_ids.join(", ");
    let unknown_role = format!("unknown role `{{s}}`; expected one of: {role_list}");
    let code_doc = format!(" The role's id: one of {role_list}.");
    quote! {
        /// Who sends a transaction (the spec's `x-roles`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            #(#[doc = #role_docs] #role_variants,)*
        }

        impl Role {
            /// Every role, in the spec's order.
            pub const ALL: &'static [Role] = &[#(Self::#role_variants),*];

            #[doc = #code_doc]
            pub fn code(self) -> &'static str {
                match self {
                    #(Self::#role_variants => #role_ids,)*
                }
            }
        }

        impl ::std::str::FromStr for Role {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|r| r.code() == s)
                    .ok_or_else(|| format!(#unknown_role))
            }
        }

        impl ::std::fmt::Display for Role {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}
