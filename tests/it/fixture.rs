//! A hand-built `Results`: every number written here, none drawn, so that
//! the renderers' snapshots change when a renderer does and never when the
//! engine does. It has what reports show: a level, a share and a count with
//! history, targets of each kind (a value, a CAGR, a share, a count never
//! hit, a composite), drivers, a warning, sensitivity and convergence.

use dabiao::model::requirement::{Pace, Requirement};
use dabiao::model::ParamAspect;
use dabiao::model::{Aspect, Direction, Metric, Reading, Tier, Unmodelled};
use dabiao::stats::assumptions::{
    Assumption, Correlated, CorrelationAssumption, DistSummary, ShockAssumption,
};
use dabiao::stats::results::{
    Composite, ConvergencePoint, Driver, DriverUnit, Estimate, FirstReached, IndicatorResult,
    Quantiles, Reached, Results, RunInfo, ScenarioInfo, SensitivityInput, SensitivityRow,
    SensitivityStep, SensitivityTarget, TargetDetail, TargetResult, Verdict, Warning,
};

const YEARS: [i32; 5] = [2021, 2022, 2023, 2024, 2025];
const DRAWS: u64 = 10_000;

/// An empirical CDF through five quantiles, linear between them.
fn ecdf(q: [f64; 5]) -> Vec<(f64, f64)> {
    let knots = [
        (0.0, q[0] * 0.9),
        (0.05, q[0]),
        (0.25, q[1]),
        (0.5, q[2]),
        (0.75, q[3]),
        (0.95, q[4]),
        (1.0, q[4] * 1.1),
    ];
    (0..=100)
        .map(|c| {
            let p = f64::from(c) / 100.0;
            let k = knots.windows(2).position(|w| p <= w[1].0).unwrap_or(5);
            let ((p0, v0), (p1, v1)) = (knots[k], knots[k + 1]);
            (p, v0 + (v1 - v0) * (p - p0) / (p1 - p0))
        })
        .collect()
}

fn indicator(
    id: &str,
    label: &str,
    unit: &str,
    kind: Reading,
    observed: [Option<f64>; 5],
    simulated: [[f64; 5]; 3],
) -> IndicatorResult {
    let mut quantiles: [Vec<Option<f64>>; 5] = Default::default();
    let mut mean = Vec::new();
    for (t, obs) in observed.iter().enumerate() {
        if t < 2 {
            quantiles.iter_mut().for_each(|q| q.push(*obs));
            mean.push(*obs);
        } else {
            let q = simulated[t - 2];
            for (col, v) in quantiles.iter_mut().zip(q) {
                col.push(Some(v));
            }
            mean.push(Some(q[2] * 1.01));
        }
    }
    IndicatorResult {
        id: id.into(),
        label: label.into(),
        unit: unit.into(),
        kind,
        years: YEARS.to_vec(),
        quantiles: Quantiles::from_array(quantiles),
        mean,
        observed: observed.to_vec(),
    }
}

#[allow(clippy::too_many_arguments)]
fn stat_target(
    id: &str,
    label: &str,
    tier: Tier,
    hits: u64,
    (indicator, kind, unit): (&str, Reading, &str),
    (metric, from, to): (Metric, i32, i32),
    threshold: f64,
    outcome: [f64; 5],
    requirement: Option<Requirement>,
    drivers: Vec<Driver>,
) -> TargetResult {
    let estimate = Estimate::new(hits, DRAWS);
    let p = estimate.probability;
    // A value target over simulated years: held 20 %, 55 %, 100 % as often in
    // 2023, 2024, 2025 as in 2025, and first reached 20 %, 40 %, 50 % as often.
    let reached = (metric == Metric::Value && to > 2022).then(|| Reached {
        by_year: vec![(2023, 0.2 * p), (2024, 0.55 * p), (2025, p)],
        first_reached: FirstReached {
            years: vec![(2023, 0.2 * p), (2024, 0.4 * p), (2025, 0.5 * p)],
            never: 1.0 - 1.1 * p,
        },
    });
    TargetResult {
        id: id.into(),
        label: label.into(),
        tier,
        estimate,
        importance: None,
        detail: TargetDetail::Stat {
            indicator: indicator.into(),
            indicator_kind: kind,
            unit: unit.into(),
            metric,
            from,
            to,
            threshold,
            direction: Direction::AtLeast,
            outcome: Some(Quantiles::from_array(outcome)),
            ecdf: ecdf(outcome),
            observed: false,
            requirement,
            reached,
        },
        drivers,
        verdict: Verdict::of(estimate.probability),
    }
}

fn dist(name: &'static str, params: Vec<(&'static str, f64)>, central: f64) -> DistSummary {
    DistSummary {
        name,
        params,
        uncertain_mean: None,
        min: None,
        max: None,
        central,
    }
}

pub fn results() -> Results {
    let output_2025 = [101.0, 111.0, 121.5, 132.0, 146.0];
    let output = indicator(
        "output",
        "工业总产值",
        "亿元",
        Reading::Level,
        [Some(90.0), Some(100.0), None, None, None],
        [
            [98.0, 103.0, 107.0, 111.0, 116.0],
            [99.0, 107.0, 114.0, 121.0, 130.0],
            output_2025,
        ],
    );
    let rd = indicator(
        "rd",
        "研发投入强度",
        "",
        Reading::Share,
        [None, Some(0.012), None, None, None],
        [
            [0.0115, 0.0122, 0.013, 0.0137, 0.0145],
            [0.0118, 0.0127, 0.014, 0.0147, 0.0158],
            [0.012, 0.0131, 0.0142, 0.0151, 0.0166],
        ],
    );
    let firms = indicator(
        "firms",
        "规上企业",
        "家",
        Reading::Count,
        [None, Some(50.0), None, None, None],
        [
            [49.0, 51.0, 52.0, 54.0, 56.0],
            [49.0, 52.0, 54.0, 56.0, 59.0],
            [49.0, 53.0, 55.0, 57.0, 59.0],
        ],
    );
    let trend = Driver {
        subject: "工业总产值".into(),
        aspect: Aspect::Trend,
        year: None,
        own_outcome: false,
        exogenous: true,
        unit: DriverUnit::Fraction,
        hit_mean: 0.081,
        miss_mean: 0.059,
        effect: 0.92,
    };
    let growth = Driver {
        subject: "工业总产值".into(),
        aspect: Aspect::Growth,
        year: None,
        own_outcome: true,
        exogenous: false,
        unit: DriverUnit::Rate,
        hit_mean: 0.085,
        miss_mean: 0.052,
        effect: 1.4,
    };
    let slump = Driver {
        subject: "Downturn".into(),
        aspect: Aspect::Strikes,
        year: None,
        own_outcome: false,
        exogenous: true,
        unit: DriverUnit::Times,
        hit_mean: 0.2,
        miss_mean: 0.5,
        effect: -0.45,
    };
    let targets = vec![
        stat_target(
            "output_120",
            "工业总产值达到120亿元",
            Tier::Floor,
            5_210,
            ("output", Reading::Level, "亿元"),
            (Metric::Value, 2025, 2025),
            120.0,
            output_2025,
            Some(Requirement {
                anchor_year: 2022,
                anchor_value: 100.0,
                base_uncertain: false,
                needed_value: Some(120.0),
                required: Some(0.0627),
                assumed: Some(0.07),
                pace: Pace::Rate,
                direction: Direction::AtLeast,
            }),
            vec![growth.clone(), trend.clone(), slump],
        ),
        stat_target(
            "output_growth",
            "年均增长8%以上",
            Tier::Stretch,
            3_120,
            ("output", Reading::Level, "亿元"),
            (Metric::Cagr, 2021, 2025),
            0.08,
            [0.029, 0.054, 0.078, 0.101, 0.128],
            Some(Requirement {
                anchor_year: 2021,
                anchor_value: 90.0,
                base_uncertain: false,
                needed_value: Some(122.4),
                required: Some(0.08),
                assumed: Some(0.07),
                pace: Pace::Rate,
                direction: Direction::AtLeast,
            }),
            vec![growth, trend],
        ),
        stat_target(
            "rd_1_5",
            "研发投入强度达到1.5%",
            Tier::Floor,
            210,
            ("rd", Reading::Share, ""),
            (Metric::Value, 2025, 2025),
            0.015,
            [0.012, 0.0131, 0.0142, 0.0151, 0.0166],
            Some(Requirement {
                anchor_year: 2022,
                anchor_value: 0.012,
                base_uncertain: false,
                needed_value: Some(0.015),
                required: Some(0.001),
                assumed: Some(0.001),
                pace: Pace::Points,
                direction: Direction::AtLeast,
            }),
            Vec::new(),
        ),
        stat_target(
            "firms_60",
            "规上企业60家",
            Tier::Stretch,
            0,
            ("firms", Reading::Count, "家"),
            (Metric::Value, 2025, 2025),
            60.0,
            [49.0, 53.0, 55.0, 57.0, 59.0],
            Some(Requirement {
                anchor_year: 2022,
                anchor_value: 50.0,
                base_uncertain: false,
                needed_value: Some(60.0),
                required: Some(3.3),
                assumed: Some(1.5),
                pace: Pace::Units,
                direction: Direction::AtLeast,
            }),
            Vec::new(),
        ),
        TargetResult {
            id: "plan".into(),
            label: "All floor targets of the plan".into(),
            tier: Tier::Floor,
            estimate: Estimate::new(95, DRAWS),
            importance: None,
            detail: TargetDetail::Composite {
                composite: Composite::All,
                members: vec!["output_120".into(), "rd_1_5".into()],
            },
            drivers: Vec::new(),
            verdict: Verdict::of(0.0095),
        },
    ];
    let convergence = [1024, 3072, 7168, 10_000]
        .into_iter()
        .map(|draws: u64| ConvergencePoint {
            draws,
            targets: targets
                .iter()
                .map(|t| {
                    let p = t.estimate.probability;
                    let wobble = 1.0 + 0.3 * (1024.0 / draws as f64 - 0.1);
                    Estimate::new(((p * wobble).min(1.0) * draws as f64).round() as u64, draws)
                })
                .collect(),
        })
        .collect();
    Results {
        scenario: ScenarioInfo {
            name: "示例县 制造业 (fixture)".into(),
            document: Some("示例方案 (测试〔2024〕1号)".into()),
            region: Some("测试省".into()),
            file: "fixture.toml".into(),
            variant: None,
            sha256: Some("0".repeat(64)),
            base_year: 2022,
            horizon: 2025,
        },
        run: RunInfo {
            precision: Some(0.005),
            reached: Some(false),
            // Fixed, so that a release does not move the snapshots.
            dabiao_version: "0.0.0-fixture",
            ..RunInfo::new(
                DRAWS,
                7,
                1,
                0.5,
                vec!["indicators.output.growth.mean=0.07".into()],
            )
        },
        targets,
        unmodelled: vec![Unmodelled {
            id: "design_centres".into(),
            label: "省级以上工业设计中心2个以上".into(),
            why: "no count of design centres for the base year has been published".into(),
        }],
        indicators: vec![output, rd, firms],
        warnings: vec![
            Warning::PrecisionNotReached {
                half_width: 0.005,
                draws: DRAWS,
            },
            Warning::Clamped {
                indicator: "rd".into(),
                share: 0.0012,
            },
        ],
        sensitivity: Some(vec![
            SensitivityRow {
                parameter: "indicators.output.growth.mean".into(),
                subject: "工业总产值".into(),
                input: SensitivityInput::GrowthMean,
                low: 0.06,
                high: 0.08,
                step: SensitivityStep::Delta,
                targets: vec![
                    st("output_120", 0.41, 0.63),
                    st("output_growth", 0.22, 0.41),
                    st("rd_1_5", 0.021, 0.021),
                    st("firms_60", 0.0, 0.0),
                    st("plan", 0.007, 0.012),
                ],
            },
            SensitivityRow {
                parameter: "shocks.downturn.probability".into(),
                subject: "经济下行".into(),
                input: SensitivityInput::ShockProbability,
                low: 0.09,
                high: 0.11,
                step: SensitivityStep::TenPercent,
                targets: vec![
                    st("output_120", 0.53, 0.51),
                    st("output_growth", 0.32, 0.30),
                    st("rd_1_5", 0.021, 0.021),
                    st("firms_60", 0.0, 0.0),
                    st("plan", 0.0097, 0.0093),
                ],
            },
        ]),
        joint_floor: Some(Estimate::new(95, DRAWS)),
        joint_stretch: Some(Estimate::new(0, DRAWS)),
        convergence,
        assumed_shocks: vec![ShockAssumption {
            label: "经济下行".into(),
            probability: dist("fixed", vec![], 0.1),
            effect: dist("normal", vec![("mean", -0.05), ("sd", 0.02)], -0.05),
            loadings: vec![("工业总产值".into(), 1.0), ("规上企业".into(), 0.5)],
            first: 2023,
            last: 2025,
        }],
        assumed_correlations: vec![CorrelationAssumption {
            a: (
                "工业总产值".into(),
                Correlated::Parameter(ParamAspect::Trend),
            ),
            b: (
                "规上企业".into(),
                Correlated::Parameter(ParamAspect::MeanEntries),
            ),
            rho: 0.6,
        }],
        assumptions: vec![
            Assumption {
                id: "output".into(),
                label: "工业总产值".into(),
                unit: "亿元".into(),
                kind: Reading::Level,
                source: Some("统计公报 2022".into()),
                base: Some(dist("fixed", vec![("value", 100.0)], 100.0)),
                movement: Some(DistSummary {
                    uncertain_mean: Some(Box::new(dist(
                        "uniform",
                        vec![("low", 0.04), ("high", 0.1)],
                        0.07,
                    ))),
                    ..dist("normal", vec![("sd", 0.05)], 0.07)
                }),
                persistence: 0.3,
                exit_rate: 0.0,
                formula: None,
            },
            Assumption {
                id: "rd".into(),
                label: "研发投入强度".into(),
                unit: String::new(),
                kind: Reading::Share,
                source: None,
                base: Some(dist("fixed", vec![("value", 0.012)], 0.012)),
                movement: Some(dist("normal", vec![("mean", 0.001), ("sd", 0.001)], 0.001)),
                persistence: 0.0,
                exit_rate: 0.0,
                formula: None,
            },
            Assumption {
                id: "firms".into(),
                label: "规上企业".into(),
                unit: "家".into(),
                kind: Reading::Count,
                source: Some("made up".into()),
                base: Some(dist("fixed", vec![("value", 50.0)], 50.0)),
                movement: Some(dist("poisson", vec![("mean", 4.0)], 4.0)),
                persistence: 0.0,
                exit_rate: 0.05,
                formula: None,
            },
        ],
    }
}

fn st(id: &str, probability_low: f64, probability_high: f64) -> SensitivityTarget {
    SensitivityTarget {
        id: id.into(),
        probability_low,
        probability_high,
    }
}
