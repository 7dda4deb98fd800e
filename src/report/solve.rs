//! `solve` output.

use super::format as f;
use super::words::{w, Lang, Word};
use crate::analysis::solve::Solution;

pub fn table(s: &Solution, lang: Lang) -> String {
    let value = f::parameter(&s.parameter, s.value, 4);
    let reaches = w(lang, Word::SolveReaches).replace("{goal}", &f::probability(s.goal));
    let at = w(lang, Word::SolveAtValue)
        .replace("{value}", &value)
        .replace("{p}", &f::probability(s.probability))
        .replace("{runs}", &s.runs.to_string());
    format!(
        "{target} {reaches} {param} = {value}\n{compatible}: {lo} {to} {hi}\n{at}\n",
        target = s.target,
        param = s.parameter,
        compatible = w(lang, Word::SolveCompatible),
        lo = f::parameter(&s.parameter, s.interval.0, 4),
        to = w(lang, Word::SolveTo),
        hi = f::parameter(&s.parameter, s.interval.1, 4),
    )
}
