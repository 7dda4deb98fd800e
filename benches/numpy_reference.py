"""The reference workload (benches/reference.toml) in numpy, as a competent
economist would write it: vectorised over paths in batches, normals from
numpy's Generator (PCG64, ziggurat), the same outputs as `dabiao run`
(target hit rates, and fan-chart percentiles and means per indicator-year).

Usage: python3 benches/numpy_reference.py [DRAWS]   (default 1 000 000)
"""
import sys
import time

import numpy as np

N, YEARS, RHO, PHI = 8, 5, 0.5, 0.3
SHOCK_P, SHOCK_MEAN, SHOCK_SD = 0.1, -0.08, 0.03
BASE = 100.0 * np.arange(1, N + 1)
MEAN = 0.07 + 0.01 * np.arange(N)
SD = 0.035 + 0.005 * np.arange(N)
LEVEL = np.array([140.255173, 293.865615, 461.587186, 644.204000,
                  842.529078, 1057.405010, 1289.704626, 1540.331666])
CAGR = 0.09 + 0.01 * np.arange(N)
BATCH = 100_000


def run(draws, seed=20220101):
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(np.full((N, N), RHO) + (1 - RHO) * np.eye(N))
    hits = np.zeros(2 * N + 1)
    # Fan charts need every path's value per year: keep them (as numpy users do).
    paths = np.empty((YEARS, N, draws))
    done = 0
    while done < draws:
        b = min(BATCH, draws - done)
        x = np.tile(BASE, (b, 1))
        u = np.zeros((b, N))
        for t in range(YEARS):
            z = rng.standard_normal((b, N)) @ chol.T
            shock = np.where(rng.random(b) < SHOCK_P,
                             SHOCK_MEAN + SHOCK_SD * rng.standard_normal(b), 0.0)
            u = PHI * u + SD * z
            g = MEAN + u + shock[:, None]
            x = np.where(g <= -1.0, 0.0, x * (1.0 + g))
            paths[t, :, done:done + b] = x.T
        level = x >= LEVEL
        cagr = (x / BASE) ** (1.0 / YEARS) - 1.0 >= CAGR
        hits[:N] += level.sum(axis=0)
        hits[N:2 * N] += cagr.sum(axis=0)
        hits[2 * N] += level.all(axis=1).sum()
        done += b
    fan = np.percentile(paths, [5, 25, 50, 75, 95], axis=2)
    means = paths.mean(axis=2)
    return hits / draws, fan, means


if __name__ == "__main__":
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    p, fan, means = run(draws)
    seconds = time.perf_counter() - start
    print(f"numpy: {draws} draws in {seconds:.2f} s ({seconds / draws * 1e9:.0f} ns/path)")
    print("P(level_1..8):", np.round(p[:N], 4))
    print("P(all_levels):", round(p[2 * N], 4))
