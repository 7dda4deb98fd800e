//! Throughput on the reference workload (`../shared/bench/reference.toml`,
//! copied to `benches/reference.toml`): 8 correlated levels over 5 years with
//! AR(1) growth and a common shock.
//!
//! Three measurements, in paths per second:
//! - `engine/1 thread` and `engine/all threads`: `dabiao::simulate` with
//!   independent paths, as the kernel draws them; `engine sobol/1 thread` with
//!   the default sampler (quasi-Monte Carlo) and `engine antithetic/1 thread`;
//! - `kernel/1 thread`: a hand-written kernel of the same model that only counts
//!   target hits, with the same random number generator and normal sampler. It is
//!   our yardstick for the engine's overhead (issue: within 1.5× single-threaded).
//!
//! Run: `cargo bench --bench reference`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use dabiao::model::Sampler;
use dabiao::simulate::{chunk_rng, simulate, RunConfig, CHUNK};

/// The workload: a million draws (fewer would weigh starting the
/// pool and merging tallies more than a run does).
const DRAWS: u64 = 1_000_000;
const SEED: u64 = 20220101;

const N: usize = 8;
const YEARS: usize = 5;
const RHO: f64 = 0.5;
const PERSISTENCE: f64 = 0.3;
const SHOCK_P: f64 = 0.1;
const SHOCK_MEAN: f64 = -0.08;
const SHOCK_SD: f64 = 0.03;
const LEVEL_THRESHOLDS: [f64; N] = [
    140.255173,
    293.865615,
    461.587186,
    644.204,
    842.529078,
    1057.40501,
    1289.704626,
    1540.331666,
];

fn base(i: usize) -> f64 {
    100.0 * (i + 1) as f64
}
fn mean(i: usize) -> f64 {
    0.07 + 0.01 * i as f64
}
fn sd(i: usize) -> f64 {
    0.035 + 0.005 * i as f64
}

/// Cholesky factor of the equicorrelation matrix, row-major lower triangle.
fn cholesky() -> [[f64; N]; N] {
    let mut l = [[0.0; N]; N];
    for j in 0..N {
        let d: f64 = 1.0 - (0..j).map(|k| l[j][k] * l[j][k]).sum::<f64>();
        l[j][j] = d.sqrt();
        for i in j + 1..N {
            let s: f64 = RHO - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            l[i][j] = s / l[j][j];
        }
    }
    l
}

/// Hits of the 8 level targets, the 8 CAGR targets and "all levels".
fn kernel(draws: u64) -> [u64; 2 * N + 1] {
    let l = cholesky();
    // CAGR from a fixed base is a level threshold: X_T ≥ base·(1 + c)^T.
    let cagr: [f64; N] =
        std::array::from_fn(|i| base(i) * (1.09 + 0.01 * i as f64).powi(YEARS as i32));
    let mut hits = [0u64; 2 * N + 1];
    for chunk in 0..draws.div_ceil(CHUNK as u64) {
        let mut rng = chunk_rng(SEED, chunk);
        let paths = (draws - chunk * CHUNK as u64).min(CHUNK as u64);
        for _ in 0..paths {
            let mut x: [f64; N] = std::array::from_fn(base);
            let mut u = [0.0; N];
            for _ in 0..YEARS {
                let n: [f64; N] = std::array::from_fn(|_| StandardNormal.sample(&mut rng));
                let shock = if rng.random::<f64>() < SHOCK_P {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    SHOCK_MEAN + SHOCK_SD * z
                } else {
                    0.0
                };
                for i in 0..N {
                    let z: f64 = (0..=i).map(|k| l[i][k] * n[k]).sum();
                    u[i] = PERSISTENCE * u[i] + sd(i) * z;
                    let g = mean(i) + u[i] + shock;
                    x[i] = if g <= -1.0 { 0.0 } else { x[i] * (1.0 + g) };
                }
            }
            let mut all = true;
            for i in 0..N {
                let level = x[i] >= LEVEL_THRESHOLDS[i];
                hits[i] += u64::from(level);
                hits[N + i] += u64::from(x[i] >= cagr[i]);
                all &= level;
            }
            hits[2 * N] += u64::from(all);
        }
    }
    hits
}

/// The reference scenario, drawn by independent paths (as the kernel draws)
/// unless another sampler is asked for.
fn reference_model(sampler: Sampler) -> dabiao::model::Model {
    let text = include_str!("reference.toml");
    let mut m =
        dabiao::scenario::load("reference.toml", text, &[]).expect("reference scenario is valid");
    m.sampler = sampler;
    m
}

fn bench(c: &mut Criterion) {
    let model = reference_model(Sampler::MonteCarlo);
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());

    // The kernel is the same model: its odds must match the engine's.
    let k = kernel(DRAWS);
    let tally = simulate(
        &model,
        &RunConfig {
            draws: DRAWS,
            seed: SEED,
            threads: all,
        },
        &|_| {},
    )
    .unwrap();
    for (i, (&kh, &eh)) in k.iter().zip(&tally.hits).enumerate() {
        let (pk, pe) = (kh as f64 / DRAWS as f64, eh as f64 / DRAWS as f64);
        let se = (pe * (1.0 - pe) * 2.0 / DRAWS as f64).sqrt().max(1e-6);
        assert!(
            (pk - pe).abs() < 5.0 * se,
            "target {i}: kernel {pk}, engine {pe}"
        );
    }

    let mut g = c.benchmark_group("reference");
    g.throughput(Throughput::Elements(DRAWS));
    g.sample_size(20);
    g.bench_function("kernel/1 thread", |b| b.iter(|| kernel(DRAWS)));
    let mut thread_counts = vec![1];
    if all > 1 {
        thread_counts.push(all);
    }
    for threads in thread_counts {
        let name = if threads == 1 {
            "engine/1 thread".to_string()
        } else {
            format!("engine/{threads} threads")
        };
        let cfg = RunConfig {
            draws: DRAWS,
            seed: SEED,
            threads,
        };
        g.bench_function(name, |b| {
            b.iter(|| simulate(&model, &cfg, &|_| {}).unwrap())
        });
    }
    // The other samplers, for their cost per path (their precision per path
    // is docs/performance.md's business).
    let cfg = RunConfig {
        draws: DRAWS,
        seed: SEED,
        threads: 1,
    };
    for sampler in [Sampler::Sobol, Sampler::Antithetic] {
        let model = reference_model(sampler);
        g.bench_function(format!("engine {}/1 thread", sampler.name()), |b| {
            b.iter(|| simulate(&model, &cfg, &|_| {}).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
