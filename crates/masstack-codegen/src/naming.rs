//! The Rust names progenitor and typify give to what a spec names, as
//! their `sanitize` functions make them: one copy here, so that the refine
//! passes, the surface, the adapt stage and the Prism driver name exactly
//! what the generated code has.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// progenitor's name for an operation's method, or a parameter's setter
/// (`sanitize(name, Case::Snake)`): characters that cannot be in an
/// identifier become word breaks, a leading digit gets `_`, keywords a
/// trailing `_`.
pub fn method_name(name: &str) -> String {
    sanitize(name, false, "_")
}

/// typify's name for a schema (`sanitize(name, Case::Pascal)`): likewise
/// in Pascal case, a leading digit gets `X`.
pub fn type_name(name: &str) -> String {
    sanitize(name, true, "X")
}

fn sanitize(input: &str, pascal: bool, prefix: &str) -> String {
    let to_case = |s: &str| {
        if pascal {
            s.to_upper_camel_case()
        } else {
            s.to_snake_case()
        }
    };
    let out = match input {
        "+1" => to_case("plus1"),
        "-1" => to_case("minus1"),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_follow_progenitor() {
        assert_eq!(method_name("getTicket"), "get_ticket");
        assert_eq!(method_name("searchByIDParams"), "search_by_id_params");
        assert_eq!(method_name("get-ticket.v2"), "get_ticket_v2");
        assert_eq!(method_name("page-token"), "page_token");
        assert_eq!(method_name("type"), "type_");
        assert_eq!(method_name("gen"), "gen_");
        assert_eq!(method_name("2fa"), "_2fa");
        assert_eq!(method_name("+1"), "plus1");
    }

    #[test]
    fn type_names_follow_typify() {
        assert_eq!(type_name("basic-error"), "BasicError");
        assert_eq!(type_name("Pet"), "Pet");
        assert_eq!(type_name("1thing"), "X1thing");
        assert_eq!(type_name("repository.rule"), "RepositoryRule");
        assert_eq!(type_name("Self"), "Self_");
    }
}
