#!/usr/bin/env bash
# bench/sync/run.sh: the sync engine's benchmark, run by hand (never from tests); see bench/README.md,
# "Sync engine (bench/sync)".
#
# Builds (unless BENCH_SKIP_BUILD=1) `closer-server`, `closer` and the driver `closer-bench-sync`
# (bench/sync/Sources) in release, in the bench scratch folder (.build-bench, one product per
# `swift build`), starts `closer-server serve` on SQLite on a free loopback port with three reps, then:
#   1. realtime: send -> drawn. Client A (SyncEngine) sends; client B (SyncEngine + Update/AppView
#      into a MemoryScreen, the lead's thread open) draws. 1,000 sends, each timed from A's
#      `perform(.send)` to B's first frame showing it; interleaved with the baseline, a bare
#      `POST /api/messages/:leadId` (APIClient.send) round trip.
#   2. drafts: `perform(.saveDraft)` 10,000 times over 50 leads (online; server unreachable),
#      `ClientCache.saveDraftLocally` alone, and the bare SQLite upsert (sqlite_baseline.py).
#   3. cold start: 10,000 leads for a third rep on the server, a cache template with them and
#      100,000 messages, the steps timed in process (cold-breakdown), then the real `closer` in a
#      200x50 tmux pane from exec to first paint (coldstart.py, bench/tui/measure.py's method), with
#      the cache and the server down or up, and without a cache / on the built-in fixture as baselines.
# Prints Markdown tables (report.py) and keeps everything in bench/sync/results/<timestamp>/
# (git-ignored). The server, the tmux server and the temp folder are removed on exit, failure included.
#
# Knobs: BENCH_SKIP_BUILD=1, SYNC_ONLY (realtime,drafts,cold), SYNC_SENDS (1000), SYNC_SEND_GAP_MS (20),
#   SYNC_SAVES (10000), SYNC_DRAFT_LEADS (50), SYNC_SAVE_GAP_MS (2), SYNC_COLD_LEADS (10000),
#   SYNC_COLD_MESSAGES_PER_LEAD (10), SYNC_COLD_RUNS (5), SYNC_SERVER_ARGS (extra `serve` flags;
#   default none: `info` logging to a file, as in production), BENCH_OUT (results folder).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="$root/.build-bench"
bin="$scratch/release"
helpers="$root/bench/http/helpers.py"
only="${SYNC_ONLY:-realtime,drafts,cold}"
out="${BENCH_OUT:-$here/results/$(date +%Y%m%d-%H%M%S)}"

log() { printf '[sync %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
wants() { [[ ",$only," == *",$1,"* ]]; }

command -v python3 >/dev/null || { echo "run.sh: python3 not found" >&2; exit 1; }
if wants cold; then command -v tmux >/dev/null || { echo "run.sh: tmux not found (apt-get install -y tmux)" >&2; exit 1; }; fi

# --- cleanup: everything started below is registered here ------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/closer-bench-sync.XXXXXX")"
socket="closer-bench-sync-$$"
server_pid=""
child=""
cleanup() {
    local status=$?
    if [[ -n "$child" ]]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Runs a command in the background and waits for it, so a signal to this script is handled at once
# (bash runs traps only between foreground commands) and the command is stopped by cleanup.
run_child() {
    "$@" &
    child=$!
    wait "$child"
    child=""
}

# --- the release binaries, in the bench scratch folder (one product per `swift build`) -----------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    for product in closer-server closer closer-bench-sync; do
        log "building $product (release) in $scratch"
        run_child "$root/scripts/swift-release-build.sh" --package-path "$root" --product "$product" --scratch-path "$scratch" >&2
    done
fi
for product in closer-server closer closer-bench-sync; do
    [[ -x "$bin/$product" ]] || { echo "run.sh: $bin/$product is missing (build it, or unset BENCH_SKIP_BUILD)" >&2; exit 1; }
done

mkdir -p "$out"
{
    echo "- Run: $(date '+%Y-%m-%d %H:%M %Z'); \`SYNC_ONLY=$only\`"
    echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, Linux $(uname -r)"
    echo "- $(swift --version 2>/dev/null | head -1); $(tmux -V 2>/dev/null || echo 'no tmux'); SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
    echo "- closer: commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources Package.swift || echo ' plus uncommitted changes in Sources/Package.swift')"
} > "$out/machine.md"

# --- the server: three reps, one per part, so no part sees another's events ---------------------
db="sqlite:$tmp/server.sqlite"
password_file="$tmp/password"
printf 'bench-password-123\n' > "$password_file"
for rep in realtime drafts cold; do
    "$bin/closer-server" user add --email "$rep@sync-bench.example" --name "Bench ${rep^}" --database "$db" < "$password_file" >/dev/null
done
port="$(python3 "$helpers" free-port)"
# A port nobody listens on: the "server down" cases. (Free a moment ago; nothing here binds it.)
closed_port="$(python3 "$helpers" free-port)"
server="http://127.0.0.1:$port"
closed="http://127.0.0.1:$closed_port"
# shellcheck disable=SC2086
"$bin/closer-server" serve --port "$port" --database "$db" ${SYNC_SERVER_ARGS:-} >"$tmp/server.log" 2>&1 &
server_pid=$!
run_child python3 "$helpers" wait-http "$server/healthz" 60
log "closer-server up on $server (pid $server_pid)"

# Runs one driver phase on a quiet machine and records what else used the CPU meanwhile.
phase() { # name command...
    local name=$1 before after
    shift
    run_child python3 "$helpers" settle "$server_pid"
    run_child python3 "$helpers" wait-quiet
    before="$(python3 "$helpers" cpu-snap "$server_pid" $$)"
    run_child "$@"
    after="$(python3 "$helpers" cpu-snap "$server_pid" $$)"
    python3 "$helpers" other-load "$before" "$after" > "$out/$name.cpu"
}

if wants realtime; then
    log "realtime: ${SYNC_SENDS:-1000} sends (A -> B's screen), interleaved with bare REST sends"
    mkdir -p "$tmp/realtime"
    phase realtime "$bin/closer-bench-sync" realtime --server "$server" --email realtime@sync-bench.example \
        --password-file "$password_file" --workdir "$tmp/realtime" --out "$out/realtime.json" \
        --sends "${SYNC_SENDS:-1000}" --gap-ms "${SYNC_SEND_GAP_MS:-20}"
fi

if wants drafts; then
    log "drafts: ${SYNC_SAVES:-10000} saves over ${SYNC_DRAFT_LEADS:-50} leads, three ways, then the bare SQLite baseline"
    mkdir -p "$tmp/drafts"
    phase drafts "$bin/closer-bench-sync" drafts --server "$server" --unreachable "$closed" \
        --email drafts@sync-bench.example --password-file "$password_file" --workdir "$tmp/drafts" --out "$out/drafts.json" \
        --saves "${SYNC_SAVES:-10000}" --leads "${SYNC_DRAFT_LEADS:-50}" --gap-ms "${SYNC_SAVE_GAP_MS:-2}"
    phase sqlite python3 "$here/sqlite_baseline.py" --db "$tmp/drafts/bare.sqlite" --out "$out/sqlite.json" \
        --saves "${SYNC_SAVES:-10000}" --leads "${SYNC_DRAFT_LEADS:-50}" --gap-ms "${SYNC_SAVE_GAP_MS:-2}"
fi

if wants cold; then
    log "cold start: seeding ${SYNC_COLD_LEADS:-10000} leads and the cache template"
    template="$tmp/cold-template.sqlite"
    run_child "$bin/closer-bench-sync" seed-cold --server "$server" --email cold@sync-bench.example \
        --password-file "$password_file" --template "$template" --out "$tmp/seed-cold.json" \
        --leads "${SYNC_COLD_LEADS:-10000}" --messages-per-lead "${SYNC_COLD_MESSAGES_PER_LEAD:-10}"
    # The seed's JSON holds the cold rep's token: keep it out of the results folder.
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("token"); json.dump(d, open(sys.argv[2], "w"), indent=1)' \
        "$tmp/seed-cold.json" "$out/seed-cold.json"
    log "cold start: the steps in process"
    phase cold-breakdown "$bin/closer-bench-sync" cold-breakdown --template "$template" --workdir "$tmp" --out "$out/cold-breakdown.json"
    log "cold start: the real closer in a 200x50 tmux pane, ${SYNC_COLD_RUNS:-5} runs of each variant"
    run_child python3 "$helpers" settle "$server_pid"
    mkdir -p "$tmp/cold"
    run_child python3 "$here/coldstart.py" --closer "$bin/closer" --bench "$bin/closer-bench-sync" --server "$server" \
        --closed "$closed" --seed "$tmp/seed-cold.json" --template "$template" --workdir "$tmp/cold" \
        --out "$out/coldstart.json" --socket "$socket" --runs "${SYNC_COLD_RUNS:-5}"
fi

gzip -c "$tmp/server.log" > "$out/server.log.gz"
{
    cat "$out/machine.md"
    echo
    python3 "$here/report.py" "$out"
} > "$out/summary.md"
cat "$out/summary.md"
log "raw results: $out"
