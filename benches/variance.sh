#!/bin/bash
# Variance of each target's estimate across seeds, each sampler against the
# first: what docs/performance.md's variance ratios are.
#   bash benches/variance.sh FILE DRAWS SEEDS SAMPLER...
#   bash benches/variance.sh benches/reference.toml 32768 30 mc antithetic sobol
# Needs python3 and a release build (cargo build --release).
set -euo pipefail
f=$1; n=$2; k=$3; shift 3
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for s in "$@"; do
  for seed in $(seq 1 "$k"); do
    ./target/release/dabiao run "$f" --draws "$n" --seed "$seed" --sampler "$s" \
      --quiet --format json > "$dir/${s}_$seed.json"
  done
done
python3 - "$dir" "$k" "$@" <<'P'
import json, math, statistics as st, sys
d, k, ss = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = {s: [json.load(open(f"{d}/{s}_{i}.json")) for i in range(1, k + 1)] for s in ss}
ids = [t["id"] for t in runs[ss[0]][0]["targets"]]
logs = {s: [] for s in ss}
for j, i in enumerate(ids):
    var = {s: st.variance([r["targets"][j]["probability"] for r in runs[s]]) for s in ss}
    p = st.mean(r["targets"][j]["probability"] for r in runs[ss[0]])
    print(f"{i[:20]:20} p={p:.4f} " + " ".join(f"{s}={var[ss[0]] / var[s]:.2f}" for s in ss[1:] if var[s] > 0))
    if 0.001 < p < 0.999:
        for s in ss[1:]:
            if var[s] > 0:
                logs[s].append(math.log(var[ss[0]] / var[s]))
for s in ss[1:]:
    if logs[s]:
        print(f"{s}: geometric mean variance ratio {math.exp(st.mean(logs[s])):.2f} over {len(logs[s])} targets")
P
