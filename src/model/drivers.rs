//! What may explain a miss: the inputs whose hit/miss contrast a run
//! tallies (indicators' realised movement, shocks' strikes, per-path
//! parameters), what each is about, and which can move a given target.

use super::{Kind, Metric, Model, Owner, ParamAspect, TargetKind};

/// Which aspect of an indicator or shock a driver input measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// Realised average yearly growth of a level or formula.
    Growth,
    /// Realised average yearly change of a share.
    Change,
    /// Realised average yearly net additions of a count.
    NetAdditions,
    /// How many years a shock struck.
    Strikes,
    /// An uncertain base-year value, drawn per path (the driver says its year).
    Base,
    /// An uncertain growth trend (the mean of growth), drawn per path.
    Trend,
    /// An uncertain change trend of a share, drawn per path.
    ChangeTrend,
    /// An uncertain mean of yearly entries, drawn per path.
    MeanEntries,
    /// An uncertain shock probability, drawn per path.
    Probability,
    /// An uncertain mean effect of a shock, drawn per path.
    EffectMean,
}

/// Something that differs between paths and may explain a miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverInput {
    /// An indicator's realised average yearly growth (levels, formulas),
    /// change (shares) or net additions (counts) over the target's years.
    Indicator(usize),
    /// How many times a shock struck in the target's years.
    Shock(usize),
    /// A parameter drawn once per path.
    Param(usize),
}

impl Model {
    /// The inputs whose hit/miss contrast every run reports.
    pub fn driver_inputs(&self) -> Vec<DriverInput> {
        let indicators = (0..self.indicators.len()).map(DriverInput::Indicator);
        let shocks = (0..self.shocks.len()).map(DriverInput::Shock);
        let params = (0..self.params.len()).map(DriverInput::Param);
        indicators.chain(shocks).chain(params).collect()
    }

    /// Which driver inputs (in [`Model::driver_inputs`] order) can move
    /// target `k`: its indicators and what feeds them (a formula's inputs,
    /// indicators correlated with them), the shocks that load on those, and
    /// the parameters of all these (and parameters coupled with those).
    /// Anything else differs between hits and misses only by chance.
    pub fn driver_reaches(&self, k: usize) -> Vec<bool> {
        let n = self.indicators.len();
        let mut feeds = vec![false; n];
        let mut stack: Vec<usize> = self.target_indicators(k);
        while let Some(j) = stack.pop() {
            if std::mem::replace(&mut feeds[j], true) {
                continue;
            }
            if let Kind::Formula(f) = &self.indicators[j].kind {
                stack.extend(f.inputs());
            }
            if let Some(c) = &self.correlation {
                if let Some(a) = c.members.iter().position(|&m| m == j) {
                    stack.extend(
                        (0..c.members.len())
                            .filter(|&b| b != a && c.matrix.get(a, b) != 0.0)
                            .map(|b| c.members[b]),
                    );
                }
            }
        }
        let shock_reaches: Vec<bool> = self
            .shocks
            .iter()
            .map(|s| s.loadings.iter().any(|&(i, l)| l != 0.0 && feeds[i]))
            .collect();
        let mut params: Vec<bool> = self
            .param_roles
            .iter()
            .map(|r| match r.owner {
                Owner::Indicator(i) => feeds[i],
                Owner::Shock(s) => shock_reaches[s],
            })
            .collect();
        if let Some(c) = &self.param_correlation {
            let coupled: Vec<usize> = (0..c.members.len())
                .filter(|&a| {
                    (0..c.members.len())
                        .any(|b| b != a && params[c.members[b]] && c.matrix.get(a, b) != 0.0)
                })
                .map(|a| c.members[a])
                .collect();
            coupled.into_iter().for_each(|p| params[p] = true);
        }
        self.driver_inputs()
            .into_iter()
            .map(|d| match d {
                DriverInput::Indicator(i) => feeds[i],
                DriverInput::Shock(s) => shock_reaches[s],
                DriverInput::Param(p) => params[p],
            })
            .collect()
    }

    /// The indicators target `k` reads: its own, or its members' for a composite.
    fn target_indicators(&self, k: usize) -> Vec<usize> {
        match &self.targets[k].kind {
            TargetKind::Stat(s) => vec![s.indicator],
            TargetKind::Composite { members, .. } => members
                .iter()
                .flat_map(|&m| self.target_indicators(m))
                .collect(),
        }
    }

    /// What a driver input is about: the label of its indicator or shock
    /// (or its path), and which aspect. Reports put these in words.
    pub fn driver_subject(&self, d: DriverInput) -> (String, Aspect) {
        match d {
            DriverInput::Indicator(i) => {
                let ind = &self.indicators[i];
                let aspect = match ind.kind {
                    Kind::Share { .. } => Aspect::Change,
                    Kind::Count { .. } => Aspect::NetAdditions,
                    _ => Aspect::Growth,
                };
                (ind.label.clone(), aspect)
            }
            DriverInput::Shock(s) => (self.shocks[s].label.clone(), Aspect::Strikes),
            DriverInput::Param(p) => {
                let role = self.param_roles[p];
                let label = match role.owner {
                    Owner::Indicator(i) => self.indicators[i].label.clone(),
                    Owner::Shock(s) => self.shocks[s].label.clone(),
                };
                let aspect = match role.aspect {
                    ParamAspect::Base => Aspect::Base,
                    ParamAspect::Trend => Aspect::Trend,
                    ParamAspect::ChangeTrend => Aspect::ChangeTrend,
                    ParamAspect::MeanEntries => Aspect::MeanEntries,
                    ParamAspect::Probability => Aspect::Probability,
                    ParamAspect::EffectMean => Aspect::EffectMean,
                };
                (label, aspect)
            }
        }
    }

    /// The indicator an input belongs to, if any: what a target's own outcome
    /// is made of, as opposed to what explains it.
    pub fn driver_indicator(&self, d: DriverInput) -> Option<usize> {
        match d {
            DriverInput::Indicator(i) => Some(i),
            DriverInput::Shock(_) => None,
            DriverInput::Param(p) => match self.param_roles[p].owner {
                Owner::Indicator(i) => Some(i),
                Owner::Shock(_) => None,
            },
        }
    }

    /// The years a target's drivers are measured over; `None` if it lies in
    /// observed years only.
    pub fn target_window(&self, k: usize) -> Option<(i32, i32)> {
        let (from, to) = match &self.targets[k].kind {
            TargetKind::Stat(s) if s.metric == Metric::Value => (self.base_year, s.to),
            TargetKind::Stat(s) => (s.from, s.to),
            TargetKind::Composite { .. } => (self.base_year, self.horizon),
        };
        (to > self.base_year && to > from).then_some((from, to))
    }
}
