//! Validation of large models: the reliability issue asked that checking a
//! 500-indicator correlation matrix take well under a second, and repairing
//! one take the same order of time.
//!
//! - `check/chain 500`: `scenario::load` of 500 levels correlated in a chain
//!   (ρ = 0.45 between neighbours: valid), text to model;
//! - `repair/60` and `repair/250`: the nearest valid correlation matrix to
//!   one whose pairs are ±0.9 at random (far from valid).
//!
//! Run: `cargo bench --bench validation`.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};

use dabiao::model::correlation::Matrix;

fn chain(n: usize) -> String {
    let mut text = String::from("[scenario]\nname = \"chain\"\nbase_year = 2020\nhorizon = 2025\n");
    for i in 0..n {
        text += &format!(
            "\n[indicators.x{i}]\nkind = \"level\"\nbase = 1\ngrowth = {{ mean = 0.05, sd = 0.05 }}\n"
        );
    }
    let pairs: Vec<String> = (1..n)
        .map(|i| format!("[\"x{}\", \"x{i}\", 0.45]", i - 1))
        .collect();
    text + &format!("\n[correlation]\npairs = [{}]\n", pairs.join(", "))
}

fn far_from_valid(n: usize) -> Matrix {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
    let mut m = Matrix::identity(n);
    for i in 0..n {
        for j in i + 1..n {
            let r = if rng.random() { 0.9 } else { -0.9 };
            m.set(i, j, r);
            m.set(j, i, r);
        }
    }
    m
}

fn bench(c: &mut Criterion) {
    let text = chain(500);
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    g.bench_function("chain 500", |b| {
        b.iter(|| dabiao::scenario::load("chain.toml", &text, &[]).map(|m| m.indicators.len()))
    });
    g.finish();
    let mut g = c.benchmark_group("repair");
    g.sample_size(10);
    for n in [60, 250] {
        let m = far_from_valid(n);
        g.bench_function(format!("{n}"), |b| b.iter(|| m.nearest_correlation()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
