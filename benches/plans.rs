//! Per-path cost of every shipped plan beside the reference workload, one
//! thread each, drawn each way (quasi-Monte Carlo, antithetic pairs and
//! independent paths).
//!
//! Run: `cargo bench --bench plans`. Criterion reports time per iteration of
//! `DRAWS` paths and, from the throughput, paths per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use dabiao::model::Sampler;
use dabiao::simulate::{simulate, RunConfig};

/// Enough paths that starting the pool and merging tallies weigh little.
const DRAWS: u64 = 100_000;

fn load(path: &str) -> dabiao::model::Model {
    let text = std::fs::read_to_string(path).expect("shipped scenario");
    dabiao::scenario::load(path, &text, &[]).expect("shipped scenario is valid")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("plans");
    g.throughput(Throughput::Elements(DRAWS));
    g.sample_size(10);
    let cfg = RunConfig {
        draws: DRAWS,
        seed: 7,
        threads: 1,
    };
    for (name, path) in [
        ("reference", "benches/reference.toml"),
        ("tongcheng_2021", "scenarios/tongcheng_2021.toml"),
        ("tongcheng_2024", "scenarios/tongcheng_2024.toml"),
        ("rongchang", "scenarios/rongchang.toml"),
        ("shengsi", "scenarios/shengsi.toml"),
        ("xinyi", "scenarios/xinyi.toml"),
        ("yangjiang", "scenarios/yangjiang.toml"),
    ] {
        for sampler in Sampler::ALL {
            let mut model = load(path);
            model.sampler = sampler;
            g.bench_function(format!("{name}/{}", sampler.name()), |b| {
                b.iter(|| simulate(&model, &cfg, &|_| {}).unwrap())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
