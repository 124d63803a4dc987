#!/usr/bin/env bash
# A real single-node Slurm (munged, slurmctld, slurmd) under one base folder,
# for the tests and for trying `codesign run --executor slurm` on one machine.
#
#   scripts/slurm-local.sh start [BASE]   # prints `export SLURM_CONF=BASE/slurm.conf`
#   scripts/slurm-local.sh stop [BASE]
#
# BASE (default: $SLURM_LOCAL_BASE, else /tmp/codesign-slurm) holds the
# config, pid, log, state and spool files and a private munge socket; nothing
# outside it is touched. Run as root (slurmd starts jobs as their users). The
# daemons are started directly (no systemd) and stopped by the PIDs recorded
# in BASE/pids; job processes left behind (slurmstepd ignores SIGTERM) are
# found by PID in /proc: this instance's slurmstepd processes (whose
# environment names this BASE's slurm.conf) and everything below them, plus
# any process of a job of this instance, and killed by PID, never by name.
#
# The cluster runs without cgroups or accounting: proctrack/linuxproc,
# task/none, no sacct (poll squeue / scontrol). Packages (scripts/setup.sh):
# slurmctld slurmd slurm-client munge.
set -euo pipefail

cmd="${1:-}"
base="${2:-${SLURM_LOCAL_BASE:-/tmp/codesign-slurm}}"
case "$cmd" in start | stop) ;; *)
    echo "usage: $0 start|stop [BASE]" >&2
    exit 2
    ;;
esac
mkdir -p "$base"
base="$(cd "$base" && pwd)"
conf="$base/slurm.conf"
# slurmd gives slurmstepd and every job this in its environment, so stop can
# tell this instance's job processes from others' even after a crash.
marker="SLURM_CONF=$conf"

die() {
    echo "slurm-local: $*" >&2
    exit 1
}

# The executable a command name resolves to (Debian links slurmd to slurmd-wlm).
exe_of() {
    readlink -f "$(command -v "$1")"
}

# Whether PID is alive and still runs program NAME (a recorded PID may have
# been reused since).
runs() {
    local pid="$1" name="$2"
    [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(exe_of "$name")" ]
}

# PIDs of what this instance left behind: processes whose initial
# environment holds the marker and that run a Slurm program (slurmstepd, or a
# helper of a crashed daemon) or belong to a job (SLURM_JOB_ID); a client
# that merely exported SLURM_CONF is neither.
leftover_pids() {
    local d pid env exe slurm_exes
    slurm_exes=" $(exe_of slurmstepd) $(exe_of slurmd) $(exe_of slurmctld) "
    for d in /proc/[0-9]*; do
        pid="${d#/proc/}"
        [ "$pid" = "$$" ] && continue
        env="$( (tr '\0' '\n' <"$d/environ") 2>/dev/null)" || continue
        grep -qxF "$marker" <<<"$env" || continue
        exe="$(readlink "$d/exe" 2>/dev/null)" || continue
        if [[ "$slurm_exes" == *" $exe "* ]] || grep -q '^SLURM_JOB_ID=' <<<"$env"; then
            echo "$pid"
        fi
    done
}

# PIDs of every descendant of the given PIDs (by PPid in /proc).
descendants() {
    local -A parent=()
    local d pid ppid
    for d in /proc/[0-9]*; do
        pid="${d#/proc/}"
        ppid="$(awk '/^PPid:/ {print $2}' "$d/status" 2>/dev/null)" || continue
        [ -n "$ppid" ] && parent[$pid]=$ppid
    done
    local -A inside=()
    for pid in "$@"; do inside[$pid]=1; done
    local changed=1
    while ((changed)); do
        changed=0
        for pid in "${!parent[@]}"; do
            if [ -z "${inside[$pid]:-}" ] && [ -n "${inside[${parent[$pid]}]:-}" ]; then
                inside[$pid]=1
                changed=1
                echo "$pid"
            fi
        done
    done
}

# A free TCP port at or above $1 (none listening on it, per /proc/net/tcp*).
free_port() {
    local port="$1"
    while grep -qiE "^ *[0-9]+: [0-9A-F]+:$(printf '%04X' "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}

wait_for_file() {
    local file="$1" what="$2"
    for _ in $(seq 100); do
        [ -s "$file" ] && return 0
        sleep 0.1
    done
    die "$what did not start (see $base/*.log)"
}

stop() {
    local pids=() leftovers=() name pid
    # Cancel every job first, so slurmstepd ends them itself.
    if [ -f "$conf" ] && [ -s "$base/pids/slurmctld" ] && runs "$(cat "$base/pids/slurmctld")" slurmctld; then
        local jobs
        jobs="$(SLURM_CONF="$conf" squeue -h -o %A 2>/dev/null | sort -u || true)"
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086
            SLURM_CONF="$conf" scancel $jobs 2>/dev/null || true
            for _ in $(seq 50); do
                [ -z "$(SLURM_CONF="$conf" squeue -h -o %A 2>/dev/null)" ] && break
                sleep 0.1
            done
        fi
    fi
    # The daemons, by their recorded PIDs.
    for name in slurmd slurmctld munged; do
        local file="$base/pids/$name"
        [ -s "$file" ] || continue
        pid="$(cat "$file")"
        if runs "$pid" "$name"; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do
                runs "$pid" "$name" || break
                sleep 0.1
            done
            runs "$pid" "$name" && kill -KILL "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
        rm -f "$file"
    done
    # Then what they left behind: slurmstepd, jobs and all below them.
    local marked
    mapfile -t marked < <(leftover_pids)
    if ((${#marked[@]})); then
        mapfile -t leftovers < <(printf '%s\n' "${marked[@]}" && descendants "${marked[@]}")
    fi
    if ((${#leftovers[@]})); then
        kill -KILL "${leftovers[@]}" 2>/dev/null || true
        echo "slurm-local: killed ${#leftovers[@]} leftover job process(es): ${leftovers[*]}" >&2
    fi
    echo "slurm-local: stopped (${pids[*]:-nothing was running}) in $base" >&2
}

start() {
    [ "$(id -u)" = 0 ] || die "must run as root (slurmd starts jobs as their users)"
    for tool in munged mungekey slurmctld slurmd sinfo; do
        command -v "$tool" >/dev/null || die "$tool is missing: scripts/setup.sh installs slurmctld slurmd slurm-client munge"
    done
    if [ -s "$base/pids/slurmctld" ] && runs "$(cat "$base/pids/slurmctld")" slurmctld; then
        die "already running in $base (stop it first)"
    fi
    stop 2>/dev/null
    rm -rf "$base/state" "$base/spool" "$base/munge" "$base/munge-key" "$base/pids"
    mkdir -p "$base/state" "$base/spool" "$base/pids" "$base/munge" "$base/munge-key"
    chmod 755 "$base" "$base/munge"
    chmod 700 "$base/munge-key"
    mungekey --create --keyfile="$base/munge-key/munge.key"
    chmod 400 "$base/munge-key/munge.key"

    # Daemons get no terminal or pipe of ours (a caller reading our output
    # would wait for them forever); what they say goes to their logs.
    munged --socket="$base/munge/munge.socket" \
        --key-file="$base/munge-key/munge.key" --pid-file="$base/pids/munged" \
        --log-file="$base/munged.log" --seed-file="$base/munge-key/munged.seed" \
        </dev/null >>"$base/munged.log" 2>&1 ||
        die "munged did not start (see $base/munged.log)"
    wait_for_file "$base/pids/munged" munged

    local host cpus boards sockets cores threads mem
    host="$(hostname -s)"
    # The node as slurmd sees it; RealMemory a little below what it reports,
    # else the node drains for having less memory than configured.
    local node
    node="$(slurmd -C | head -1)"
    for kv in $node; do
        case "$kv" in
        CPUs=*) cpus="${kv#*=}" ;;
        Boards=*) boards="${kv#*=}" ;;
        SocketsPerBoard=*) sockets="${kv#*=}" ;;
        CoresPerSocket=*) cores="${kv#*=}" ;;
        ThreadsPerCore=*) threads="${kv#*=}" ;;
        RealMemory=*) mem="${kv#*=}" ;;
        esac
    done
    mem=$((mem * 95 / 100))
    local gres="" gres_types=""
    local gpus=(/dev/nvidia[0-9]*)
    if [ -e "${gpus[0]}" ]; then
        gres_types="GresTypes=gpu"
        gres="Gres=gpu:${#gpus[@]}"
        printf 'Name=gpu File=%s\n' "${gpus[@]}" >"$base/gres.conf"
    fi
    local ctld_port slurmd_port
    ctld_port="$(free_port "${SLURM_LOCAL_PORT:-6817}")"
    slurmd_port="$(free_port $((ctld_port + 1)))"
    cat >"$conf" <<EOF
# Written by scripts/slurm-local.sh: a single-node Slurm under $base.
ClusterName=codesign
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/munge.socket
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/pids/slurmctld
SlurmdPidFile=$base/pids/slurmd
SlurmctldLogFile=$base/slurmctld.log
SlurmdLogFile=$base/slurmd.log
# No cgroups in a container: track processes by parentage, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# No accounting database (so no sacct).
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# The default batch_sched_delay adds about 3 s to every batch job.
SchedulerParameters=batch_sched_delay=0
# Dependents of a failed job are cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
MpiDefault=none
ReturnToService=2
$gres_types
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Boards=$boards SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$mem $gres State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    SLURM_CONF="$conf" slurmctld -f "$conf" -c </dev/null >>"$base/slurmctld.log" 2>&1 ||
        die "slurmctld did not start (see $base/slurmctld.log)"
    wait_for_file "$base/pids/slurmctld" slurmctld
    SLURM_CONF="$conf" slurmd -f "$conf" </dev/null >>"$base/slurmd.log" 2>&1 ||
        die "slurmd did not start (see $base/slurmd.log)"
    wait_for_file "$base/pids/slurmd" slurmd
    local state=""
    for _ in $(seq 100); do
        state="$(SLURM_CONF="$conf" sinfo -h -o %t 2>/dev/null || true)"
        [ "$state" = idle ] && break
        sleep 0.1
    done
    [ "$state" = idle ] || die "node $host is '${state:-unknown}', not idle (see $base/slurmctld.log, $base/slurmd.log)"
    echo "slurm-local: node $host idle ($cpus CPUs, ${mem} MB), ports $ctld_port/$slurmd_port, in $base" >&2
    echo "export SLURM_CONF=$conf"
}

"$cmd"
