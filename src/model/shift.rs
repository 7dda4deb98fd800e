//! Moving one input of a model up or down, for sensitivity analysis: an
//! indicator's mean growth or change, a shock's probability, an uncertain
//! base, a count's mean entries. An uncertain input moves as a whole
//! distribution, so its uncertainty is kept.

use super::dist::{Continuous, Param, Shape};
use super::{Kind, Model};

/// An input the analysis can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The mean growth (level) or change (share) of an indicator.
    Growth(usize),
    /// A shock's probability per year.
    ShockProbability(usize),
    /// An indicator's uncertain base.
    Base(usize),
    /// A count indicator's mean entries per year.
    Entries(usize),
}

/// Whether an input is a rate (moved by points) or a level (moved by a share of itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Rate,
    Level,
}

impl Model {
    /// Every input worth moving, with how it moves.
    pub fn inputs(&self) -> Vec<(Input, Scale)> {
        let mut out = Vec::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            match &ind.kind {
                Kind::Level { growth: d, .. } | Kind::Share { change: d, .. } if shiftable(d) => {
                    out.push((Input::Growth(i), Scale::Rate));
                }
                Kind::Count { .. } => out.push((Input::Entries(i), Scale::Level)),
                _ => {}
            }
            if let Some(Param::Drawn(_)) = ind.kind.base() {
                out.push((Input::Base(i), Scale::Level));
            }
        }
        for (s, shock) in self.shocks.iter().enumerate() {
            if shock.loadings.iter().any(|&(_, l)| l != 0.0) {
                out.push((Input::ShockProbability(s), Scale::Rate));
            }
        }
        out
    }

    /// The input's central value.
    pub fn input_value(&self, input: Input) -> f64 {
        match input {
            Input::Growth(i) => self.indicators[i]
                .kind
                .deviate()
                .map_or(f64::NAN, |d| self.central_deviate_mean(d)),
            Input::ShockProbability(s) => self.central(self.shocks[s].probability),
            Input::Base(i) => self.indicators[i]
                .kind
                .base()
                .map_or(f64::NAN, |b| self.central(b)),
            Input::Entries(i) => match &self.indicators[i].kind {
                Kind::Count { entries, .. } => self.central(entries.mean),
                _ => f64::NAN,
            },
        }
    }

    /// A copy with `input` moved by `amount` (in the input's own units).
    pub fn shifted(&self, input: Input, amount: f64) -> Model {
        let mut m = self.clone();
        let param = |m: &mut Model, p: &mut Param, lo: f64, hi: f64| match p {
            Param::Fixed(v) => *v = (*v + amount).clamp(lo, hi),
            Param::Drawn(slot) => shift(&mut m.params[*slot], amount),
        };
        match input {
            Input::Growth(i) => {
                let mut kind = m.indicators[i].kind.clone();
                if let Kind::Level { growth: d, .. } | Kind::Share { change: d, .. } = &mut kind {
                    match (&d.shape, &mut d.loc) {
                        (Shape::Normal { .. } | Shape::StudentT { .. }, loc) => {
                            param(&mut m, loc, f64::NEG_INFINITY, f64::INFINITY)
                        }
                        _ => shift(d, amount),
                    }
                }
                m.indicators[i].kind = kind;
            }
            Input::ShockProbability(s) => {
                let mut p = m.shocks[s].probability;
                param(&mut m, &mut p, 0.0, 1.0);
                m.shocks[s].probability = p;
            }
            Input::Base(i) | Input::Entries(i) => {
                let mut kind = m.indicators[i].kind.clone();
                let p = match (&mut kind, input) {
                    (Kind::Count { entries, .. }, Input::Entries(_)) => Some(&mut entries.mean),
                    (
                        Kind::Level { base, .. }
                        | Kind::Share { base, .. }
                        | Kind::Count { base, .. },
                        Input::Base(_),
                    ) => Some(base),
                    _ => None,
                };
                if let Some(p) = p {
                    param(&mut m, p, 0.0, f64::INFINITY);
                }
                m.indicators[i].kind = kind;
            }
        }
        m
    }
}

/// Whether a growth distribution can be moved by adding to it.
fn shiftable(d: &Continuous) -> bool {
    !matches!(d.shape, Shape::Lognormal { .. })
}

/// Moves a distribution with fixed parameters by `amount`, keeping its shape
/// (truncation bounds stay: they are limits, not part of the belief's centre).
fn shift(d: &mut Continuous, amount: f64) {
    match &mut d.shape {
        Shape::Normal { .. } | Shape::StudentT { .. } => {
            if let Param::Fixed(v) = &mut d.loc {
                *v += amount;
            }
        }
        Shape::Uniform { low, high } => {
            *low += amount;
            *high += amount;
        }
        Shape::Triangular { low, mode, high } => {
            *low += amount;
            *mode += amount;
            *high += amount;
        }
        Shape::Pert {
            low, high, alpha, ..
        } => {
            // The mode, recovered from α = 1 + 4(mode − low)/(high − low).
            let (low, high) = (*low, *high);
            let mode = low + (*alpha - 1.0) / 4.0 * (high - low);
            d.shape = Shape::pert(low + amount, mode + amount, high + amount);
        }
        Shape::Lognormal { mu, sigma } => {
            // Move the mean by `amount` by scaling: a lognormal cannot be shifted.
            let mean = (*mu + 0.5 * *sigma * *sigma).exp();
            if mean + amount > 0.0 {
                *mu += ((mean + amount) / mean).ln();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        crate::scenario::load("t.toml", text, &[]).unwrap()
    }

    #[test]
    fn shifts_move_the_central_value_by_the_amount() {
        let m = model(
            "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022\n\
             [indicators.x]\nkind = \"level\"\nbase = { dist = \"uniform\", low = 90, high = 110 }\n\
             growth = { mean = { dist = \"triangular\", low = 0.0, mode = 0.05, high = 0.1 }, sd = 0.02 }\n\
             [indicators.n]\nkind = \"count\"\nbase = 10\nentries = { mean = 4 }\n\
             [indicators.s]\nkind = \"share\"\nbase = 0.3\nchange = { dist = \"pert\", low = 0.0, mode = 0.01, high = 0.03 }\n\
             [shocks.d]\nprobability = 0.1\neffect = -0.1\naffects = { x = 1 }\n",
        );
        let inputs: Vec<Input> = m.inputs().into_iter().map(|(input, _)| input).collect();
        assert_eq!(
            inputs,
            [
                Input::Growth(0),
                Input::Base(0),
                Input::Entries(1),
                Input::Growth(2),
                Input::ShockProbability(0)
            ]
        );
        for input in inputs {
            let before = m.input_value(input);
            let after = m.shifted(input, 0.01).input_value(input);
            assert!(
                (after - before - 0.01).abs() < 1e-9,
                "{input:?}: {before} → {after}"
            );
        }
    }
}
