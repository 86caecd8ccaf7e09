#!/usr/bin/env bash
# make slurm-check: runs examples/slurm on a real, private, single-node Slurm.
#
# Starts its own munged (own key and socket) and its own slurmctld + slurmd (own slurm.conf,
# state, spool, log and pid folders under a temporary directory, own free ports,
# proctrack/linuxproc, task/none, no cgroup plugin, SlurmUser=root, this machine's hostname and
# CPUs), then:
#   - a TLS run and an EG run, each as an array of 3 shards (examples/slurm/*_array.sbatch);
#   - TLS task 1 is cancelled (scancel) mid-run and resubmitted: it resumes;
#   - EG task 1 gets SIGTERM (scancel --batch --signal=TERM) mid-run: glassdyn exits 143 with a
#     resumable folder; the task is requeued (scontrol requeue) and resumes;
#   - a job whose --mem it cannot fit: glassdyn refuses up front (exit 2) with the message.
#     This private Slurm has no cgroup plugin, so nothing enforces --mem; the job passes its
#     --mem to glassdyn through GLASSDYN_MEMORY_LIMIT_BYTES (on a cluster with cgroups glassdyn
#     reads the job's memory.max itself);
#   - the merge jobs (examples/slurm/merge.sbatch) with --dependency=afterok on the shards.
# The merged folders must equal single-process runs byte for byte (data files, and
# summary.json without its "cost" block). Every daemon is stopped by its pid at the end, also
# on failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GLASSDYN_BIN:-$ROOT/.build/release/glassdyn}
START=$(date +%s)
[ -x "$BIN" ] || { echo "slurm-check: $BIN is missing (make release)"; exit 1; }

need=""
for p in slurm-wlm munge; do dpkg -s $p >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  echo "slurm-check: installing$need"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
[ "$(id -u)" -eq 0 ] || { echo "slurm-check: must run as root (SlurmUser=root, private daemons)"; exit 1; }

T=$(mktemp -d /tmp/glassdyn-slurm.XXXXXX)
chmod 700 "$T"
mkdir -p "$T"/{state,spool,log,run,munge,jobs,runs}
exec 9>"$T/log/trace.log"   # a trace of this script, kept with the logs on failure
BASH_XTRACEFD=9
set -x
PIDS=()
# Processes of this private cluster left after the daemons: job steps (slurmstepd) and their
# children carry SLURM_CONF=$T/... in their environment.
ours() {
  local p
  for p in /proc/[0-9]*; do
    grep -qsF "$T" "$p/environ" && echo "${p#/proc/}"
  done
}
cleanup() {
  local rc=$?
  set +e
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
    scancel --full --signal=KILL --partition=check >/dev/null 2>&1
    scancel --partition=check >/dev/null 2>&1
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for pid in $(ours); do [ "$pid" != "$$" ] && kill -9 "$pid" 2>/dev/null; done
  if [ $rc -ne 0 ]; then
    echo "slurm-check: FAILED (exit $rc); logs in $T/log and $T/jobs"
  else
    rm -rf "$T"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "slurm-check: FAIL: $*"; exit 1; }

# --- munge: own key, socket, pid, log
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
SOCK="$T/munge/munge.sock"
munged --force --foreground --key-file="$T/munge/munge.key" --socket="$SOCK" \
  --pid-file="$T/run/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/seed" \
  >"$T/log/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
munge -S "$SOCK" -n | unmunge -S "$SOCK" >/dev/null || fail "private munged does not answer"

# --- slurm.conf: own ports, folders; node as slurmd -C sees this machine
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }
P1=$(freeport); P2=$(freeport)
while [ "$P2" = "$P1" ]; do P2=$(freeport); done
HOST=$(hostname -s)
NODE=$(slurmd -C | head -1 | sed 's/ UpTime=.*//')
MEMMB=$(echo "$NODE" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
CPUS=$(echo "$NODE" | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')
export SLURM_CONF="$T/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=glassdyncheck
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$P1
SlurmdPort=$P2
AuthType=auth/munge
AuthInfo=socket=$SOCK,cred_expire=10
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=15
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
$NODE State=UNKNOWN
PartitionName=check Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >"$T/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 0.2
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || { tail -5 "$T/log/slurmctld.log" "$T/log/slurmd.log"; fail "node not idle"; }
echo "slurm-check: private Slurm $(sinfo -V | cut -d' ' -f2) up on $HOST ($CPUS CPUs, ports $P1/$P2, $T)"

# --- jobs
cd "$ROOT"
TLS_ARGS="tls --n 2500 --t 0.05 --realizations 48 --seed 7 --save-sites"
EG_ARGS="eg --n 1500 --t 0.1 --xi 0.1 --realizations 30 --seed 7 --save-sites"
R=$T/runs
common=(--parsable --chdir="$ROOT" --cpus-per-task=1 --mem=1G --time=00:10:00)
sub() { sbatch "${common[@]}" "$@"; }
state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
exitcode() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*ExitCode=\([0-9:]*\).*/\1/p' | head -1; }
waitjob() {  # job id, timeout s: until it leaves PENDING/RUNNING/etc
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    case "$(state "$1")" in PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUED|"") sleep 0.3;; *) return 0;; esac
  done
  fail "job $1 still $(state "$1") after $2 s"
}
records() { if [ -f "$1/realizations.ledger" ]; then grep -a -o GDR1 "$1/realizations.ledger" | wc -l; else echo 0; fi; }
waitrecords() {  # folder: until its ledger holds a record
  for _ in $(seq 600); do [ "$(records "$1")" -ge 1 ] && return 0; sleep 0.1; done
  fail "no record appeared in $1"
}

JT=$(RUN=$R/tls GLASSDYN=$BIN GLASSDYN_ARGS=$TLS_ARGS sub --export=ALL --array=0-2 \
     --output="$T/jobs/tls-%A_%a.out" examples/slurm/tls_array.sbatch)
JE=$(RUN=$R/eg GLASSDYN=$BIN GLASSDYN_ARGS=$EG_ARGS sub --export=ALL --array=0-2 \
     --output="$T/jobs/eg-%A_%a.out" examples/slurm/eg_array.sbatch)
echo "slurm-check: submitted TLS array $JT and EG array $JE (3 shards each)"

# TLS shard 1: cancel mid-run, resubmit, it resumes.
waitrecords "$R/tls/shard-1"
scancel "${JT}_1"
waitjob "${JT}_1" 120
n=$(records "$R/tls/shard-1")
[ "$(state "${JT}_1")" = CANCELLED ] || fail "TLS task 1 is $(state "${JT}_1"), not CANCELLED"
[ "$n" -lt 16 ] || fail "TLS task 1 was not cancelled mid-run ($n of 16 realizations recorded)"
echo "slurm-check: TLS task ${JT}_1 cancelled mid-run with $n of 16 realizations recorded; resubmitting"
cp "$R/tls/shard-1/realizations.ledger" "$T/tls-shard1-cancelled.ledger"
JT1=$(RUN=$R/tls GLASSDYN=$BIN GLASSDYN_ARGS=$TLS_ARGS SHARDS=3 sub --export=ALL --array=1 \
      --output="$T/jobs/tls-resubmitted-%A_%a.out" examples/slurm/tls_array.sbatch)

# EG shard 1: SIGTERM through scancel mid-run -> exit 143, resumable; requeue it.
waitrecords "$R/eg/shard-1"
scancel --batch --signal=TERM "${JE}_1"
waitjob "${JE}_1" 120
ec=$(exitcode "${JE}_1")
n=$(records "$R/eg/shard-1")
[ "$ec" = "143:0" ] || fail "EG task 1 after SIGTERM: exit code $ec, expected 143:0 ($(cat "$T"/jobs/eg-*_1.out))"
[ "$n" -lt 10 ] || fail "EG task 1 was not stopped mid-run ($n of 10 recorded)"
grep -q "stopped by SIGTERM.*resumable" "$T"/jobs/eg-"${JE}"_1.out || fail "EG task 1 did not say its folder is resumable"
echo "slurm-check: EG task ${JE}_1 got SIGTERM mid-run: exit 143, $n of 10 realizations recorded: $(grep -h "stopped by" "$T"/jobs/eg-"${JE}"_1.out)"
mv "$T/jobs/eg-${JE}_1.out" "$T/jobs/eg-${JE}_1-sigterm.out"
cp "$R/eg/shard-1/realizations.ledger" "$T/eg-shard1-terminated.ledger"
scontrol requeue "${JE}_1"
# slurmctld holds a requeued job back for cred_expire + 1 s (Reason=BeginTime; 10 s here,
# 120 s by default) so that the revoked credential of its first run cannot be reused.
# Submit the dependent merge only once the requeued task runs: a dependency evaluated while it
# still shows its failure is never satisfied.
JE1ID=$(scontrol show job "${JE}_1" | sed -n 's/^JobId=\([0-9]*\).*/\1/p')
for _ in $(seq 600); do case "$(state "$JE1ID")" in RUNNING|COMPLETED) break;; esac; sleep 0.1; done
case "$(state "$JE1ID")" in RUNNING|COMPLETED) ;; *) fail "requeued EG task is $(state "$JE1ID")";; esac

# A job that cannot fit its --mem: refused up front with the message, not OOM-killed.
JM=$(sub --mem=64M --output="$T/jobs/mem-%j.out" --wrap \
  "export GLASSDYN_MEMORY_LIMIT_BYTES=\$((SLURM_MEM_PER_NODE * 1048576)); exec $BIN eg --n 3000 --realizations 2 --threads 1 --out $R/mem --quiet")

# Merges, after every shard succeeded.
MT=$(RUN=$R/tls GLASSDYN=$BIN sub --export=ALL --dependency=afterok:${JT}_0:${JT}_2:${JT1}_1 \
     --output="$T/jobs/merge-tls-%j.out" examples/slurm/merge.sbatch)
ME=$(RUN=$R/eg GLASSDYN=$BIN sub --export=ALL --dependency=afterok:${JE}_0:${JE}_1:${JE}_2 \
     --output="$T/jobs/merge-eg-%j.out" examples/slurm/merge.sbatch)

waitjob "$JM" 120
[ "$(exitcode "$JM")" = "2:0" ] || fail "memory job: exit code $(exitcode "$JM"), expected 2:0"
grep -q "GLASSDYN_MEMORY_LIMIT_BYTES 67 MB" "$T/jobs/mem-$JM.out" || fail "memory job message: $(cat "$T/jobs/mem-$JM.out")"
echo "slurm-check: --mem=64M job refused up front (exit 2): $(cat "$T/jobs/mem-$JM.out")"

waitjob "$MT" 300
waitjob "$ME" 300
for j in "${JT}_0" "${JT}_2" "${JT1}_1" "${JE}_0" "${JE}_1" "${JE}_2" "$MT" "$ME"; do
  [ "$(state "$j")" = COMPLETED ] || fail "job $j is $(state "$j") ($(exitcode "$j"))"
done
# Resumed, not recomputed: the records written before the stop are kept byte for byte.
for pair in "tls-shard1-cancelled:$R/tls/shard-1" "eg-shard1-terminated:$R/eg/shard-1"; do
  saved="$T/${pair%%:*}.ledger"; now="${pair#*:}/realizations.ledger"
  cmp -s -n "$(stat -c %s "$saved")" "$saved" "$now" || fail "$now does not start with the records written before the stop (not resumed)"
done
echo "slurm-check: shards and merges completed; the resubmitted TLS task and the requeued EG task resumed (their earlier records kept)"

# Single-process references, compared byte for byte.
# shellcheck disable=SC2086
"$BIN" $TLS_ARGS --threads "$CPUS" --out "$R/tls-single" --quiet >/dev/null
# shellcheck disable=SC2086
"$BIN" $EG_ARGS --threads "$CPUS" --out "$R/eg-single" --quiet >/dev/null
compare() {
  local a=$1 b=$2 f
  for f in dos.csv rates.csv rates_linear.csv relaxation.csv sites.csv; do
    cmp -s "$a/$f" "$b/$f" || fail "$a/$f differs from $b/$f"
  done
  python3 - "$a/summary.json" "$b/summary.json" <<'PY' || fail "$a/summary.json differs from $b/summary.json (cost apart)"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b): d.pop("cost", None)
sys.exit(0 if json.dumps(a) == json.dumps(b) else 1)
PY
  [ ! -e "$a/.glassdyn.lock" ] || fail "$a/.glassdyn.lock left behind after the merge exited"
}
compare "$R/tls/merged" "$R/tls-single"
compare "$R/eg/merged" "$R/eg-single"
echo "slurm-check: merged TLS and EG folders equal the single-process runs byte for byte (summary.json without cost)"
echo "slurm-check: OK in $(( $(date +%s) - START )) s"
