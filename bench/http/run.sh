#!/usr/bin/env bash
# HTTP benchmark of closer-server, run by hand (never from tests): bench/http/run.sh
#
# Builds (or reuses) the release server in a separate scratch folder (.build-bench), then for each
# store (SQLite, then a throwaway PostgreSQL cluster with default durability) it:
#   1. seeds 20 reps with `closer-server seed-demo` (40 leads, ~600 messages each),
#   2. starts `closer-server serve` (default info logging, one line per request, written to a file
#      the way production does; swift-log's default handler writes to stderr, so both streams go there),
#   3. signs every rep in, gives each one a lead to write to, and sends 200 SMS to a new lead of
#      rep 0 (the 200-message thread), all through the REST API (helpers.py setup),
#   4. after a short warm-up, runs wrk (bench.lua) BENCH_ROUNDS times over: GET /healthz (the
#      ceiling), GET /api/leads (rep 0, 42 leads), GET /api/messages/:leadId?limit=200 (the 200-message
#      thread; also once on a single connection), POST /api/messages/:leadId (email, a fresh clientId
#      per request, 20 reps rotated per request), POST /api/drafts/:leadId (no baseVersion, so last
#      write wins; 20 reps rotated, then a single rep),
# and prints a Markdown table of median req/s and median p99 latency, with each endpoint's req/s as a
# share of the same round's healthz, and whether the targets are met. Before each wrk run it waits for
# the server to go idle and for the machine to be quiet (up to 3 min), and it records how much CPU
# other processes took during the run, so a run disturbed by e.g. a concurrent build is visible.
# Every process and temp folder it starts is stopped/removed on exit, failure included. Raw wrk output
# and the summary are kept in bench/http/results/<timestamp>/ (git-ignored).
#
# Knobs (environment): WRK_THREADS=2 WRK_CONNECTIONS=32 WRK_DURATION=10s WRK_WARMUP=3s BENCH_ROUNDS=3
#   BENCH_REPS=20 BENCH_STORES="sqlite postgres" BENCH_SKIP_BUILD=1 (reuse the binary as is)
#   BENCH_ENDPOINTS="drafts drafts1" (only these, by name: leads thread thread1 messages drafts drafts1;
#   healthz always runs, as the ceiling)
#   BENCH_SCRATCH=<swift scratch path, default .build-bench> BENCH_OUT=<results folder>
#   BENCH_SERVER_ARGS="--log-level warning" (extra `serve` flags; the default keeps info logging)
# Needs: swift, wrk, python3, and PostgreSQL server binaries under /usr/lib/postgresql/*/bin.
# The script exits non-zero when wrk saw any socket error, timeout or unexpected status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-32}
duration=${WRK_DURATION:-10s}
warmup=${WRK_WARMUP:-3s}
rounds=${BENCH_ROUNDS:-3}
reps=${BENCH_REPS:-20}
stores=${BENCH_STORES:-sqlite postgres}
scratch=${BENCH_SCRATCH:-$root/.build-bench}
out=${BENCH_OUT:-$here/results/$(date +%Y%m%d-%H%M%S)}
bin=$scratch/release/closer-server
helpers=$here/helpers.py
wrk_flags="-t$threads -c$connections -d$duration --latency"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in wrk python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

# --- cleanup: everything started below is registered here ------------------------------------
tmp=$(mktemp -d /tmp/closer-bench.XXXXXX)
server_pid=""
child=""
pg_dir=""
pg_bin=""
as_pg=()
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
# Runs a command in the background and waits for it, so a signal to this script is handled at once
# (bash runs traps only between foreground commands) and the command is stopped by cleanup.
run_child() {
    "$@" &
    child=$!
    wait "$child"
    child=""
}
cleanup() {
    local status=$?
    if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    stop_server
    if [ -n "$pg_dir" ]; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the release binary, in its own scratch folder ----------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$bin" ]; then
    log "reusing $bin (BENCH_SKIP_BUILD=1)"
else
    log "building closer-server (release) in $scratch"
    run_child "$root/scripts/swift-release-build.sh" --package-path "$root" --product closer-server --scratch-path "$scratch" >&2
fi

mkdir -p "$out"
printf 'bench-password-123\n' > "$tmp/password"
(cd "$root" && python3 - "$out/meta.json" "$wrk_flags" "$rounds" "$reps" <<'PY'
import json, os, subprocess, sys
def sh(cmd):
    try: return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return "?"
json.dump({
    "wrk_flags": sys.argv[2], "rounds": int(sys.argv[3]), "reps": int(sys.argv[4]),
    "nproc": sh("nproc"), "ram": sh("free -h | awk '/^Mem:/{print $2}'"),
    "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
    "swift": sh("swift --version 2>&1 | head -n1"),
    "postgres": sh('"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/postgres" --version'),
    "wrk": sh("wrk --version 2>&1 | head -n1"), "kernel": sh("uname -r"),
    "git": sh("git rev-parse --short HEAD") + (" + uncommitted changes" if sh("git status --porcelain -- Sources Package.swift") else ""),
}, open(sys.argv[1], "w"), indent=2)
PY
)

# --- PostgreSQL: a throwaway cluster like scripts/with-postgres.sh, but default durability ------
start_postgres() {
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$pg_bin" ] || { echo "run.sh: PostgreSQL server binaries not found" >&2; exit 1; }
    pg_dir=$(mktemp -d /tmp/closer-bench-pg.XXXXXX)
    pg_port=$(python3 "$helpers" free-port)
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$pg_dir"      # initdb refuses to run as root
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U closer >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
        -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (fsync/synchronous_commit at their defaults)"
}

wrk_run() { # file mode [extra env...]
    local file=$1 mode=$2 before after postmaster=0; shift 2
    # Wait for the previous run's background work to drain and for the machine to be idle, then
    # record how much CPU anything else on the machine takes while wrk runs (BENCH_CPU line).
    run_child python3 "$helpers" settle "$server_pid"
    run_child python3 "$helpers" wait-quiet
    [ -z "$pg_dir" ] || postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
    before=$(python3 "$helpers" cpu-snap "$server_pid" $$ "$postmaster")
    run_child env BENCH_MODE="$mode" BENCH_RUN_TAG="$(basename "$file" .txt)-$RANDOM$RANDOM" "$@" \
        wrk ${flags:-$wrk_flags} -s "$here/bench.lua" "http://127.0.0.1:$port" > "$file"
    after=$(python3 "$helpers" cpu-snap "$server_pid" $$ "$postmaster")
    python3 "$helpers" other-load "$before" "$after" >> "$file"
}

bench_store() {
    local store=$1 db
    case "$store" in
        sqlite) db="sqlite:$tmp/sqlite/closer.sqlite" ;;
        postgres)
            [ -n "$pg_dir" ] || start_postgres
            "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U closer -d postgres -c "CREATE DATABASE closer_bench" >/dev/null
            db="postgres://closer@127.0.0.1:$pg_port/closer_bench" ;;
        *) echo "run.sh: unknown store $store" >&2; exit 1 ;;
    esac
    log "$store: seeding $reps reps with seed-demo"
    for i in $(seq 0 $((reps - 1))); do
        run_child "$bin" seed-demo --email "$(printf 'rep%02d@bench.example' "$i")" --name "Bench Rep $i" \
            --password-file "$tmp/password" --seed $((42 + i)) --database "$db" >/dev/null
    done

    port=$(python3 "$helpers" free-port)
    local server_log="$tmp/server-$store.log"
    # shellcheck disable=SC2086
    env -u LOG_LEVEL "$bin" serve --port "$port" --database "$db" ${BENCH_SERVER_ARGS:-} >"$server_log" 2>&1 &
    server_pid=$!
    run_child python3 "$helpers" wait-http "http://127.0.0.1:$port/healthz" 60
    log "$store: server pid $server_pid on port $port, log in $server_log"

    local data="$tmp/data-$store"
    run_child python3 "$helpers" setup --base "http://127.0.0.1:$port" --password-file "$tmp/password" --reps "$reps" --out "$data"
    # shellcheck disable=SC1091
    . "$data/env.sh"

    local results="$out/$store"
    mkdir -p "$results"
    # name mode connections env...  ("-" = the -t/-c flags above; thread1 is the same thread GET on
    # one connection, to separate the endpoint's own latency from queueing behind 31 other requests)
    local endpoints=(
        "healthz healthz - "
        "leads leads - BENCH_TOKEN=$TOKEN0"
        "thread thread - BENCH_TOKEN=$TOKEN0 BENCH_LEAD=$THREAD_LEAD"
        "thread1 thread 1 BENCH_TOKEN=$TOKEN0 BENCH_LEAD=$THREAD_LEAD"
        "messages messages - BENCH_REPS_FILE=$data/reps.txt"
        "drafts drafts - BENCH_REPS_FILE=$data/reps.txt"
        "drafts1 drafts - BENCH_REPS_FILE=$data/reps1.txt"
    )
    if [ -n "${BENCH_ENDPOINTS:-}" ]; then
        local chosen=()
        for spec in "${endpoints[@]}"; do
            [[ " healthz $BENCH_ENDPOINTS " == *" ${spec%% *} "* ]] && chosen+=("$spec")
        done
        endpoints=("${chosen[@]}")
    fi
    log "$store: warm-up ($warmup per endpoint, not counted)"
    for spec in "${endpoints[@]}"; do
        read -r name mode conns env_vars <<<"$spec"
        [ "$name" != thread1 ] || continue
        # shellcheck disable=SC2086
        flags="-t$threads -c$connections -d$warmup" wrk_run "$results/warmup-$name.txt" "$mode" $env_vars
    done

    for round in $(seq 1 "$rounds"); do
        for spec in "${endpoints[@]}"; do
            read -r name mode conns env_vars <<<"$spec"
            log "$store: round $round/$rounds: $name"
            local run_flags=$wrk_flags
            [ "$conns" = - ] || run_flags="-t1 -c$conns -d$duration --latency"
            # shellcheck disable=SC2086
            flags=$run_flags wrk_run "$results/$name-r$round.txt" "$mode" $env_vars
            grep -E '^Requests/sec|Non-2xx|Socket errors|BENCH_CPU' "$results/$name-r$round.txt" | sed 's/^/    /' >&2 || true
        done
    done

    stop_server
    {
        echo "log lines: $(wc -l <"$server_log"), bytes: $(wc -c <"$server_log")"
        echo "lines at warning or above: $(grep -cE ' (warning|error|critical) ' "$server_log" || true)"
        grep -E ' (warning|error|critical) ' "$server_log" | head -n 20 || true
    } > "$results/server-log-summary.txt"
    log "$store: $(head -n 2 "$results/server-log-summary.txt" | tr '\n' ' ')"
}

for store in $stores; do
    bench_store "$store"
done

status=0
python3 "$helpers" summarize "$out" > "$out/summary.md" || status=$?
cat "$out/summary.md"
log "raw wrk output and summary in $out"
exit "$status"
