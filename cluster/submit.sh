#!/bin/bash
# Submits a dabiao run or study to Slurm as an array of SHARDS jobs and a
# merge job that starts when all of them have succeeded. Prints both job ids.
#
#   DABIAO=$HOME/bin/dabiao WHAT=run INPUT=plan.toml PARTS=$SCRATCH/parts \
#   RESULT=$HOME/results.json SHARDS=40 DABIAO_ARGS="--draws 100000000" \
#   cluster/submit.sh
#
# WAIT=1 makes the script return only when the merge job has ended (as the
# test does). Every variable reaches the jobs through sbatch's --export=ALL.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
: "${SHARDS:=4}"
: "${PARTS:?set PARTS to a folder every node can write}"
export PARTS SHARDS
mkdir -p "$PARTS"
# SBATCH_ARGS: more options for the array's tasks, e.g. "--cpus-per-task=8 --partition=long".
# shellcheck disable=SC2086
array=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" ${SBATCH_ARGS:-} \
  --output="$PARTS/shard-%A_%a.log" "$here/shard.sbatch")
array=${array%%;*}
wait=()
[ "${WAIT:-0}" = 1 ] && wait=(--wait)
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$PARTS/merge-%j.log" "${wait[@]}" "$here/merge.sbatch")
echo "array job $array, merge job ${merge%%;*}"
