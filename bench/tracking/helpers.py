#!/usr/bin/env python3
"""Helpers for bench/tracking/run.sh (Python 3 standard library only; PostgreSQL through psql).

The generic ones (free-port, wait-http, settle, wait-quiet, cpu-snap, other-load) are
bench/http/helpers.py's, called from run.sh as they are; these are the tracking-specific ones:

  helpers.py setup --base URL --password-file F --reps N --messages M --out DIR
  helpers.py unknown-paths N FILE
  helpers.py check-pixel URL EXPECTED_GIF
  helpers.py count DATABASE_URL
  helpers.py drain DATABASE_URL SERVER_PID
  helpers.py summarize RESULTS_DIR
"""
import argparse
import glob
import http.client
import json
import os
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse


def _http_helpers():
    """bench/http/helpers.py, loaded by path: its JSON client and CPU reader, not copies of them."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "http", "helpers.py")
    spec = importlib.util.spec_from_file_location("bench_http_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_http = _http_helpers()
Client, cpu_ticks = _http.Client, _http.cpu_ticks


# --- setup -------------------------------------------------------------------------------------
def setup(args):
    """Signs every rep in, gives each its share of the leads (one email address each) and sends one
    email per lead through the API. Writes paths.txt (one pixel path per line, rotated over by the wrk
    script) and sent.json (when the last email was sent, for the machine-open window)."""
    password = open(args.password_file, encoding="utf-8").read().strip()
    ids = []
    per_rep = [args.messages // args.reps + (1 if i < args.messages % args.reps else 0) for i in range(args.reps)]
    for rep, count in enumerate(per_rep):
        # Each rep signs in from its own loopback address: the login limiter counts attempts per IP.
        client = Client(args.base, source=f"127.0.2.{rep + 1}")
        login = client.call("POST", "/api/auth/login", {"email": f"rep{rep:02d}@tracking.example", "password": password})
        client = Client(args.base, token=login["token"])
        for n in range(count):
            lead = client.call("POST", "/api/leads", {"name": f"Pixel Lead {rep:02d}-{n:03d}",
                                                      "email": f"lead{rep:02d}-{n:03d}@prospect.example"})
            message = client.call("POST", f"/api/messages/{lead['id']}", {
                "body": "Hi! Quick follow-up on the proposal: any questions I can answer before Friday?",
                "subject": "Following up", "channel": "email", "clientId": f"pixel-setup-{rep}-{n}",
            }, expect=(201,))
            if not message.get("trackingId"):
                sys.exit(f"helpers: the email to lead {lead['id']} has no trackingId (is tracking off?): {message}")
            ids.append(message["trackingId"])
    if len(set(ids)) != len(ids):
        sys.exit("helpers: two emails got the same trackingId")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "paths.txt"), "w") as f:
        f.write("".join(f"/t/o/{i}.gif\n" for i in ids))
    with open(os.path.join(args.out, "sent.json"), "w") as f:
        json.dump({"messages": len(ids), "reps": args.reps, "last_sent_unix": time.time()}, f)
    print(f"setup: {args.reps} reps signed in, {len(ids)} emails sent (one lead each)", file=sys.stderr)


def unknown_paths(count, path):
    """Pixel paths of well-formed tracking ids (32 lowercase hex) that no email has: the server answers
    the GIF and the recorder looks each one up once per batch, finds nothing and drops it."""
    with open(path, "w") as f:
        f.write("".join(f"/t/o/{secrets.token_hex(16)}.gif\n" for _ in range(count)))


def check_pixel(url, expected_path):
    """Fetches one pixel and prints its status, headers and whether the body is the expected GIF, so
    the raw results show that nginx and closer-server answer the same thing."""
    expected = open(expected_path, "rb").read()
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", parts.path, headers={"User-Agent": BROWSER_UA})
    response = conn.getresponse()
    body = response.read()
    same = body == expected
    print(f"{response.status} {response.reason}; body {len(body)} bytes, {'same' if same else 'DIFFERENT'} GIF")
    for name, value in response.getheaders():
        print(f"  {name}: {value}")
    if response.status != 200 or not same:
        sys.exit(f"helpers: {url} did not answer 200 with the expected GIF")


BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


# --- the database ------------------------------------------------------------------------------
COUNT_SQL = ("SELECT (SELECT COUNT(*) FROM tracking_events), "
             "(SELECT COUNT(*) FROM tracking_events WHERE machine <> 0), "
             "(SELECT COUNT(*) FROM messages WHERE opened_at IS NOT NULL), "
             "(SELECT COUNT(*) FROM activities), "
             "(SELECT COUNT(*) FROM events)")


def count(database_url):
    """tracking_events rows (all, machine-flagged), opened messages, activities and rows of the event log."""
    if database_url.startswith("sqlite:"):
        conn = sqlite3.connect(database_url[len("sqlite:"):], timeout=30)
        try:
            row = conn.execute(COUNT_SQL).fetchone()
        finally:
            conn.close()
    else:
        out = subprocess.run(["psql", "-XAtq", "-F", " ", "-d", database_url, "-c", COUNT_SQL],
                             capture_output=True, text=True, check=True).stdout
        row = [int(x) for x in out.split()]
    return dict(zip(["rows", "machine", "opened", "activities", "logged_events"], row))


def drain(database_url, pid, limit=600.0):
    """Waits after a wrk run until the recorder has written everything: the tracking_events count has
    not changed for 2 s and the server used under 5% of a core over the last second. Prints the
    counts and how long after wrk ended the last row appeared (the recorder's lag)."""
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    last = count(database_url)
    last_change = start
    ticks, ticks_at = cpu_ticks(pid), start
    idle = False
    while time.monotonic() - start < limit:
        time.sleep(0.25)
        now = time.monotonic()
        current = count(database_url)
        if current["rows"] != last["rows"]:
            last, last_change = current, now
        if now - ticks_at >= 1.0:
            t = cpu_ticks(pid)
            idle = (t - ticks) / hz / (now - ticks_at) < 0.05
            ticks, ticks_at = t, now
        if idle and now - last_change >= 2.0:
            break
    else:
        print(f"drain: rows still changing after {limit:.0f} s", file=sys.stderr)
    last["drain_s"] = round(last_change - start, 2)
    print(json.dumps(last))


# --- summary -----------------------------------------------------------------------------------
ROWS = [  # (target, label, nginx baseline with comparable logging)
    ("nginx-log", "nginx, static GIF, access_log to a file", None),
    ("nginx-nolog", "nginx, static GIF, access_log off", None),
    ("healthz", "closer-server `GET /healthz` (its HTTP ceiling), info log", "nginx-log"),
    ("sqlite-info-known", "closer-server SQLite, known ids, info log (default)", "nginx-log"),
    ("sqlite-warning-known", "closer-server SQLite, known ids, `--log-level warning`", "nginx-nolog"),
    ("sqlite-info-unknown", "closer-server SQLite, unknown ids, info log", "nginx-log"),
    ("postgres-info-known", "closer-server PostgreSQL, known ids, info log (default)", "nginx-log"),
    ("postgres-warning-known", "closer-server PostgreSQL, known ids, `--log-level warning`", "nginx-nolog"),
    ("postgres-info-unknown", "closer-server PostgreSQL, unknown ids, info log", "nginx-log"),
]
TARGET = ("postgres-info-known", "nginx-log", 0.5)


def load(path):
    record = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        for tag, key in (("BENCH_JSON ", "wrk"), ("BENCH_CPU ", "cpu"), ("BENCH_ROWS ", "rows"),
                         ("BENCH_ROWS_BEFORE ", "rows_before"), ("BENCH_ROWS_AT_END ", "rows_at_end"),
                         ("BENCH_ANSWERED ", "answered"), ("BENCH_RSS ", "rss"), ("BENCH_SHUTDOWN ", "shutdown")):
            if line.startswith(tag):
                record[key] = json.loads(line[len(tag):])
    if "wrk" not in record:
        return None
    wrk = record["wrk"]
    record["rps"] = wrk["requests"] / (wrk["duration_us"] / 1e6)
    record["p99_ms"] = wrk["latency_us"]["p99"] / 1000
    record["bad"] = sum(wrk["errors"].values())
    return record


def summarize(results_dir):
    meta = json.load(open(os.path.join(results_dir, "meta.json"))) if os.path.exists(os.path.join(results_dir, "meta.json")) else {}
    runs = {}  # target -> {round: record}; round 0 is the warm-up
    for path in sorted(glob.glob(os.path.join(results_dir, "runs", "*.txt"))):
        m = re.match(r"([\w-]+)-(r(\d+)|warmup)\.txt$", os.path.basename(path))
        if not m:
            continue
        record = load(path)
        if record is None:
            print(f"summarize: no BENCH_JSON line in {path} (wrk failed?)", file=sys.stderr)
            continue
        runs.setdefault(m.group(1), {})[int(m.group(3)) if m.group(3) else 0] = record

    out = []
    if meta:
        out.append(f"Machine: {meta.get('nproc')} cores ({meta.get('cpu', '').strip()}), {meta.get('ram')} RAM, "
                   f"kernel {meta.get('kernel')}; {meta.get('swift')}; {meta.get('postgres')}; {meta.get('nginx')}; {meta.get('wrk')}.")
        out.append(f"Server built (release) from {meta.get('git')}. wrk flags: `{meta.get('wrk_flags')}`, "
                   f"{meta.get('rounds')} rounds (each round runs every row once, nginx first), medians below; "
                   f"{meta.get('messages')} emails from {meta.get('reps')} reps per server, browser User-Agent, "
                   f"machine-open window {meta.get('machine_open_window')} s.")
        out.append("")
    out.append("| Row | req/s (median) | p99 ms (median) | vs nginx, same round | req/s per round | errors |")
    out.append("|---|---:|---:|---:|---|---:|")
    total_bad = 0
    medians = {}
    for key, label, baseline in ROWS:
        rounds = {n: r for n, r in runs.get(key, {}).items() if n > 0}
        if not rounds:
            continue
        rps = statistics.median(r["rps"] for r in rounds.values())
        p99 = statistics.median(r["p99_ms"] for r in rounds.values())
        base = {n: r for n, r in runs.get(baseline, {}).items() if n > 0} if baseline else {}
        ratios = [r["rps"] / base[n]["rps"] for n, r in rounds.items() if n in base]
        ratio = f"{statistics.median(ratios) * 100:.0f}% of {baseline}" if ratios else "—"
        medians[key] = (rps, p99, statistics.median(ratios) if ratios else None)
        bad = sum(r["bad"] for r in rounds.values())
        total_bad += bad
        per_round = " / ".join(f"{rounds[n]['rps']:,.0f}" for n in sorted(rounds))
        out.append(f"| {label} | {rps:,.0f} | {p99:.2f} | {ratio} | {per_round} | {bad} |")

    # Every answered pixel with a known id must become one tracking_events row.
    out.append("")
    out.append("Rows written vs requests (per run: `tracking_events` rows added from just before wrk started until the "
               "recorder had drained; \"answered\" is wrk's count of completed responses and, at info level, the "
               "server log's count of pixel lines for the run, which also includes the requests still in flight when "
               "wrk stopped; \"when wrk ended\" is how many of the rows were written by then; \"lag\" is how long "
               "after wrk ended the last row appeared):")
    out.append("")
    out.append("| Row | run | wrk responses | logged pixel requests | rows added | of which when wrk ended | machine rows | lag s | server RSS MB after |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    problems = []
    for key, label, _ in ROWS:
        if key.startswith("nginx"):
            continue
        for n, r in sorted(runs.get(key, {}).items()):
            if "rows" not in r or "rows_before" not in r:
                continue
            added = r["rows"]["rows"] - r["rows_before"]["rows"]
            machine = r["rows"]["machine"] - r["rows_before"]["machine"]
            answered = r.get("answered", {}).get("pixel_lines")
            responses = r["wrk"]["requests"]
            at_end = r["rows_at_end"]["rows"] - r["rows_before"]["rows"] if "rows_at_end" in r else None
            out.append(f"| {key} | {'warm-up' if n == 0 else n} | {responses:,} | {'—' if answered is None else f'{answered:,}'} | "
                       f"{added:,} | {'—' if at_end is None else f'{at_end:,}'} | {machine:,} | {r['rows']['drain_s']:.1f} | "
                       f"{r.get('rss', {}).get('mb', 0):,.0f} |")
            if key.endswith("-known"):
                expected = answered if answered is not None else responses
                # Without a log, requests in flight when wrk stopped were answered (and recorded) but
                # not counted by wrk: allow up to one per connection.
                slack = 0 if answered is not None else meta.get("connections", 0)
                if added < expected or added > expected + slack:
                    problems.append(f"{key} run {n}: {added:,} rows for {expected:,} answered pixels")
                if machine:
                    problems.append(f"{key} run {n}: {machine:,} rows flagged machine (expected human opens)")
            elif added:
                problems.append(f"{key} run {n}: {added:,} rows written for unknown ids")
    out.append("")
    out.append("Every answered known-id pixel was recorded once, as a human open." if not problems else
               "**Mismatches:** " + "; ".join(problems) + ".")

    shutdowns = []
    for path in sorted(glob.glob(os.path.join(results_dir, "runs", "*-shutdown.txt"))):
        record = load(path)
        if record and "shutdown" in record:
            shutdowns.append((os.path.basename(path)[:-len("-shutdown.txt")], record))
    if shutdowns:
        out.append("")
        out.append("Shutdown check (a short burst, then SIGTERM at once: the hits still queued must be written before the "
                   "server exits):")
        out.append("")
        out.append("| Server | logged pixel requests | rows when wrk ended | rows after exit | lost | exit took ms |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for key, r in shutdowns:
            logged = r["shutdown"]["logged"]
            at_end = r["rows_at_end"]["rows"] - r["rows_before"]["rows"]
            final = r["rows"]["rows"] - r["rows_before"]["rows"]
            out.append(f"| {key} | {logged:,} | {at_end:,} | {final:,} | {logged - final:,} | {r['shutdown']['stop_ms']:,} |")
            if final != logged:
                problems.append(f"{key}: {logged - final:,} of {logged:,} answered pixels not recorded on a graceful shutdown")
        lost = [p for p in problems if "graceful shutdown" in p]
        out.append("")
        out.append("**Hits lost on shutdown:** " + "; ".join(lost) + "." if lost else "Nothing was lost on shutdown.")

    noisy = [f"{key} round {n}: {r['cpu']['other_cores']:.2f} cores" for key, rounds in sorted(runs.items())
             for n, r in sorted(rounds.items()) if n > 0 and r.get("cpu", {}).get("other_cores", 0) > 0.10]
    out.append("")
    out.append("Runs during which other processes on the machine used more than 10% of a core (numbers from these runs "
               "are pessimistic): " + "; ".join(noisy) + "." if noisy else
               "No run saw other processes on the machine use more than 10% of a core.")
    ours = [r["cpu"]["ours_cores"] for rounds in runs.values() for n, r in rounds.items() if n > 0 and "ours_cores" in r.get("cpu", {})]
    if ours:
        out.append(f"The measured server (and PostgreSQL) plus wrk used {min(ours):.2f}–{max(ours):.2f} of the "
                   f"{meta.get('nproc', '?')} cores during the runs.")
    key, baseline, share = TARGET
    if key in medians and medians[key][2] is not None:
        ratio = medians[key][2]
        out.append("")
        out.append(f"Target (PostgreSQL pixel ≥ {share:.0%} of nginx's rate, both logging one line per request to a file): "
                   f"**{'met' if ratio >= share else 'NOT met'}** ({ratio:.0%}, {medians[key][0]:,.0f} req/s).")
    if total_bad:
        out.append("")
        out.append(f"**INVALID: wrk reported {total_bad} socket errors, timeouts or non-2xx answers.**")
    print("\n".join(out))
    return 1 if total_bad or problems else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--base", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--reps", type=int, default=4)
    p.add_argument("--messages", type=int, default=100)
    p.add_argument("--out", required=True)
    p = sub.add_parser("unknown-paths")
    p.add_argument("count", type=int)
    p.add_argument("file")
    p = sub.add_parser("check-pixel")
    p.add_argument("url")
    p.add_argument("expected")
    p = sub.add_parser("count")
    p.add_argument("database_url")
    p = sub.add_parser("drain")
    p.add_argument("database_url")
    p.add_argument("pid", type=int)
    p = sub.add_parser("summarize")
    p.add_argument("results_dir")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
    elif args.command == "unknown-paths":
        unknown_paths(args.count, args.file)
    elif args.command == "check-pixel":
        check_pixel(args.url, args.expected)
    elif args.command == "count":
        print(json.dumps(count(args.database_url)))
    elif args.command == "drain":
        drain(args.database_url, args.pid)
    elif args.command == "summarize":
        sys.exit(summarize(args.results_dir))


if __name__ == "__main__":
    main()
