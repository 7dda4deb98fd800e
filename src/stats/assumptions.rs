//! What a scenario assumes, summarised for reports: each indicator's base,
//! its growth or change distribution, persistence and source. Plain data
//! taken from the model; the renderers put it in words.

use crate::model::dist::{Continuous, Param, Shape};
use crate::model::{Kind, Model, Reading};

/// A distribution by name and parameters, e.g. `normal { mean: 0.05, sd: 0.1 }`.
#[derive(Debug, Clone, PartialEq)]
pub struct DistSummary {
    /// `fixed`, `normal`, `student_t`, `uniform`, `triangular`, `pert`,
    /// `lognormal`, `poisson`, `negative_binomial`.
    pub name: &'static str,
    pub params: Vec<(&'static str, f64)>,
    /// Where the mean (or location) is itself drawn once per path.
    pub uncertain_mean: Option<Box<DistSummary>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The central value (the mean, at the central location).
    pub central: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub kind: Reading,
    pub source: Option<String>,
    pub base: Option<DistSummary>,
    /// Growth (level), change (share) or entries (count).
    pub movement: Option<DistSummary>,
    pub persistence: f64,
    pub exit_rate: f64,
    /// A formula indicator's formula, as ids and operators.
    pub formula: Option<String>,
}

fn summary(m: &Model, d: &Continuous) -> DistSummary {
    let loc = |s: &mut DistSummary| match d.loc {
        Param::Fixed(v) => s.params.insert(0, ("mean", v)),
        Param::Drawn(slot) => s.uncertain_mean = Some(Box::new(summary(m, &m.params[slot]))),
    };
    let mut s = DistSummary {
        name: "normal",
        params: Vec::new(),
        uncertain_mean: None,
        min: d.min.is_finite().then_some(d.min),
        max: d.max.is_finite().then_some(d.max),
        central: m.central_deviate_mean(d),
    };
    match d.shape {
        Shape::Normal { sd: 0.0 } if matches!(d.loc, Param::Fixed(_)) => {
            s.name = "fixed";
            s.params = vec![("value", s.central)];
        }
        Shape::Normal { sd } => {
            s.params.push(("sd", sd));
            loc(&mut s);
        }
        Shape::StudentT { scale, df, .. } => {
            s.name = "student_t";
            s.params = vec![("scale", scale), ("df", df)];
            loc(&mut s);
        }
        Shape::Uniform { low, high } => {
            s.name = "uniform";
            s.params = vec![("low", low), ("high", high)];
        }
        Shape::Triangular { low, mode, high } => {
            s.name = "triangular";
            s.params = vec![("low", low), ("mode", mode), ("high", high)];
        }
        Shape::Pert {
            low, high, alpha, ..
        } => {
            s.name = "pert";
            s.params = vec![
                ("low", low),
                ("mode", low + (alpha - 1.0) / 4.0 * (high - low)),
                ("high", high),
            ];
        }
        Shape::Lognormal { mu, sigma } => {
            s.name = "lognormal";
            s.params = vec![("mu", mu), ("sigma", sigma)];
        }
    }
    s
}

fn param(m: &Model, p: Param) -> DistSummary {
    match p {
        Param::Fixed(v) => DistSummary {
            name: "fixed",
            params: vec![("value", v)],
            uncertain_mean: None,
            min: None,
            max: None,
            central: v,
        },
        Param::Drawn(slot) => summary(m, &m.params[slot]),
    }
}

pub fn assumptions(m: &Model) -> Vec<Assumption> {
    m.indicators
        .iter()
        .map(|ind| {
            let mut a = Assumption {
                id: ind.id.clone(),
                label: ind.label.clone(),
                unit: ind.unit.clone(),
                kind: ind.reads_as(),
                source: ind.source.clone(),
                base: ind.kind.base().map(|b| param(m, b)),
                movement: None,
                persistence: 0.0,
                exit_rate: 0.0,
                formula: None,
            };
            match &ind.kind {
                Kind::Level {
                    growth: d,
                    persistence,
                    ..
                }
                | Kind::Share {
                    change: d,
                    persistence,
                    ..
                } => {
                    a.movement = Some(summary(m, d));
                    a.persistence = *persistence;
                }
                Kind::Count {
                    entries, exit_rate, ..
                } => {
                    let mean = param(m, entries.mean);
                    let mut s = DistSummary {
                        name: if entries.dispersion.is_some() {
                            "negative_binomial"
                        } else {
                            "poisson"
                        },
                        params: Vec::new(),
                        uncertain_mean: None,
                        min: None,
                        max: None,
                        central: mean.central,
                    };
                    match entries.mean {
                        Param::Fixed(v) => s.params.push(("mean", v)),
                        Param::Drawn(_) => s.uncertain_mean = Some(Box::new(mean)),
                    }
                    if let Some(r) = entries.dispersion {
                        s.params.push(("dispersion", r));
                    }
                    a.movement = Some(s);
                    a.exit_rate = *exit_rate;
                }
                Kind::Formula(f) => {
                    a.formula = Some(f.describe(|i| m.indicators[i].id.clone()));
                }
            }
            a
        })
        .collect()
}
