//! Moving one input of a model, the one mechanism behind sensitivity, sweep
//! and solve: an indicator's mean growth or change, a shock's probability, a
//! base, a count's mean entries, a target's threshold. An uncertain input
//! moves as a whole distribution, so its uncertainty is kept; a fixed one is
//! set. The moved model draws the same random numbers (common random
//! numbers): its structure, and so every stream, is unchanged.

use super::dist::{Continuous, Param, Shape};
use super::{Kind, Model, TargetKind};

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
    /// A statistic target's threshold.
    Threshold(usize),
    /// The sd of a level's growth or a share's change (normal only).
    Sd(usize),
    /// The AR(1) persistence of a level's growth or a share's change.
    Persistence(usize),
    /// A count's yearly exit rate.
    ExitRate(usize),
}

/// How to move an input: by an amount, or to a value (of its centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Move {
    By(f64),
    To(f64),
}

/// How an input is measured, which says how far `--sensitivity` moves it
/// when the scenario states no uncertainty of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A level's mean growth, in points a year.
    Growth,
    /// A share's mean change, in points a year: a tenth of a level's step.
    Change,
    /// A probability, a base or mean entries: moved by a share of itself.
    Level,
}

impl Model {
    /// Every input worth moving, with how it moves.
    pub fn inputs(&self) -> Vec<(Input, Scale)> {
        let mut out = Vec::new();
        for (i, ind) in self.indicators.iter().enumerate() {
            match &ind.kind {
                Kind::Level { growth: d, .. } if shiftable(d) => {
                    out.push((Input::Growth(i), Scale::Growth));
                }
                Kind::Share { change: d, .. } if shiftable(d) => {
                    out.push((Input::Growth(i), Scale::Change));
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
                out.push((Input::ShockProbability(s), Scale::Level));
            }
        }
        out
    }

    /// The spread of what the scenario does not know about an input: the
    /// sd of its distribution where it is drawn per path, else `None`.
    pub fn input_sd(&self, input: Input) -> Option<f64> {
        let drawn = match input {
            Input::Growth(i) => self.indicators[i].kind.deviate().map(|d| d.loc),
            Input::ShockProbability(s) => Some(self.shocks[s].probability),
            Input::Base(i) => self.indicators[i].kind.base(),
            Input::Entries(i) => match &self.indicators[i].kind {
                Kind::Count { entries, .. } => Some(entries.mean),
                _ => None,
            },
            _ => None,
        };
        match drawn? {
            Param::Drawn(slot) => {
                let d = &self.params[slot];
                Some(d.sd(d.loc.get(&[])))
            }
            Param::Fixed(_) => None,
        }
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
            Input::Threshold(k) => match &self.targets[k].kind {
                TargetKind::Stat(s) => s.threshold,
                TargetKind::Composite { .. } => f64::NAN,
            },
            Input::Sd(i) => match self.indicators[i].kind.deviate().map(|d| &d.shape) {
                Some(Shape::Normal { sd }) => *sd,
                _ => f64::NAN,
            },
            Input::Persistence(i) => match &self.indicators[i].kind {
                Kind::Level { persistence, .. } | Kind::Share { persistence, .. } => *persistence,
                _ => f64::NAN,
            },
            Input::ExitRate(i) => match &self.indicators[i].kind {
                Kind::Count { exit_rate, .. } => *exit_rate,
                _ => f64::NAN,
            },
        }
    }

    /// The values the input takes on a path: its value, or the support of
    /// its distribution where it is drawn per path.
    pub fn input_support(&self, input: Input) -> (f64, f64) {
        let of = |p: Param| match p {
            Param::Fixed(v) => (v, v),
            Param::Drawn(slot) => {
                let d = &self.params[slot];
                d.support(d.loc.get(&[]))
            }
        };
        let none = (f64::NAN, f64::NAN);
        match input {
            Input::ShockProbability(s) => of(self.shocks[s].probability),
            Input::Base(i) => self.indicators[i].kind.base().map_or(none, of),
            Input::Entries(i) => match &self.indicators[i].kind {
                Kind::Count { entries, .. } => of(entries.mean),
                _ => none,
            },
            other => {
                let v = self.input_value(other);
                (v, v)
            }
        }
    }

    /// A copy with `input` moved by `amount` (in the input's own units).
    pub fn shifted(&self, input: Input, amount: f64) -> Model {
        self.moved(input, Move::By(amount))
    }

    /// A copy with `input` moved: a fixed value is moved or set exactly, a
    /// distribution is shifted so that its centre moves the same way.
    pub fn moved(&self, input: Input, how: Move) -> Model {
        let amount = match how {
            Move::By(a) => a,
            Move::To(x) => x - self.input_value(input),
        };
        // A plain number moved or set.
        let to = |v: f64| match how {
            Move::By(a) => v + a,
            Move::To(x) => x,
        };
        let mut m = self.clone();
        let param = |m: &mut Model, p: &mut Param, lo: f64, hi: f64| match p {
            Param::Fixed(v) => {
                *v = match how {
                    Move::By(a) => *v + a,
                    Move::To(x) => x,
                }
                .clamp(lo, hi)
            }
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
            Input::Threshold(k) => {
                if let TargetKind::Stat(s) = &mut m.targets[k].kind {
                    s.threshold = to(s.threshold);
                }
            }
            Input::Sd(i) => {
                if let Kind::Level { growth: d, .. } | Kind::Share { change: d, .. } =
                    &mut m.indicators[i].kind
                {
                    if let Shape::Normal { sd } = &mut d.shape {
                        *sd = to(*sd).max(0.0);
                    }
                }
            }
            Input::Persistence(i) => {
                if let Kind::Level { persistence, .. } | Kind::Share { persistence, .. } =
                    &mut m.indicators[i].kind
                {
                    *persistence = to(*persistence);
                }
            }
            Input::ExitRate(i) => {
                if let Kind::Count { exit_rate, .. } = &mut m.indicators[i].kind {
                    *exit_rate = to(*exit_rate);
                }
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
