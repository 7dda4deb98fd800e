//! `dabiao merge` at scale: 1 000 parts of the reference workload (one chunk
//! each, as `run --shard I/1000` of 1 024 000 paths writes them) decoded,
//! checked against the model's shape and added up. The issue asks for under
//! a second; the command on files measured 0.28 s (docs/cluster.md).

use criterion::{criterion_group, criterion_main, Criterion};
use dabiao::part::{decode, encode, histories_digest, Body, Part, RunIdentity, RunPart};
use dabiao::simulate::{empty_tally, simulate_shard, RunConfig, Shard};

const SHARDS: u64 = 1000;

fn bench(c: &mut Criterion) {
    let text = include_str!("reference.toml");
    let model = dabiao::scenario::load("reference.toml", text, &[]).expect("valid");
    let cfg = RunConfig {
        draws: SHARDS * 1024,
        seed: 1,
        threads: 1,
    };
    let parts: Vec<Vec<u8>> = (0..SHARDS)
        .map(|i| {
            let shard = Shard::new(i, SHARDS).unwrap();
            let tally = simulate_shard(&model, &cfg, shard, &|_| {}).unwrap();
            encode(&Part {
                shard,
                threads: 1,
                seconds: 0.0,
                body: Body::Run(Box::new(RunPart {
                    identity: RunIdentity {
                        file: "reference.toml".into(),
                        sha256: String::new(),
                        variant: None,
                        overrides: vec![],
                        seed: cfg.seed,
                        draws: cfg.draws,
                        sampler: model.sampler.name().into(),
                        histories_sha256: histories_digest(&[]),
                    },
                    text: text.into(),
                    histories: vec![],
                    tally,
                })),
            })
        })
        .collect();
    let bytes: usize = parts.iter().map(Vec::len).sum();
    eprintln!("{SHARDS} parts, {} KB in all", bytes / 1024);
    let mut g = c.benchmark_group("merge");
    g.sample_size(10);
    g.bench_function("1000 reference parts", |b| {
        b.iter(|| {
            let mut total = empty_tally(&model);
            for p in &parts {
                let Body::Run(run) = decode(p).unwrap().body else {
                    unreachable!()
                };
                assert!(total.is_shaped_like(&run.tally));
                total.merge(&run.tally);
            }
            assert_eq!(total.draws, cfg.draws);
            total
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
