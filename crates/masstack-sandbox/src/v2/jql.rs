//! The JQL subset the sandbox understands:
//!
//! ```text
//! query  := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
//! or     := and {OR and}
//! and    := term {AND term}
//! term   := NOT term | ( or ) | field op value
//! op     := = | != | ~ | !~ | > | >= | < | <= | IN | NOT IN | IS | IS NOT
//! value  := word | "text" | 'text' | ( value {, value} ) | EMPTY | NULL
//! ```
//!
//! Keywords are case-insensitive; fields are those of [`super::fields`],
//! and Jira's other system fields, which hold no value here. A field Jira
//! has not got is refused with Jira's message; anything else with the
//! position where reading stopped.

use std::cmp::Ordering;

use serde_json::Value;

use super::{fields, system_fields};
use crate::state::Ticket;

/// A parsed query.
#[derive(Debug)]
pub(crate) struct Query {
    filter: Option<Expr>,
    /// `(field, descending)`.
    pub order: Vec<(String, bool)>,
}

#[derive(Debug)]
enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Cond(String, Op, Operand),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Like,
    NotLike,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug)]
enum Operand {
    One(String),
    List(Vec<String>),
    Empty,
}

impl Query {
    /// Whether `ticket` is selected.
    pub fn matches(&self, ticket: &Ticket) -> bool {
        self.filter.as_ref().is_none_or(|e| eval(e, ticket))
    }
}

fn eval(expr: &Expr, ticket: &Ticket) -> bool {
    match expr {
        Expr::And(all) => all.iter().all(|e| eval(e, ticket)),
        Expr::Or(any) => any.iter().any(|e| eval(e, ticket)),
        Expr::Not(e) => !eval(e, ticket),
        Expr::Cond(field, op, operand) => {
            let value = fields::value_of(ticket, field);
            let value = value.as_ref();
            let one = |s: &String| Value::String(s.clone());
            match (op, operand) {
                (Op::Is, Operand::Empty) => fields::is_empty(value),
                (Op::IsNot, Operand::Empty) => !fields::is_empty(value),
                (Op::Eq, Operand::Empty) => fields::is_empty(value),
                (Op::Ne, Operand::Empty) => !fields::is_empty(value),
                (Op::Eq, Operand::One(v)) => fields::equals(value, &one(v)),
                (Op::Ne, Operand::One(v)) => !fields::equals(value, &one(v)),
                (Op::Like, Operand::One(v)) => fields::like(value, &one(v)),
                (Op::NotLike, Operand::One(v)) => !fields::like(value, &one(v)),
                (Op::Gt, Operand::One(v)) => fields::compares(value, &one(v), Ordering::is_gt),
                (Op::Ge, Operand::One(v)) => fields::compares(value, &one(v), Ordering::is_ge),
                (Op::Lt, Operand::One(v)) => fields::compares(value, &one(v), Ordering::is_lt),
                (Op::Le, Operand::One(v)) => fields::compares(value, &one(v), Ordering::is_le),
                (Op::In, Operand::List(list)) => {
                    list.iter().any(|v| fields::equals(value, &one(v)))
                }
                (Op::NotIn, Operand::List(list)) => {
                    !list.iter().any(|v| fields::equals(value, &one(v)))
                }
                // The parser pairs operators with their operand kinds.
                _ => false,
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Sym(&'static str),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '"' || c == '\'' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(format!("the text opened at position {at} is not closed")),
                    Some(&(_, q)) if q == c => break,
                    Some(&(_, '\\')) => {
                        if let Some(&(_, next)) = chars.get(i + 1) {
                            s.push(next);
                        }
                        i += 2;
                        continue;
                    }
                    Some(&(_, ch)) => s.push(ch),
                }
                i += 1;
            }
            i += 1;
            out.push((at, Token::Quoted(s)));
            continue;
        }
        let two: String = chars[i..].iter().take(2).map(|(_, c)| c).collect();
        let sym = ["!=", "!~", ">=", "<="]
            .into_iter()
            .find(|s| *s == two)
            .or_else(|| {
                ["=", "~", ">", "<", "(", ")", ","]
                    .into_iter()
                    .find(|s| s.starts_with(c))
            });
        if let Some(sym) = sym {
            out.push((at, Token::Sym(sym)));
            i += sym.len();
            continue;
        }
        let mut s = String::new();
        while let Some(&(_, ch)) = chars.get(i) {
            if ch.is_whitespace() || "\"'=!~<>(),".contains(ch) {
                break;
            }
            s.push(ch);
            i += 1;
        }
        if s.is_empty() {
            return Err(format!("unexpected `{c}` at position {at}"));
        }
        out.push((at, Token::Word(s)));
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    end: usize,
}

/// Parses `text`; the error says what was expected and where.
pub(crate) fn parse(text: &str) -> Result<Query, String> {
    let tokens = tokenize(text)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        end: text.len(),
    };
    let filter = if p.at_end() || p.keyword("ORDER") {
        None
    } else {
        Some(p.or()?)
    };
    let mut order = Vec::new();
    if p.eat_keyword("ORDER") {
        if !p.eat_keyword("BY") {
            return Err(p.expected("BY after ORDER"));
        }
        loop {
            let field = p.field()?;
            let descending = if p.eat_keyword("DESC") {
                true
            } else {
                p.eat_keyword("ASC");
                false
            };
            order.push((field, descending));
            if !p.eat_sym(",") {
                break;
            }
        }
    }
    if !p.at_end() {
        return Err(p.expected("AND, OR, ORDER BY or the end of the query"));
    }
    Ok(Query { filter, order })
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn position(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map(|(at, _)| *at)
            .unwrap_or(self.end)
    }

    fn expected(&self, what: &str) -> String {
        match self.peek() {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => {
                format!(
                    "expected {what} at position {}, found `{w}`",
                    self.position()
                )
            }
            Some(Token::Sym(s)) => format!(
                "expected {what} at position {}, found `{s}`",
                self.position()
            ),
            None => format!("expected {what} at the end of the query"),
        }
    }

    fn keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(k))
    }

    fn eat_keyword(&mut self, k: &str) -> bool {
        let found = self.keyword(k);
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Sym(t)) if *t == s);
        if found {
            self.pos += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut any = vec![self.and()?];
        while self.eat_keyword("OR") {
            any.push(self.and()?);
        }
        Ok(if any.len() == 1 {
            any.remove(0)
        } else {
            Expr::Or(any)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut all = vec![self.term()?];
        while self.eat_keyword("AND") {
            all.push(self.term()?);
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Expr::And(all)
        })
    }

    fn term(&mut self) -> Result<Expr, String> {
        if self.eat_keyword("NOT") {
            return Ok(Expr::Not(Box::new(self.term()?)));
        }
        if self.eat_sym("(") {
            let inner = self.or()?;
            if !self.eat_sym(")") {
                return Err(self.expected("`)`"));
            }
            return Ok(inner);
        }
        let field = self.field()?;
        let op = self.op()?;
        let operand = match op {
            Op::In | Op::NotIn => Operand::List(self.list()?),
            Op::Is | Op::IsNot => {
                if self.eat_keyword("EMPTY") || self.eat_keyword("NULL") {
                    Operand::Empty
                } else {
                    return Err(self.expected("EMPTY or NULL"));
                }
            }
            _ if self.eat_keyword("EMPTY") || self.eat_keyword("NULL") => Operand::Empty,
            _ => Operand::One(self.value()?),
        };
        if matches!(operand, Operand::Empty) && !matches!(op, Op::Is | Op::IsNot | Op::Eq | Op::Ne)
        {
            return Err(format!(
                "EMPTY can only follow IS, IS NOT, = or != (field `{field}`)"
            ));
        }
        Ok(Expr::Cond(field, op, operand))
    }

    fn field(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => {
                // As Jira: an unknown field is an error, not an empty
                // result that would hide a typo.
                if !fields::is_modelled(&w) && !system_fields::is_system_field(&w) {
                    return Err(format!(
                        "Field '{w}' does not exist or you do not have permission to view it."
                    ));
                }
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.expected("a field name")),
        }
    }

    fn op(&mut self) -> Result<Op, String> {
        let op = match self.peek() {
            Some(Token::Sym("=")) => Op::Eq,
            Some(Token::Sym("!=")) => Op::Ne,
            Some(Token::Sym("~")) => Op::Like,
            Some(Token::Sym("!~")) => Op::NotLike,
            Some(Token::Sym(">")) => Op::Gt,
            Some(Token::Sym(">=")) => Op::Ge,
            Some(Token::Sym("<")) => Op::Lt,
            Some(Token::Sym("<=")) => Op::Le,
            _ if self.keyword("IN") => Op::In,
            _ if self.keyword("IS") => {
                self.pos += 1;
                return Ok(if self.eat_keyword("NOT") {
                    Op::IsNot
                } else {
                    Op::Is
                });
            }
            _ if self.keyword("NOT") => {
                self.pos += 1;
                if !self.eat_keyword("IN") {
                    return Err(self.expected("IN after NOT"));
                }
                return Ok(Op::NotIn);
            }
            _ => {
                return Err(self
                    .expected("an operator (=, !=, ~, !~, >, >=, <, <=, IN, NOT IN, IS, IS NOT)"));
            }
        };
        self.pos += 1;
        Ok(op)
    }

    fn value(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.expected("a value")),
        }
    }

    fn list(&mut self) -> Result<Vec<String>, String> {
        if !self.eat_sym("(") {
            return Err(self.expected("`(` opening a list of values"));
        }
        let mut values = vec![self.value()?];
        while self.eat_sym(",") {
            values.push(self.value()?);
        }
        if !self.eat_sym(")") {
            return Err(self.expected("`,` or `)` in the list of values"));
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_parses() {
        for ok in [
            "",
            "project = INST",
            "project = INST AND status in (Abierto, \"En curso\") ORDER BY created DESC",
            "comment ~ 'llamar' OR NOT (assignee is EMPTY)",
            "\"Documento Cliente\" = 12345678X and cf[12800] != x",
            "ORDER BY key",
            "status not in (Cerrado) AND summary !~ prueba",
        ] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse("project INST").unwrap_err(),
            "expected an operator (=, !=, ~, !~, >, >=, <, <=, IN, NOT IN, IS, IS NOT) at position 8, found `INST`"
        );
        assert_eq!(
            parse("project = ").unwrap_err(),
            "expected a value at the end of the query"
        );
        assert_eq!(
            parse("summary ~ \"open").unwrap_err(),
            "the text opened at position 10 is not closed"
        );
        assert!(parse("key = b c").unwrap_err().contains("position 8"));
    }

    #[test]
    fn fields_jira_has_not_got_are_refused() {
        let unknown = |name: &str| {
            format!("Field '{name}' does not exist or you do not have permission to view it.")
        };
        assert_eq!(parse("foo = bar").unwrap_err(), unknown("foo"));
        assert_eq!(
            parse("project = INST AND (\"No Such Field\" ~ x)").unwrap_err(),
            unknown("No Such Field")
        );
        assert_eq!(parse("ORDER BY foo DESC").unwrap_err(), unknown("foo"));
        assert_eq!(parse("cf[99999] = x").unwrap_err(), unknown("cf[99999]"));
        // Jira fields the sandbox does not model are not errors.
        for ok in ["priority = High", "Labels IS EMPTY", "ORDER BY updated"] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }
}
