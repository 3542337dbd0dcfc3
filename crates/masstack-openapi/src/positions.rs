//! Where each key of a document sits, by JSON pointer: serde_json and
//! serde_yaml build values without spans, so one pass over the YAML events
//! of the same text (JSON is YAML) records them.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

use crate::diagnostic::join;

/// The line and column (both from 1) of every key of a document, and of
/// every item of its sequences, by JSON pointer (`/paths/~1x/get`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions(HashMap<String, (usize, usize)>);

/// A container being read, and the pointer of the next node in it.
enum Frame {
    /// A mapping at `pointer`: `key` is the key of the value to come, or
    /// `None` when a key comes next.
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    /// A sequence at `pointer`; `next` is the index of the item to come.
    Sequence { pointer: String, next: usize },
}

/// What a node starting in the current container is.
enum Placed {
    /// A value, at this pointer.
    Value(String),
    /// A mapping key (its position is recorded).
    Key,
    /// A mapping key that is not a scalar: pointers cannot name what follows.
    ComplexKey,
}

impl Positions {
    /// Indexes `text`. Text YAML cannot read, or a mapping key that is not a
    /// scalar, ends the index where it is: positions help messages, and the
    /// value parse reports the syntax error itself.
    pub fn index(text: &str) -> Self {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            match event {
                Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..) => {}
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    continue;
                }
                _ => continue,
            }
            let pointer = match place(&mut stack, &event, span, &mut positions) {
                Placed::Value(pointer) => pointer,
                Placed::Key => continue,
                Placed::ComplexKey => break,
            };
            match event {
                Event::MappingStart(..) => stack.push(Frame::Mapping { pointer, key: None }),
                Event::SequenceStart(..) => stack.push(Frame::Sequence { pointer, next: 0 }),
                _ => {}
            }
        }
        Self(positions)
    }

    /// The line and column of the key (or sequence item) at `pointer`; a
    /// leading `#` is allowed. `None` for a pointer the text does not have.
    pub fn get(&self, pointer: &str) -> Option<(usize, usize)> {
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        self.0.get(pointer).copied()
    }
}

/// Where a node starting at `span` goes in the innermost open container;
/// records the position of keys, sequence items and the root.
fn place(
    stack: &mut [Frame],
    event: &Event<'_>,
    span: Span,
    positions: &mut HashMap<String, (usize, usize)>,
) -> Placed {
    let at = (span.start.line(), span.start.col() + 1);
    match stack.last_mut() {
        None => {
            positions.insert(String::new(), at);
            Placed::Value(String::new())
        }
        Some(Frame::Sequence { pointer, next }) => {
            let item = format!("{pointer}/{next}");
            *next += 1;
            positions.insert(item.clone(), at);
            Placed::Value(item)
        }
        Some(Frame::Mapping { pointer, key }) => match key.take() {
            Some(key) => Placed::Value(join(pointer, &key)),
            None => {
                let Event::Scalar(text, ..) = event else {
                    return Placed::ComplexKey;
                };
                positions.insert(join(pointer, text), at);
                *key = Some(text.to_string());
                Placed::Key
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
openapi: 3.0.3
paths:
  /things/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
      responses:
        200: { description: ok }
";

    #[test]
    fn a_nested_yaml_key_has_its_own_line_and_column() {
        let positions = Positions::index(YAML);
        assert_eq!(
            positions.get("#/paths/~1things~1{id}/get/parameters/0/required"),
            Some((8, 11))
        );
        assert_eq!(
            positions.get("/paths/~1things~1{id}/get/parameters/0"),
            Some((6, 11))
        );
        assert_eq!(
            positions.get("/paths/~1things~1{id}/get/responses/200"),
            Some((10, 9))
        );
        assert_eq!(
            positions.get("/paths/~1things~1{id}/get/responses/200/description"),
            Some((10, 16))
        );
        assert_eq!(positions.get("/openapi"), Some((1, 1)));
        assert_eq!(positions.get("/paths/nowhere"), None);
    }

    #[test]
    fn a_nested_json_key_has_its_own_line_and_column() {
        let json = r#"{
  "openapi": "3.0.3",
  "paths": {
    "/things/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path", "required": true}
        ]
      }
    }
  }
}"#;
        let positions = Positions::index(json);
        assert_eq!(
            positions.get("#/paths/~1things~1{id}/get/parameters/0/required"),
            Some((7, 40))
        );
        assert_eq!(
            positions.get("#/paths/~1things~1{id}/get/parameters/0"),
            Some((7, 11))
        );
        assert_eq!(positions.get("#/openapi"), Some((2, 3)));
    }

    #[test]
    fn a_syntax_error_ends_the_index_without_failing() {
        let positions = Positions::index("a: 1\nb: [\n");
        assert_eq!(positions.get("/a"), Some((1, 1)));
    }
}
