//! The state-flow diagram (Mermaid) in the `Transaction` enum's docs.

use crate::transactions::Transactions;

/// Mermaid wants plain identifiers; the states have dots and dashes.
fn mermaid_id(state: &str) -> String {
    state.replace(['.', '-'], "_")
}

/// The diagram's lines: each state, then one arrow per transaction and
/// starting state (from `[*]` for the creation; a loop when the state
/// does not change).
pub fn mermaid(model: &Transactions) -> Vec<String> {
    let mut lines = vec!["```mermaid".to_owned(), "stateDiagram-v2".to_owned()];
    for s in &model.states {
        lines.push(format!("    state \"{s}\" as {}", mermaid_id(s)));
    }
    for t in &model.list {
        let label = format!("{} {}", t.id, t.name_en);
        let targets: Vec<(String, String)> = match &t.to {
            Some(to) if t.from.is_empty() => vec![("[*]".into(), mermaid_id(to))],
            Some(to) => t
                .from
                .iter()
                .map(|f| (mermaid_id(f), mermaid_id(to)))
                .collect(),
            None => t
                .from
                .iter()
                .map(|f| (mermaid_id(f), mermaid_id(f)))
                .collect(),
        };
        for (from, to) in targets {
            lines.push(format!("    {from} --> {to}: {label}"));
        }
    }
    lines.push("```".to_owned());
    lines
}
