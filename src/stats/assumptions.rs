//! What a scenario assumes, summarised for reports: each indicator's base,
//! its growth or change distribution, persistence and source. Plain data
//! taken from the model; the renderers put it in words.

use crate::model::dist::{Continuous, Param, Shape};
use crate::model::{Correlation, Kind, Model, Owner, ParamAspect, Reading};

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

/// A shock as assumed: its probability a year, its effect, what it loads on.
#[derive(Debug, Clone, PartialEq)]
pub struct ShockAssumption {
    pub label: String,
    pub probability: DistSummary,
    pub effect: DistSummary,
    /// The indicators it moves, by label, with their loadings.
    pub loadings: Vec<(String, f64)>,
    pub first: i32,
    pub last: i32,
}

/// What a correlated quantity is, for words: an indicator's year-to-year
/// movement, or a per-path parameter (an indicator's or a shock's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correlated {
    Movement,
    Parameter(ParamAspect),
}

/// One off-diagonal of a correlation matrix the engine used.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationAssumption {
    pub a: (String, Correlated),
    pub b: (String, Correlated),
    pub rho: f64,
}

pub fn shocks(m: &Model) -> Vec<ShockAssumption> {
    m.shocks
        .iter()
        .map(|s| ShockAssumption {
            label: s.label.clone(),
            probability: param(m, s.probability),
            effect: summary(m, &s.effect),
            loadings: s
                .loadings
                .iter()
                .map(|&(i, l)| (m.indicators[i].label.clone(), l))
                .collect(),
            first: s.first,
            last: s.last,
        })
        .collect()
}

/// Every non-zero pair of both matrices (indicators' movements, then
/// per-path parameters), as the engine used them.
pub fn correlations(m: &Model) -> Vec<CorrelationAssumption> {
    let indicator = |k: usize| (m.indicators[k].label.clone(), Correlated::Movement);
    let parameter = |slot: usize| {
        let role = m.param_roles[slot];
        let owner = match role.owner {
            Owner::Indicator(i) => m.indicators[i].label.clone(),
            Owner::Shock(s) => m.shocks[s].label.clone(),
        };
        (owner, Correlated::Parameter(role.aspect))
    };
    let mut out = Vec::new();
    let mut pairs = |c: &Option<Correlation>, name: &dyn Fn(usize) -> (String, Correlated)| {
        let Some(c) = c else { return };
        for (x, &i) in c.members.iter().enumerate() {
            for (y, &j) in c.members.iter().enumerate().skip(x + 1) {
                let rho = c.matrix.get(x, y);
                if rho != 0.0 {
                    out.push(CorrelationAssumption {
                        a: name(i),
                        b: name(j),
                        rho,
                    });
                }
            }
        }
    };
    pairs(&m.correlation, &indicator);
    pairs(&m.param_correlation, &parameter);
    out
}
