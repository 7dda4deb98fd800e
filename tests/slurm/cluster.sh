#!/usr/bin/env bash
# A single-node Slurm cluster for the cluster recipe's test: `cluster.sh start
# DIR` writes slurm.conf and starts munged, slurmctld and slurmd with every
# state, spool, log and PID file under DIR; `cluster.sh stop DIR` stops them
# by the PIDs in those files. Needs root and Debian's slurm-wlm and munge.
set -euo pipefail
cmd=$1
dir=$(realpath "$2")

stop() {
  for pid in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  # Give them a moment to go, so that the next cluster can bind the ports.
  for _ in $(seq 50); do
    alive=0
    for pid in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
      [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
}

case $cmd in
start)
  mkdir -p "$dir"/state "$dir"/spool "$dir"/munge
  host=$(hostname -s)
  # munged: its own key, socket and PID file under DIR, run as the munge user.
  # The socket's folder open to all (munged insists), the key's to munge only.
  mkdir -p "$dir"/munge-key
  chown munge: "$dir"/munge "$dir"/munge-key
  chmod 755 "$dir"/munge
  chmod 700 "$dir"/munge-key
  key="$dir"/munge-key/munge.key
  [ -f "$key" ] || dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
  chown munge: "$key"
  chmod 400 "$key"
  socket="$dir"/munge/munge.socket
  # Slurm finds munged's socket through its auth settings.
  install -d -o munge -g munge /run/munge
  runuser -u munge -- munged --key-file="$key" --socket="$socket" \
    --pid-file="$dir"/munge/munged.pid --log-file="$dir"/munge/munged.log \
    --seed-file="$dir"/munge-key/munge.seed
  cp "$dir"/munge/munged.pid "$dir"/munged.pid
  cat > "$dir"/slurm.conf <<CONF
ClusterName=dabiao-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
MpiDefault=none
SchedulerParameters=sched_interval=1
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir"/slurm.conf
  slurmctld -c -f "$dir"/slurm.conf
  slurmd -f "$dir"/slurm.conf
  # Wait for the node to be idle: the scheduler then takes jobs.
  for _ in $(seq 100); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    case $state in idle*) exit 0 ;; esac
    sleep 0.2
  done
  echo "the test cluster's node did not come up (state: ${state:-none}); logs in $dir" >&2
  tail -20 "$dir"/slurmctld.log "$dir"/slurmd.log >&2 || true
  stop
  exit 1
  ;;
stop)
  stop
  ;;
*)
  echo "usage: cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
