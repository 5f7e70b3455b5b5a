#!/usr/bin/env bash
# Benchmark of the open pixel, GET /t/o/{trackingId}.gif, run by hand (never from tests):
# bench/tracking/run.sh
#
# Builds (or reuses) the release server in its own scratch folder (.build-bench-tracking), then starts,
# side by side and for the whole run:
#   - nginx (Debian's nginx-light) as our own process with a temp config, serving the same 43-byte
#     GIF with the same no-store headers on two loopback ports: access log to a file, and none;
#   - four closer-server processes, each on its own empty database: SQLite and a throwaway
#     PostgreSQL cluster (default durability), each at the default `info` log level (one line per
#     request, written to a file as in production) and at `--log-level warning` (no request lines);
# creates reps with `closer-server user add`, and through the REST API signs them in and sends one
# email per lead (100 by default; emails go to a spool folder), keeping their tracking ids.
# It waits out the machine-open window (opens within 2 s of sending count as a mail server's), warms
# every row up once, then runs wrk (pixel.lua: the pixel URLs rotated, a desktop browser's
# User-Agent, so every hit is a person's open: the recorder's expensive path) BENCH_ROUNDS times
# over these rows, nginx first in every round:
#   nginx-log, nginx-nolog, healthz (closer-server's own ceiling, GET /healthz), and per store
#   <store>-info-known, <store>-warning-known and <store>-info-unknown (well-formed ids that no email
#   has: answered, looked up once per batch, dropped).
# Before each run it waits for the target to go idle and for the machine to be quiet, and records the
# CPU other processes took during the run (bench/http/helpers.py does both). After each closer-server
# run it waits for the batching recorder to drain and counts the tracking_events rows added, against
# wrk's responses and (at info level) the server log's pixel lines: every answered known-id pixel must
# be one row, flagged human. Last, for each store, a short burst then SIGTERM at once checks that the
# hits still queued are written on a graceful shutdown (the shutdown check). Every process and temp folder it starts is stopped/removed on exit,
# failure included. Raw wrk output, counts and a summary.md are kept in bench/tracking/results/<timestamp>/
# (git-ignored).
#
# Knobs (environment): WRK_THREADS=2 WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_WARMUP=3s BENCH_ROUNDS=3
#   BENCH_REPS=4 BENCH_MESSAGES=100 BENCH_STORES="sqlite postgres" BENCH_MACHINE_OPEN_WINDOW=2 (seconds,
#   the server's default; 0 turns the window off) BENCH_SKIP_BUILD=1 (reuse the binary as is)
#   BENCH_SCRATCH=<swift scratch path, default .build-bench-tracking> BENCH_OUT=<results folder>
#   BENCH_SERVER_ARGS (extra `serve` flags for every closer-server) BENCH_SHUTDOWN_CHECK=1 (0 skips it)
#   BENCH_SHUTDOWN_BURST=3s
# Needs: swift, wrk, python3, nginx, psql and PostgreSQL server binaries under /usr/lib/postgresql/*/bin.
# Exits non-zero when wrk saw any socket error, timeout or non-2xx answer, or when the rows written do
# not match the pixels answered.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
duration=${WRK_DURATION:-10s}
warmup=${WRK_WARMUP:-3s}
rounds=${BENCH_ROUNDS:-3}
reps=${BENCH_REPS:-4}
messages=${BENCH_MESSAGES:-100}
stores=${BENCH_STORES:-sqlite postgres}
window=${BENCH_MACHINE_OPEN_WINDOW:-2}
scratch=${BENCH_SCRATCH:-$root/.build-bench-tracking}
out=${BENCH_OUT:-$here/results/$(date +%Y%m%d-%H%M%S)}
bin=$scratch/release/closer-server
helpers=$here/helpers.py
http_helpers=$root/bench/http/helpers.py   # free-port, wait-http, settle, wait-quiet, cpu-snap, other-load
wrk_flags="-t$threads -c$connections -d$duration --latency"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in wrk python3 nginx psql; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

# --- cleanup: everything started below is registered here ------------------------------------
tmp=$(mktemp -d /tmp/closer-bench-tracking.XXXXXX)
server_pids=()
nginx_pid=""
child=""
pg_dir=""
pg_bin=""
as_pg=()
stop_pid() { # pid: TERM, then KILL after 10 s
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
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
    for pid in "${server_pids[@]}"; do stop_pid "$pid"; done
    [ -z "$nginx_pid" ] || stop_pid "$nginx_pid"
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

mkdir -p "$out/runs"
printf 'bench-password-123\n' > "$tmp/password"
chmod 600 "$tmp/password"
(cd "$root" && python3 - "$out/meta.json" "$wrk_flags" "$rounds" "$reps" "$messages" "$window" "$connections" <<'PY'
import json, subprocess, sys
def sh(cmd):
    try: return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return "?"
json.dump({
    "wrk_flags": sys.argv[2], "rounds": int(sys.argv[3]), "reps": int(sys.argv[4]), "messages": int(sys.argv[5]),
    "machine_open_window": float(sys.argv[6]), "connections": int(sys.argv[7]),
    "nproc": sh("nproc"), "ram": sh("free -h | awk '/^Mem:/{print $2}'"),
    "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
    "swift": sh("swift --version 2>&1 | head -n1"),
    "postgres": sh('"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/postgres" --version'),
    "nginx": sh("nginx -v 2>&1") + " (" + sh("dpkg-query -W -f='${Package} ${Version}' nginx-light 2>/dev/null") + ")",
    "wrk": sh("wrk --version 2>&1 | head -n1"), "kernel": sh("uname -r"),
    "git": sh("git rev-parse --short HEAD") + (" + uncommitted changes" if sh("git status --porcelain -- Sources Package.swift") else ""),
}, open(sys.argv[1], "w"), indent=2)
PY
)

# The GIF both servers answer, byte for byte: TrackingRoutes.pixel.
gif=$tmp/nginx/pixel.gif
mkdir -p "$tmp/nginx"
printf '\x47\x49\x46\x38\x39\x61\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b' > "$gif"
[ "$(wc -c <"$gif")" = 43 ] || { echo "run.sh: pixel.gif is not 43 bytes" >&2; exit 1; }

# Targets: name -> URL, file of request paths, pid whose idleness `settle` waits for, process tree counted as ours
# (cpu-snap's third argument: its children are counted too), database, server log.
declare -A url_of paths_of pid_of tree_of db_of log_of
targets=()

# --- nginx ----------------------------------------------------------------------------------------
start_nginx() {
    local port_log port_nolog
    port_log=$(python3 "$http_helpers" free-port)
    port_nolog=$(python3 "$http_helpers" free-port)
    # Run as root, nginx's workers switch to nobody: they must be able to reach the GIF.
    chmod 711 "$tmp"
    chmod 755 "$tmp/nginx"
    chmod 644 "$gif"
    sed -e "s|@DIR@|$tmp/nginx|g" -e "s|@PORT_LOG@|$port_log|g" -e "s|@PORT_NOLOG@|$port_nolog|g" \
        "$here/nginx.conf.in" > "$tmp/nginx/nginx.conf"
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -t >/dev/null 2>&1 \
        || { nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -t; exit 1; }
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>>"$tmp/nginx/stderr.log" &
    nginx_pid=$!
    url_of[nginx-log]=http://127.0.0.1:$port_log
    url_of[nginx-nolog]=http://127.0.0.1:$port_nolog
    for t in nginx-log nginx-nolog; do
        pid_of[$t]=$nginx_pid
        tree_of[$t]=$nginx_pid   # the master (idle) and its workers
        targets+=("$t")
    done
    log "nginx $(nginx -v 2>&1 | cut -d/ -f2) pid $nginx_pid: access log to a file on :$port_log, none on :$port_nolog"
}

# --- PostgreSQL: a throwaway cluster like bench/http, default durability ---------------------------
start_postgres() {
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$pg_bin" ] || { echo "run.sh: PostgreSQL server binaries not found" >&2; exit 1; }
    pg_dir=$(mktemp -d /tmp/closer-bench-tracking-pg.XXXXXX)
    pg_port=$(python3 "$http_helpers" free-port)
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$pg_dir"      # initdb refuses to run as root
        as_pg=(runuser -u postgres --)
    fi
    "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U closer >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
        -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
    log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (fsync/synchronous_commit at their defaults)"
}

# --- closer-server: one per store and log level, each on its own database ------------------------
start_closer() { # store level
    local store=$1 level=$2 name="$1-$2" db port pid
    case "$store" in
        sqlite) mkdir -p "$tmp/$name"; db="sqlite:$tmp/$name/closer.sqlite" ;;
        postgres)
            psql -Xq -h 127.0.0.1 -p "$pg_port" -U closer -d postgres -c "CREATE DATABASE \"closer_$level\"" >/dev/null
            db="postgres://closer@127.0.0.1:$pg_port/closer_$level" ;;
        *) echo "run.sh: unknown store $store" >&2; exit 1 ;;
    esac
    for i in $(seq 0 $((reps - 1))); do
        # In the foreground: a background job's stdin would be /dev/null, not the password.
        "$bin" user add --email "$(printf 'rep%02d@tracking.example' "$i")" --name "Pixel Rep $i" \
            --database "$db" <"$tmp/password" >/dev/null
    done
    port=$(python3 "$http_helpers" free-port)
    # shellcheck disable=SC2086
    env -u LOG_LEVEL "$bin" serve --port "$port" --database "$db" --log-level "$level" \
        --spool-dir "$tmp/spool-$name" --machine-open-window "$window" ${BENCH_SERVER_ARGS:-} \
        >"$tmp/server-$name.log" 2>&1 &
    pid=$!
    server_pids+=("$pid")
    run_child python3 "$http_helpers" wait-http "http://127.0.0.1:$port/healthz" 60
    run_child python3 "$helpers" setup --base "http://127.0.0.1:$port" --password-file "$tmp/password" \
        --reps "$reps" --messages "$messages" --out "$tmp/data-$name"
    for ids in known unknown; do
        local t="$name-$ids"
        [ "$ids" = known ] || [ "$level" = info ] || continue   # unknown ids: at info level only
        url_of[$t]=http://127.0.0.1:$port
        paths_of[$t]=$tmp/data-$name/paths.txt
        [ "$ids" = known ] || paths_of[$t]=$tmp/unknown-paths.txt
        pid_of[$t]=$pid
        tree_of[$t]=$([ "$store" = postgres ] && echo "$postmaster" || echo 0)
        db_of[$t]=$db
        [ "$level" = warning ] || log_of[$t]=$tmp/server-$name.log
    done
    log "$name: closer-server pid $pid on :$port, $db"
}

python3 "$helpers" unknown-paths "$messages" "$tmp/unknown-paths.txt"
start_nginx
for store in $stores; do
    [ "$store" != postgres ] || start_postgres
    for level in info warning; do start_closer "$store" "$level"; done
done
# closer-server's own ceiling, GET /healthz (no database, no recorder), on the first info-level server.
first=$(set -- $stores; echo "$1")-info-known
url_of[healthz]=${url_of[$first]}
pid_of[healthz]=${pid_of[$first]}
tree_of[healthz]=${tree_of[$first]}
printf '/healthz\n%.0s' $(seq "$messages") > "$tmp/healthz-paths.txt"
paths_of[healthz]=$tmp/healthz-paths.txt
# nginx answers the known ids' paths (any well-formed id; the paths are as long as closer-server's).
paths_of[nginx-log]=${paths_of[$first]}
paths_of[nginx-nolog]=${paths_of[$first]}
# The rows in table order: nginx, the server's ceiling, then per store the known ids at both levels and
# the unknown ids.
ordered=(nginx-log nginx-nolog healthz)
for store in $stores; do ordered+=("$store-info-known" "$store-warning-known" "$store-info-unknown"); done

# What each server answers, for the record (an unknown id: no hit is recorded before the runs).
unknown=$(head -n 1 "$tmp/unknown-paths.txt")
for t in "${ordered[@]}"; do
    [ "$t" != healthz ] || continue
    echo "== $t: GET $unknown" >> "$out/answers.txt"
    python3 "$helpers" check-pixel "${url_of[$t]}$unknown" "$gif" >> "$out/answers.txt"
done

# Opens within the machine-open window of sending are flagged as a mail server's: wait it out.
last_sent=$(python3 -c 'import json,sys; print(max(json.load(open(p))["last_sent_unix"] for p in sys.argv[1:]))' "$tmp"/data-*/sent.json)
wait_s=$(python3 -c "import time; print(max(0.0, $last_sent + $window + 1 - time.time()))")
log "waiting ${wait_s}s for the machine-open window (${window}s) to pass"
sleep "$wait_s"

run_target() { # target file wrk-flags
    local t=$1 file=$2 flags=$3 pid=${pid_of[$1]} tree=${tree_of[$1]} db=${db_of[$1]:-} server_log=${log_of[$1]:-}
    local before after rows_before lines_before=0
    # The previous run's leftovers (the recorder draining, PostgreSQL's checkpoints) must not land in this one.
    run_child python3 "$http_helpers" settle "$pid"
    run_child python3 "$http_helpers" wait-quiet
    [ -z "$db" ] || rows_before=$(python3 "$helpers" count "$db")
    [ -z "$server_log" ] || lines_before=$(grep -c ' /t/o/' "$server_log" || true)
    before=$(python3 "$http_helpers" cpu-snap "$pid" $$ "$tree")
    run_child env BENCH_PATHS_FILE="${paths_of[$t]}" wrk $flags -s "$here/pixel.lua" "${url_of[$t]}" > "$file"
    after=$(python3 "$http_helpers" cpu-snap "$pid" $$ "$tree")
    python3 "$http_helpers" other-load "$before" "$after" >> "$file"
    [ -n "$db" ] || return 0
    echo "BENCH_ROWS_BEFORE $rows_before" >> "$file"
    echo "BENCH_ROWS_AT_END $(python3 "$helpers" count "$db")" >> "$file"   # what the recorder kept up with
    echo "BENCH_ROWS $(python3 "$helpers" drain "$db" "$pid")" >> "$file"
    if [ -n "$server_log" ]; then
        echo "BENCH_ANSWERED {\"pixel_lines\":$(( $(grep -c ' /t/o/' "$server_log" || true) - lines_before ))}" >> "$file"
    fi
    echo "BENCH_RSS {\"mb\":$(awk '/^VmRSS:/{printf "%.1f", $2 / 1024}' "/proc/$pid/status")}" >> "$file"
}

log "warm-up ($warmup per row, recorded but not in the medians)"
for t in "${ordered[@]}"; do
    run_target "$t" "$out/runs/$t-warmup.txt" "-t$threads -c$connections -d$warmup --latency"
done
for round in $(seq 1 "$rounds"); do
    for t in "${ordered[@]}"; do
        log "round $round/$rounds: $t"
        run_target "$t" "$out/runs/$t-r$round.txt" "$wrk_flags"
        grep -E '^Requests/sec|Non-2xx|Socket errors|BENCH_CPU|BENCH_ROWS |BENCH_ANSWERED' "$out/runs/$t-r$round.txt" | sed 's/^/    /' >&2 || true
    done
done

# Graceful shutdown with hits still queued: a short burst, then SIGTERM at once. The recorder promises
# to write what is pending before the service ends; every logged pixel line must still become a row.
if [ "${BENCH_SHUTDOWN_CHECK:-1}" = 1 ]; then
    for store in $stores; do
        t=$store-info-known
        log "shutdown check: $t: ${BENCH_SHUTDOWN_BURST:-3s} of wrk, then SIGTERM"
        run_child python3 "$http_helpers" settle "${pid_of[$t]}"
        rows_before=$(python3 "$helpers" count "${db_of[$t]}")
        lines_before=$(grep -c ' /t/o/' "${log_of[$t]}" || true)
        run_child env BENCH_PATHS_FILE="${paths_of[$t]}" wrk "-t$threads" "-c$connections" "-d${BENCH_SHUTDOWN_BURST:-3s}" \
            -s "$here/pixel.lua" "${url_of[$t]}" > "$out/runs/$t-shutdown.txt"
        rows_at_end=$(python3 "$helpers" count "${db_of[$t]}")
        started=$(date +%s%N)
        stop_pid "${pid_of[$t]}"
        {
            echo "BENCH_SHUTDOWN {\"stop_ms\":$(( ($(date +%s%N) - started) / 1000000 )),\"logged\":$(( $(grep -c ' /t/o/' "${log_of[$t]}" || true) - lines_before ))}"
            echo "BENCH_ROWS_BEFORE $rows_before"
            echo "BENCH_ROWS_AT_END $rows_at_end"
            echo "BENCH_ROWS $(python3 "$helpers" count "${db_of[$t]}")"
            grep -E ' (error|critical) ' "${log_of[$t]}" | tail -n 5 || true
        } >> "$out/runs/$t-shutdown.txt"
        grep -E '^BENCH_SHUTDOWN|^BENCH_ROWS ' "$out/runs/$t-shutdown.txt" | sed 's/^/    /' >&2
    done
fi

# Final state of every database, and what the servers logged above info.
for t in "${ordered[@]}"; do
    [ -n "${db_of[$t]:-}" ] && [ "${t%-known}" != "$t" ] || continue
    name=${t%-known}
    {
        echo "final counts: $(python3 "$helpers" count "${db_of[$t]}")"
        echo "log lines: $(wc -l <"$tmp/server-$name.log"), bytes: $(wc -c <"$tmp/server-$name.log")"
        echo "lines at warning or above: $(grep -cE ' (warning|error|critical) ' "$tmp/server-$name.log" || true)"
        grep -E ' (warning|error|critical) ' "$tmp/server-$name.log" | head -n 20 || true
    } > "$out/server-$name.txt"
done
cp "$tmp/nginx/nginx.conf" "$tmp/nginx/error.log" "$out/" 2>/dev/null || true
echo "access.log lines: $(wc -l <"$tmp/nginx/access.log"), bytes: $(wc -c <"$tmp/nginx/access.log")" > "$out/nginx-log-summary.txt"

status=0
python3 "$helpers" summarize "$out" > "$out/summary.md" || status=$?
cat "$out/summary.md"
log "raw wrk output and summary in $out"
exit "$status"
