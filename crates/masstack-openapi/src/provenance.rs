//! Where a node of a rewritten tree came from: bundling (several files into
//! one tree) and normalisation (any OpenAPI version into 3.0) move nodes, and
//! every diagnostic must still point into the user's own file at the
//! pointer the user wrote.

/// One moved subtree: what is now at `to` was at `from` in `file` (the
/// stage's input tree when `file` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The pointer in the rewritten tree (`#/components/schemas/Pet`).
    pub to: String,
    /// The file it came from, relative to the workspace root; `None` for the
    /// tree the stage was given.
    pub file: Option<String>,
    /// The pointer in that file or tree (`#/definitions/Pet`).
    pub from: String,
}

/// The moves of one stage. A pointer is traced by the longest recorded
/// `to` that is a whole-segment prefix of it; later records of the same
/// `to` win.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    moves: Vec<Move>,
}

impl Provenance {
    /// Records that the subtree now at `to` was at `from` in the stage's
    /// input tree.
    pub fn moved(&mut self, to: impl Into<String>, from: impl Into<String>) {
        self.moves.push(Move {
            to: to.into(),
            file: None,
            from: from.into(),
        });
    }

    /// Records that the subtree now at `to` was at `from` in `file`.
    pub fn moved_from_file(&mut self, to: impl Into<String>, file: &str, from: impl Into<String>) {
        self.moves.push(Move {
            to: to.into(),
            file: Some(file.to_owned()),
            from: from.into(),
        });
    }

    /// Where the node at `pointer` came from: the file (`None` for the
    /// input tree) and the pointer there. A pointer no move covers is
    /// where it was.
    pub fn trace(&self, pointer: &str) -> (Option<&str>, String) {
        let best = self
            .moves
            .iter()
            .enumerate()
            .filter(|(_, m)| is_prefix(&m.to, pointer))
            .max_by_key(|(i, m)| (m.to.len(), *i));
        match best {
            Some((_, m)) => (
                m.file.as_deref(),
                format!("{}{}", m.from, &pointer[m.to.len()..]),
            ),
            None => (None, pointer.to_owned()),
        }
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }
}

/// Whether `prefix` is `pointer` or an ancestor of it, segment by segment.
fn is_prefix(prefix: &str, pointer: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_whole_segment_prefix_wins() {
        let mut p = Provenance::default();
        p.moved("#/components/schemas", "#/definitions");
        p.moved("#/components/schemas/Pet", "#/definitions/Animal");
        p.moved_from_file("#/components/schemas/Error", "spec/common/Error.yaml", "#");
        assert_eq!(
            p.trace("#/components/schemas/Pet/properties/id"),
            (None, "#/definitions/Animal/properties/id".to_owned())
        );
        assert_eq!(
            p.trace("#/components/schemas/Pets"),
            (None, "#/definitions/Pets".to_owned())
        );
        assert_eq!(
            p.trace("#/components/schemas/Error/required"),
            (Some("spec/common/Error.yaml"), "#/required".to_owned())
        );
        assert_eq!(p.trace("#/paths"), (None, "#/paths".to_owned()));
    }

    #[test]
    fn the_later_record_of_one_pointer_wins() {
        let mut p = Provenance::default();
        p.moved("#/a", "#/b");
        p.moved("#/a", "#/c");
        assert_eq!(p.trace("#/a/x"), (None, "#/c/x".to_owned()));
    }
}
