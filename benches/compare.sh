#!/usr/bin/env bash
# Whole-process comparison on the reference workload, 1 000 000 draws:
# dabiao (1 thread and all threads) against the numpy version, alternating
# round by round so that both see the same machine state. Needs numpy.
# Usage: bash benches/compare.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
rounds=${1:-5}
for r in $(seq "$rounds"); do
  for cmd in "./target/release/dabiao run benches/reference.toml --quiet --threads 1" \
             "./target/release/dabiao run benches/reference.toml --quiet" \
             "python3 benches/numpy_reference.py 1000000"; do
    /usr/bin/time -f "round $r  %e s  %M KB  $cmd" $cmd > /dev/null
  done
done 2>&1 | grep '^round'
