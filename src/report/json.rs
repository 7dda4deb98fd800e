//! JSON output: the versioned contract other programs rely on.
//!
//! The contract is [`Results`] itself, serialised: every field is documented
//! on its type in `stats::results`, the fields only reports need are
//! `#[serde(skip)]`, and `docs/results.schema.json` is generated from those
//! types (a test fails when the two disagree). Values are data: ids, names
//! of enums and numbers; no prose and no `Debug` text. A number that can be
//! non-finite is written `null` (serde_json's rule) and is declared
//! `Option<f64>` to the schema.

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis::backtest::Backtest;
use crate::analysis::compare::Comparison;
use crate::analysis::solve::Solution;
use crate::analysis::sweep::{Grid, Sweep};
use crate::stats::results::Results;

/// The version of every JSON output (`run`, `sweep`, `solve`): bumped when
/// a key changes meaning or disappears (adding keys does not).
/// 2: warnings became objects, drivers name their subject and aspect.
pub const SCHEMA_VERSION: u32 = 2;

/// One output, as written: the version first, then the value's own fields.
#[derive(Serialize, JsonSchema)]
pub struct Output<'a, T> {
    /// The version of this contract; see `SCHEMA_VERSION`.
    pub schema_version: u32,
    #[serde(flatten)]
    pub value: &'a T,
}

impl<'a, T> From<&'a T> for Output<'a, T> {
    fn from(value: &'a T) -> Output<'a, T> {
        Output {
            schema_version: SCHEMA_VERSION,
            value,
        }
    }
}

/// One object for one scenario; an array of objects for several.
pub fn render_all(all: &[Results]) -> String {
    let outputs: Vec<Output<Results>> = all.iter().map(Output::from).collect();
    match outputs.as_slice() {
        [one] => pretty(one),
        many => pretty(&many),
    }
}

/// `sweep --format json`.
pub fn sweep(s: &Sweep) -> String {
    pretty(&Output::from(s))
}

/// `sweep --format json` over two inputs.
pub fn grid(g: &Grid) -> String {
    pretty(&Output::from(g))
}

/// `backtest --format json`.
pub fn backtest(b: &Backtest) -> String {
    pretty(&Output::from(b))
}

/// `compare --format json`.
pub fn compare(c: &Comparison) -> String {
    pretty(&Output::from(c))
}

/// `solve --format json`.
pub fn solve(s: &Solution) -> String {
    pretty(&Output::from(s))
}

/// `study --format json` (and a study's `merge`).
pub fn study(t: &crate::study::StudyTable) -> String {
    pretty(&Output::from(t))
}

fn pretty(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of one scenario's output, as committed in
/// `docs/results.schema.json`.
pub fn schema() -> String {
    // What serialising emits: `Option` fields are always there, as `null`.
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Output<Results>>();
    schema.insert("title".into(), "dabiao run results".into());
    schema.insert(
        "description".into(),
        "One scenario's results from `dabiao run --format json`.".into(),
    );
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, Metric, Tier};

    fn name_of(v: impl Serialize) -> String {
        serde_json::to_value(v)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn enums_serialise_as_their_names() {
        for m in Metric::ALL {
            assert_eq!(name_of(m), m.name());
        }
        for d in Direction::ALL {
            assert_eq!(name_of(d), d.name());
        }
        for t in [Tier::Floor, Tier::Stretch] {
            assert_eq!(name_of(t), t.name());
        }
    }
}
