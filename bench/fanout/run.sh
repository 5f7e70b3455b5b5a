#!/usr/bin/env bash
# Real-time fan-out benchmark of closer-server, run by hand (never from tests): bench/fanout/run.sh
#
# Builds (or reuses) the release server and the load tool `closer-bench-fanout` in a separate scratch
# folder (.build-bench, like bench/http), seeds one rep and one lead in a SQLite database, then for
# each round and each N (clients) runs the same scenario against two servers, each started fresh:
#   - closer-server (SQLite, `serve --log-level warning`),
#   - the python-socketio baseline (bench/fanout/baseline_server.py: python-socketio 5.7 + aiohttp),
# where the load tool (bench/fanout/Sources) warms the server up, reads its idle RSS, connects N
# Socket.IO clients for the one rep, reads the RSS again, fires M paced events through REST
# (`POST /api/drafts/:leadId`, one `drafts_updated` event each) and measures the delay from just
# before each REST call to each client's receipt, then fires events as fast as REST allows for a few
# seconds (delivered events/s). Rounds interleave the servers and the Ns, so drift hits all alike.
# Before each run it waits for the machine to be quiet (up to 3 min) and records how much CPU other
# processes took during the run. It prints a Markdown report (medians, per-round figures, targets);
# the JSON results and the report stay in bench/fanout/results/<timestamp>/ (git-ignored). Every
# process and temp folder it starts is stopped/removed on exit, failure included.
#
# Knobs (environment): FANOUT_CLIENTS="100 1000 2000" FANOUT_ROUNDS=3 FANOUT_EVENTS=200
#   FANOUT_INTERVAL_MS=50 FANOUT_THROUGHPUT_SECONDS=10 FANOUT_TARGETS="closer python"
#   FANOUT_TOOL_ARGS="" (extra closer-bench-fanout flags, e.g. "--firers 8 --window 500")
#   FANOUT_SERVER_ARGS="--log-level warning" (closer-server `serve` flags)
#   BENCH_SKIP_BUILD=1 (reuse the binaries as they are) BENCH_SCRATCH=<scratch path> BENCH_OUT=<folder>
# Needs: swift; python3; Debian's python3-socketio and python3-aiohttp for /usr/bin/python3
#   (`apt-get install -y python3-socketio python3-aiohttp`).
# Exits non-zero when a run failed, lost an event or could not connect every client.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
clients_list=${FANOUT_CLIENTS:-100 1000 2000}
rounds=${FANOUT_ROUNDS:-3}
events=${FANOUT_EVENTS:-200}
interval=${FANOUT_INTERVAL_MS:-50}
throughput=${FANOUT_THROUGHPUT_SECONDS:-10}
targets=${FANOUT_TARGETS:-closer python}
scratch=${BENCH_SCRATCH:-$root/.build-bench}
out=${BENCH_OUT:-$here/results/$(date +%Y%m%d-%H%M%S)}
server_bin=$scratch/release/closer-server
tool_bin=$scratch/release/closer-bench-fanout
helpers=$root/bench/http/helpers.py
baseline_python=/usr/bin/python3

log() { printf '[fanout %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# 2,000 clients take 2,000 descriptors in the tool and as many in the server; both inherit this.
# Where the hard limit is lower (a container without CAP_SYS_RESOURCE), take the hard limit.
ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"
max_clients=$(printf '%s\n' $clients_list | sort -n | tail -n 1)
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((max_clients + 1000)) ]; then
    echo "run.sh: the open-file limit $(ulimit -n) is too low for $max_clients clients" >&2
    exit 1
fi
command -v python3 >/dev/null || { echo "run.sh: python3 not found" >&2; exit 1; }
if [[ " $targets " == *" python "* ]] && ! "$baseline_python" -c 'import socketio, aiohttp' 2>/dev/null; then
    echo "run.sh: the baseline needs Debian's python3-socketio and python3-aiohttp (apt-get install -y python3-socketio python3-aiohttp)" >&2
    exit 1
fi

# --- cleanup: everything started below is registered here ------------------------------------
tmp=$(mktemp -d /tmp/closer-fanout.XXXXXX)
server_pid=""
child=""
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
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the release binaries, in their own scratch folder (one product per `swift build`) ----------
if [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && [ -x "$server_bin" ] && [ -x "$tool_bin" ]; then
    log "reusing $server_bin and $tool_bin (BENCH_SKIP_BUILD=1)"
else
    for product in closer-server closer-bench-fanout; do
        log "building $product (release) in $scratch"
        run_child "$root/scripts/swift-release-build.sh" --package-path "$root" --product "$product" --scratch-path "$scratch" >&2
    done
fi

mkdir -p "$out"
(cd "$root" && python3 - "$out/meta.json" "$clients_list" "$rounds" "$events" "$interval" "$throughput" <<'PY'
import json, subprocess, sys
def sh(cmd):
    try: return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return "?"
json.dump({
    "clients": sys.argv[2], "rounds": int(sys.argv[3]), "events": int(sys.argv[4]),
    "interval_ms": int(sys.argv[5]), "throughput_s": int(sys.argv[6]),
    "nproc": sh("nproc"), "ram": sh("free -h | awk '/^Mem:/{print $2}'"),
    "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"), "kernel": sh("uname -r"),
    "swift": sh("swift --version 2>&1 | head -n1"),
    "python": sh("/usr/bin/python3 --version"),
    "python_packages": sh("dpkg-query -W python3-socketio python3-engineio python3-aiohttp | tr '\\t' ' ' | tr '\\n' ','"),
    "git": sh("git rev-parse --short HEAD") + (" + uncommitted changes" if sh("git status --porcelain -- Sources Package.swift") else ""),
}, open(sys.argv[1], "w"), indent=2)
PY
)

# --- seed: one rep, one lead, one token (kept across server restarts: sessions live in the DB) --
db="sqlite:$tmp/closer.sqlite"
printf 'bench-password-123\n' | "$server_bin" user add --email rep@fanout.example --name "Fanout Rep" --database "$db" >/dev/null

start_closer() {
    port=$(python3 "$helpers" free-port)
    # shellcheck disable=SC2086
    env -u LOG_LEVEL "$server_bin" serve --port "$port" --database "$db" ${FANOUT_SERVER_ARGS:---log-level warning} \
        >>"$tmp/closer-server.log" 2>&1 &
    server_pid=$!
    run_child python3 "$helpers" wait-http "http://127.0.0.1:$port/healthz" 60
}
start_python() {
    port=$(python3 "$helpers" free-port)
    "$baseline_python" "$here/baseline_server.py" --port "$port" >>"$tmp/python-server.log" 2>&1 &
    server_pid=$!
    run_child python3 "$helpers" wait-http "http://127.0.0.1:$port/healthz" 60
}

start_closer
read -r token lead < <(python3 - "http://127.0.0.1:$port" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.load(response)
token = call("/api/auth/login", {"email": "rep@fanout.example", "password": "bench-password-123"})["token"]
lead = call("/api/leads", {"name": "Fanout Lead", "email": "lead@prospect.example"}, token)["id"]
print(token, lead)
PY
)
stop_server
log "seeded one rep and lead $lead in $db"

run_one() { # target n round
    local target=$1 n=$2 round=$3 name="$1-n$2-r$3" before after
    run_child python3 "$helpers" wait-quiet
    "start_$target"
    local run_token=$token run_lead=$lead
    [ "$target" = closer ] || { run_token=baseline; run_lead=baseline-lead; }
    before=$(python3 "$helpers" cpu-snap "$server_pid" $$)
    # shellcheck disable=SC2086
    run_child "$tool_bin" --url "http://127.0.0.1:$port" --token "$run_token" --lead "$run_lead" \
        --server-pid "$server_pid" --clients "$n" --events "$events" --interval-ms "$interval" \
        --throughput-seconds "$throughput" --label "$target" --out "$out/$name.json" ${FANOUT_TOOL_ARGS:-} \
        2> >(sed -u 's/^[^ ]* notice closer-bench-fanout: \[closer_bench_fanout\] /    /' >&2)
    after=$(python3 "$helpers" cpu-snap "$server_pid" $$)
    python3 "$helpers" other-load "$before" "$after" > "$out/$name.cpu"
    stop_server
}

for round in $(seq 1 "$rounds"); do
    for n in $clients_list; do
        for target in $targets; do
            log "round $round/$rounds: $target, N=$n"
            run_one "$target" "$n" "$round"
        done
    done
done

status=0
python3 "$here/report.py" "$out" > "$out/summary.md" || status=$?
cat "$out/summary.md"
log "results and summary in $out"
exit "$status"
