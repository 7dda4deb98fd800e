//! Estimating growth assumptions from an observed series: the mean and
//! standard deviation of yearly growth (or change) and the AR(1) persistence
//! of its deviations, each with a standard error; for counts, the mean and
//! dispersion of yearly additions. Short series (4–10 values) are the common
//! case, so every estimate says how weak it is.

use crate::text::Text;
use crate::tr;

/// What kind of yearly movement to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// Growth rates `X_t / X_{t−1} − 1` of a positive level.
    Level,
    /// Changes `S_t − S_{t−1}` of a share.
    Share,
    /// Additions `N_t − N_{t−1}` of a count.
    Count,
}

/// A checked series: consecutive years, one value each.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub first_year: i32,
    pub values: Vec<f64>,
}

/// Fewest values from which anything is estimated (two yearly movements).
pub const MIN_VALUES: usize = 3;
/// Below this many values the estimates are flagged as weak.
pub const WEAK_BELOW: usize = 8;

/// Checks a series: no duplicate years, no gaps, enough values, and positive
/// values for levels (whole non-negative numbers for counts).
pub fn series(mut points: Vec<(i32, f64)>, kind: SeriesKind) -> Result<Series, Text> {
    points.sort_by_key(|p| p.0);
    if let Some(w) = points.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(tr!(
            "year {y} appears twice",
            "年份 {y} 出现了两次",
            y = w[0].0
        ));
    }
    if let Some(w) = points.windows(2).find(|w| w[1].0 != w[0].0 + 1) {
        let (first, last) = (w[0].0 + 1, w[1].0 - 1);
        let missing = match last - first {
            0 => first.to_string(),
            1 => format!("{first}, {last}"),
            _ => format!("{first}–{last}"),
        };
        return Err(tr!(
            "the series has a gap: no value for {missing} (growth across a gap would be read as one year's)",
            "序列有缺年：{missing} 没有值（跨缺年的增长会被当作一年的增长）"
        ));
    }
    if points.len() < MIN_VALUES {
        return Err(tr!(
            "{n} values are too few: at least {MIN_VALUES} are needed",
            "{n} 个值太少：至少需要 {MIN_VALUES} 个",
            n = points.len()
        ));
    }
    for &(year, v) in &points {
        let bad = match kind {
            SeriesKind::Level => (v <= 0.0).then(|| {
                tr!(
                    "a level must be positive to have growth rates",
                    "水平值须为正才有增长率"
                )
            }),
            SeriesKind::Count => (v < 0.0 || v.fract() != 0.0)
                .then(|| tr!("a count is a whole number ≥ 0", "计数是 ≥ 0 的整数")),
            SeriesKind::Share => (!(0.0..=1.0).contains(&v))
                .then(|| tr!("a share is a fraction in [0, 1]", "比重是 [0, 1] 内的小数")),
        };
        if let Some(why) = bad {
            return Err(tr!("{year}: {v}: {why}", "{year}：{v}：{why}", why = why));
        }
    }
    Ok(Series {
        first_year: points[0].0,
        values: points.into_iter().map(|p| p.1).collect(),
    })
}

/// An estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub se: f64,
}

impl Estimate {
    /// Whether the estimate is within two standard errors of zero.
    pub fn indistinguishable_from_zero(&self) -> bool {
        self.value.abs() < 2.0 * self.se
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GrowthFit {
    pub kind: SeriesKind,
    pub first_year: i32,
    pub last_year: i32,
    /// Yearly movements used (values − 1).
    pub n: usize,
    pub mean: Estimate,
    /// Standard deviation of the yearly movements.
    pub sd: f64,
    /// AR(1) coefficient of the deviations, where the series is long enough.
    pub persistence: Option<Estimate>,
    /// The sd of the AR(1) innovations: what `growth.sd` means when
    /// persistence is used.
    pub innovation_sd: f64,
    pub warnings: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CountFit {
    pub first_year: i32,
    pub last_year: i32,
    pub n: usize,
    /// The exit rate the entries are gross of (0: net additions).
    pub exit_rate: f64,
    /// Mean yearly entries: gross (the count's change plus the expected
    /// exits) when `exit_rate` > 0, else net additions.
    pub mean: Estimate,
    pub variance: f64,
    /// Negative-binomial dispersion; `None` when the additions scatter no
    /// more than a Poisson's.
    pub dispersion: Option<f64>,
    pub warnings: Vec<Text>,
}

fn moves(s: &Series, kind: SeriesKind) -> Vec<f64> {
    s.values
        .windows(2)
        .map(|w| match kind {
            SeriesKind::Level => w[1] / w[0] - 1.0,
            SeriesKind::Share | SeriesKind::Count => w[1] - w[0],
        })
        .collect()
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn short_warning(values: usize, warnings: &mut Vec<Text>) {
    if values < WEAK_BELOW {
        warnings.push(tr!(
            "only {values} values: the estimates are rough; the mean is given as a distribution so that its uncertainty is simulated",
            "只有 {values} 个值：估计粗略；均值写成分布，以便模拟其不确定性"
        ));
    }
}

/// Estimates the growth (level) or change (share) distribution.
pub fn fit_growth(s: &Series, kind: SeriesKind) -> GrowthFit {
    let g = moves(s, kind);
    let n = g.len();
    let (mean, var) = mean_var(&g);
    let sd = var.sqrt();
    let mut warnings = Vec::new();
    short_warning(s.values.len(), &mut warnings);
    // Lag-1 autocorrelation of the deviations; with fewer than four movements
    // there is nothing to estimate it from.
    let persistence = (n >= 4 && var > 0.0).then(|| {
        let dev: Vec<f64> = g.iter().map(|x| x - mean).collect();
        let num: f64 = dev.windows(2).map(|w| w[0] * w[1]).sum();
        let den: f64 = dev.iter().map(|d| d * d).sum();
        let phi = (num / den).clamp(-0.95, 0.95);
        Estimate {
            value: phi,
            se: ((1.0 - phi * phi) / n as f64).sqrt(),
        }
    });
    let phi = match persistence {
        Some(p) if !p.indistinguishable_from_zero() => p.value,
        Some(p) => {
            warnings.push(tr!(
                "persistence {v:.2} (se {se:.2}) is not distinguishable from 0; suggested as 0",
                "持续性 {v:.2}（标准误 {se:.2}）与 0 无显著差异；建议取 0",
                v = p.value,
                se = p.se
            ));
            0.0
        }
        None => {
            warnings.push(tr!(
                "too few values to estimate persistence; suggested as 0",
                "值太少，无法估计持续性；建议取 0"
            ));
            0.0
        }
    };
    // Persistent deviations carry less information about the mean.
    let mean_se = sd / (n as f64).sqrt() * ((1.0 + phi) / (1.0 - phi)).sqrt();
    if var == 0.0 {
        warnings.push(tr!(
            "every yearly movement is the same: the scatter cannot be estimated",
            "每年的变动都相同：无法估计离散程度"
        ));
    }
    GrowthFit {
        kind,
        first_year: s.first_year,
        last_year: s.first_year + s.values.len() as i32 - 1,
        n,
        mean: Estimate {
            value: mean,
            se: mean_se,
        },
        sd,
        persistence,
        innovation_sd: sd * (1.0 - phi * phi).sqrt(),
        warnings,
    }
}

/// Estimates yearly entries of a count: mean, variance and dispersion.
/// With `exit_rate` e > 0 the entries are gross, as a scenario's `entries`
/// are: each year's `N_t − (1 − e)·N_{t−1}`, whose variance holds the
/// exits' binomial `e(1 − e)·N_{t−1}` besides the entries' own.
pub fn fit_count(s: &Series, exit_rate: f64) -> CountFit {
    let e = exit_rate;
    let adds: Vec<f64> = s
        .values
        .windows(2)
        .map(|w| w[1] - (1.0 - e) * w[0])
        .collect();
    let n = adds.len();
    let (mean, total_variance) = mean_var(&adds);
    let exit_variance = s.values[..n]
        .iter()
        .map(|&c| e * (1.0 - e) * c)
        .sum::<f64>()
        / n as f64;
    let variance = (total_variance - exit_variance).max(0.0);
    let mut warnings = Vec::new();
    short_warning(s.values.len(), &mut warnings);
    if e == 0.0 && adds.iter().any(|&a| a < 0.0) {
        warnings.push(tr!(
            "some years lost units: these are net additions; if units leave (an exit_rate), give --exit-rate to estimate gross entries",
            "有些年份数量减少：这是净新增；若有单位退出（exit_rate），请给 --exit-rate 以估计新增总数"
        ));
    }
    if mean <= 0.0 {
        warnings.push(tr!(
            "the count did not grow on average: entries are suggested as 0",
            "计数平均未增长：新增建议取 0"
        ));
    }
    let dispersion = (mean > 0.0 && variance > mean).then(|| mean * mean / (variance - mean));
    CountFit {
        first_year: s.first_year,
        last_year: s.first_year + s.values.len() as i32 - 1,
        n,
        exit_rate: e,
        mean: Estimate {
            value: mean.max(0.0),
            se: (total_variance / n as f64).sqrt(),
        },
        variance,
        dispersion,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal, Poisson};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn synthetic_ar1(n: usize, mu: f64, phi: f64, sigma: f64, seed: u64) -> Series {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let e = Normal::new(0.0, sigma).unwrap();
        let (mut x, mut u, mut values) = (100.0, 0.0, vec![100.0]);
        for _ in 1..n {
            u = phi * u + e.sample(&mut rng);
            x *= 1.0 + mu + u;
            values.push(x);
        }
        Series {
            first_year: 1000,
            values,
        }
    }

    #[test]
    fn recovers_known_growth_parameters() {
        let (mu, phi, sigma) = (0.08, 0.5, 0.03);
        let fit = fit_growth(&synthetic_ar1(2000, mu, phi, sigma, 1), SeriesKind::Level);
        assert!(
            (fit.mean.value - mu).abs() < 3.0 * fit.mean.se,
            "{:?}",
            fit.mean
        );
        let p = fit.persistence.unwrap();
        assert!((p.value - phi).abs() < 3.0 * p.se, "{p:?}");
        assert!(
            (fit.innovation_sd - sigma).abs() < 0.1 * sigma,
            "{}",
            fit.innovation_sd
        );
        // The marginal sd of an AR(1) is σ/√(1−φ²).
        assert!((fit.sd - sigma / (1.0 - phi * phi).sqrt()).abs() < 0.1 * fit.sd);
        assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    }

    #[test]
    fn standard_error_of_the_mean_covers_the_truth() {
        // Over many short iid series, |mean − μ| < 2 se about 95 % of the time
        // (somewhat less: the sd itself is estimated from 7 movements).
        let covered = (0..400)
            .filter(|&k| {
                let fit = fit_growth(
                    &synthetic_ar1(8, 0.06, 0.0, 0.04, 100 + k),
                    SeriesKind::Level,
                );
                (fit.mean.value - 0.06).abs() < 2.0 * fit.mean.se
            })
            .count();
        assert!((330..=395).contains(&covered), "{covered} of 400");
    }

    #[test]
    fn recovers_count_dispersion() {
        // Gamma–Poisson additions with mean 12, dispersion 3: variance 12 + 48.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let gamma = rand_distr::Gamma::new(3.0, 4.0).unwrap();
        let mut n = 50.0;
        let mut values = vec![n];
        for _ in 0..3000 {
            let lambda: f64 = gamma.sample(&mut rng);
            n += Poisson::new(lambda).unwrap().sample(&mut rng);
            values.push(n);
        }
        let fit = fit_count(
            &Series {
                first_year: 1,
                values,
            },
            0.0,
        );
        assert!((fit.mean.value - 12.0).abs() < 3.0 * fit.mean.se);
        let r = fit.dispersion.unwrap();
        assert!((r - 3.0).abs() < 0.5, "{r}");
    }

    #[test]
    fn gross_entries_come_back_from_a_count_with_exits() {
        // Poisson(20) entries, 5 % of units leaving each year, from 300:
        // the count settles near 400 and its net additions near 0.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut n = 300.0f64;
        let mut values = vec![n];
        for _ in 0..3000 {
            let exits = rand_distr::Binomial::new(n as u64, 0.05)
                .unwrap()
                .sample(&mut rng);
            n += Poisson::new(20.0).unwrap().sample(&mut rng) - exits as f64;
            values.push(n);
        }
        let s = Series {
            first_year: 1,
            values,
        };
        let gross = fit_count(&s, 0.05);
        assert!(
            (gross.mean.value - 20.0).abs() < 3.0 * gross.mean.se,
            "{:?}",
            gross.mean
        );
        // Once the exits' binomial share is taken out, the entries scatter
        // as a Poisson's: no overdispersion worth a negative binomial.
        assert!(
            gross.dispersion.is_none_or(|r| r > 20.0),
            "{:?}",
            gross.dispersion
        );
        let net = fit_count(&s, 0.0);
        assert!(net.mean.value < 1.0, "{:?}", net.mean);
    }

    #[test]
    fn rejects_bad_series() {
        let e = series(
            vec![(2019, 1.0), (2021, 2.0), (2022, 3.0)],
            SeriesKind::Level,
        )
        .unwrap_err()
        .en()
        .to_string();
        assert!(e.contains("gap") && e.contains("2020"), "{e}");
        let e = series(
            vec![(2019, 1.0), (2019, 2.0), (2020, 3.0)],
            SeriesKind::Level,
        )
        .unwrap_err()
        .en()
        .to_string();
        assert!(e.contains("2019 appears twice"), "{e}");
        let e = series(
            vec![(2019, 1.0), (2020, 0.0), (2021, 3.0)],
            SeriesKind::Level,
        )
        .unwrap_err()
        .en()
        .to_string();
        assert!(e.contains("positive"), "{e}");
        let e = series(vec![(2019, 1.0), (2020, 2.0)], SeriesKind::Level)
            .unwrap_err()
            .en()
            .to_string();
        assert!(e.contains("too few"), "{e}");
        let e = series(
            vec![(2019, 1.5), (2020, 2.0), (2021, 3.0)],
            SeriesKind::Count,
        )
        .unwrap_err()
        .en()
        .to_string();
        assert!(e.contains("whole"), "{e}");
        // Order does not matter.
        assert!(series(
            vec![(2021, 3.0), (2019, 1.0), (2020, 2.0)],
            SeriesKind::Level
        )
        .is_ok());
    }
}
