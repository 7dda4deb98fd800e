//! Where the model's inputs are written in a scenario file: the path of an
//! input (for reports), and the input a path names (for `--vary`). The
//! model itself knows no paths.

use crate::error::did_you_mean;
use crate::model::dist::Shape;
use crate::model::shift::Input;
use crate::model::{Direction, Kind, Model, Owner, ParamAspect, Role, TargetKind};
use crate::text::Text;
use crate::tr;

use super::validate::MAX_COUNT;

/// The path of a per-path parameter in its role, e.g. `indicators.rd.base`.
pub fn parameter(model: &Model, role: Role) -> String {
    let field = match role.aspect {
        ParamAspect::Base => "base",
        ParamAspect::Trend => "growth.mean",
        ParamAspect::ChangeTrend => "change.mean",
        ParamAspect::MeanEntries => "entries.mean",
        ParamAspect::Probability => "probability",
        ParamAspect::EffectMean => "effect.mean",
    };
    match role.owner {
        Owner::Indicator(i) => format!("indicators.{}.{field}", model.indicators[i].id),
        Owner::Shock(s) => format!("shocks.{}.{field}", model.shocks[s].id),
    }
}

/// Every role a parameter could have in this model, drawn or not.
pub fn roles(model: &Model) -> Vec<Role> {
    let mut out = Vec::new();
    for (i, ind) in model.indicators.iter().enumerate() {
        let trend = match ind.kind {
            Kind::Level { .. } => ParamAspect::Trend,
            Kind::Share { .. } => ParamAspect::ChangeTrend,
            Kind::Count { .. } => ParamAspect::MeanEntries,
            Kind::Formula(_) => continue,
        };
        out.push(Role::indicator(i, ParamAspect::Base));
        out.push(Role::indicator(i, trend));
    }
    for s in 0..model.shocks.len() {
        for aspect in [ParamAspect::Probability, ParamAspect::EffectMean] {
            out.push(Role {
                owner: Owner::Shock(s),
                aspect,
            });
        }
    }
    out
}

/// The path of an input, e.g. `indicators.output.growth.mean`.
pub fn input(model: &Model, input: Input) -> String {
    match input {
        Input::Growth(i) => {
            let ind = &model.indicators[i];
            let field = match ind.kind {
                Kind::Share { .. } => "change",
                _ => "growth",
            };
            format!("indicators.{}.{field}.mean", ind.id)
        }
        Input::Entries(i) => format!("indicators.{}.entries.mean", model.indicators[i].id),
        Input::Base(i) => format!("indicators.{}.base", model.indicators[i].id),
        Input::ShockProbability(s) => format!("shocks.{}.probability", model.shocks[s].id),
        Input::Sd(i) => {
            let ind = &model.indicators[i];
            let field = match ind.kind {
                Kind::Share { .. } => "change",
                _ => "growth",
            };
            format!("indicators.{}.{field}.sd", ind.id)
        }
        Input::Persistence(i) => format!("indicators.{}.persistence", model.indicators[i].id),
        Input::ExitRate(i) => format!("indicators.{}.exit_rate", model.indicators[i].id),
        Input::Threshold(k) => {
            let t = &model.targets[k];
            let key = match &t.kind {
                TargetKind::Stat(s) => s.direction.name(),
                TargetKind::Composite { .. } => Direction::AtLeast.name(),
            };
            format!("targets.{}.{key}", t.id)
        }
    }
}

/// Every input that `--vary` can move in this model.
fn variable(model: &Model) -> Vec<Input> {
    let mut all: Vec<Input> = Vec::new();
    for (i, ind) in model.indicators.iter().enumerate() {
        match &ind.kind {
            Kind::Level { growth: d, .. } | Kind::Share { change: d, .. } => {
                // A lognormal cannot be shifted, only scaled: its growth stays put.
                if !matches!(d.shape, Shape::Lognormal { .. }) {
                    all.push(Input::Growth(i));
                }
                if matches!(d.shape, Shape::Normal { .. }) {
                    all.push(Input::Sd(i));
                }
                all.push(Input::Persistence(i));
            }
            Kind::Count { .. } => {
                all.push(Input::Entries(i));
                all.push(Input::ExitRate(i));
            }
            Kind::Formula(_) => {}
        }
        if ind.kind.base().is_some() {
            all.push(Input::Base(i));
        }
    }
    all.extend((0..model.shocks.len()).map(Input::ShockProbability));
    all.extend(
        (0..model.targets.len())
            .filter(|&k| matches!(model.targets[k].kind, TargetKind::Stat(_)))
            .map(Input::Threshold),
    );
    all
}

/// The values an input can take: from `lo` to `hi`, each end included or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
    pub lo_open: bool,
    pub hi_open: bool,
}

impl Range {
    const fn closed(lo: f64, hi: f64) -> Range {
        Range {
            lo,
            hi,
            lo_open: false,
            hi_open: false,
        }
    }

    pub fn contains(&self, x: f64) -> bool {
        let above = if self.lo_open {
            x > self.lo
        } else {
            x >= self.lo
        };
        let below = if self.hi_open {
            x < self.hi
        } else {
            x <= self.hi
        };
        above && below
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bound = |x: f64| match x {
            f64::INFINITY => "∞".to_string(),
            f64::NEG_INFINITY => "−∞".to_string(),
            x => x.to_string(),
        };
        // An infinite end is never reached: shown open.
        let open = if self.lo_open || self.lo.is_infinite() {
            "("
        } else {
            "["
        };
        let close = if self.hi_open || self.hi.is_infinite() {
            ")"
        } else {
            "]"
        };
        write!(f, "{open}{}, {}{close}", bound(self.lo), bound(self.hi))
    }
}

/// The input `path` names, and the values it can take; or why it cannot be
/// varied, with the nearest path that can.
pub fn parse(model: &Model, path: &str) -> Result<(Input, Range), (Text, Option<Text>)> {
    let all = variable(model);
    let paths: Vec<String> = all.iter().map(|&i| input(model, i)).collect();
    let Some(k) = paths.iter().position(|p| p == path) else {
        let help = did_you_mean(path, paths.iter().map(String::as_str)).or_else(|| {
            Some(tr!(
                "--vary moves a mean growth or change, its sd or persistence, a base, mean entries, an exit rate, a shock's probability or a target's threshold; here: {list}",
                "--vary 可移动的有：增长或变化的均值、其标准差或持续性、基期值、年均新增、退出率、冲击概率或目标门槛；本情景中：{list}",
                list = paths.join(", ")
            ))
        });
        return Err((
            tr!(
                "`{path}` is not an input --vary can move",
                "`{path}` 不是 --vary 可移动的输入"
            ),
            help,
        ));
    };
    let found = all[k];
    let kind = |i: usize| &model.indicators[i].kind;
    let range = match found {
        Input::Base(i) if matches!(kind(i), Kind::Share { .. }) => Range::closed(0.0, 1.0),
        Input::Base(i) if matches!(kind(i), Kind::Count { .. }) => Range::closed(0.0, MAX_COUNT),
        Input::Base(_) | Input::Sd(_) => Range::closed(0.0, f64::INFINITY),
        Input::Entries(_) => Range::closed(0.0, MAX_COUNT),
        Input::ShockProbability(_) => Range::closed(0.0, 1.0),
        Input::Growth(_) | Input::Threshold(_) => Range::closed(f64::NEG_INFINITY, f64::INFINITY),
        Input::Persistence(_) => Range {
            lo_open: true,
            hi_open: true,
            ..Range::closed(-1.0, 1.0)
        },
        Input::ExitRate(_) => Range {
            hi_open: true,
            ..Range::closed(0.0, 1.0)
        },
    };
    Ok((found, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_path_is_one_that_set_accepts() {
        let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022\n\
             [indicators.x]\nkind = \"level\"\nbase = { dist = \"uniform\", low = 90, high = 110 }\n\
             growth = { mean = 0.05, sd = 0.02 }\n\
             [indicators.n]\nkind = \"count\"\nbase = 10\nentries = { mean = 4 }\n\
             [indicators.s]\nkind = \"share\"\nbase = 0.3\nchange = { mean = 0.01, sd = 0.01 }\n\
             [shocks.d]\nprobability = 0.1\neffect = -0.1\naffects = { x = 1 }\n";
        let m = crate::scenario::load("t.toml", text, &[]).unwrap();
        let paths: Vec<String> = m.inputs().into_iter().map(|(i, _)| input(&m, i)).collect();
        assert_eq!(
            paths,
            [
                "indicators.x.growth.mean",
                "indicators.x.base",
                "indicators.n.entries.mean",
                "indicators.s.change.mean",
                "shocks.d.probability"
            ]
        );
        // Each path names the value it moves: setting it there loads.
        for p in &paths {
            let set = format!("{p}=0.2");
            crate::scenario::load("t.toml", text, &[set]).unwrap();
        }
    }

    #[test]
    fn every_variable_input_round_trips_and_moves_to_the_value() {
        let text = "[scenario]\nname = \"t\"\nbase_year = 2020\nhorizon = 2022\n\
             [indicators.x]\nkind = \"level\"\nbase = { dist = \"uniform\", low = 90, high = 110 }\n\
             growth = { mean = 0.05, sd = 0.02 }\npersistence = 0.2\n\
             [indicators.n]\nkind = \"count\"\nbase = 10\nentries = { mean = 4 }\nexit_rate = 0.1\n\
             [shocks.d]\nprobability = 0.1\neffect = -0.1\naffects = { x = 1 }\n\
             [targets.t]\nindicator = \"x\"\nat_most = 120\n";
        let m = crate::scenario::load("t.toml", text, &[]).unwrap();
        let all = variable(&m);
        let paths: Vec<String> = all.iter().map(|&i| input(&m, i)).collect();
        assert_eq!(
            paths,
            [
                "indicators.x.growth.mean",
                "indicators.x.growth.sd",
                "indicators.x.persistence",
                "indicators.x.base",
                "indicators.n.entries.mean",
                "indicators.n.exit_rate",
                "indicators.n.base",
                "shocks.d.probability",
                "targets.t.at_most"
            ]
        );
        for (&i, p) in all.iter().zip(&paths) {
            let (found, range) = parse(&m, p).unwrap();
            assert_eq!(found, i, "{p}");
            // A value inside the range, away from the current one.
            let to = if range.contains(0.3) { 0.3 } else { -0.3 };
            let to = if i == Input::Base(0) { 60.0 } else { to };
            let moved = m.moved(i, crate::model::shift::Move::To(to));
            assert!((moved.input_value(i) - to).abs() < 1e-12, "{p}");
        }
        assert!(parse(&m, "targets.t.at_least").is_err());
        assert!(parse(&m, "indicators.x.growth").is_err());
    }
}
