#!/usr/bin/env python3
"""Helpers for bench/http/run.sh (Python 3 standard library only).

  helpers.py free-port
  helpers.py wait-http URL [SECONDS]
  helpers.py setup --base URL --password-file F --reps N --out DIR
  helpers.py settle PID
  helpers.py wait-quiet
  helpers.py cpu-snap SERVER_PID SHELL_PID [POSTMASTER_PID]
  helpers.py other-load BEFORE_JSON AFTER_JSON
  helpers.py summarize RESULTS_DIR
"""
import argparse
import glob
import http.client
import json
import os
import re
import socket
import statistics
import sys
import time
import urllib.parse


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def wait_http(url, seconds=60.0):
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
            conn.request("GET", parts.path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"helpers: {url} did not answer 200 within {seconds:.0f} s")


class Client:
    """A keep-alive JSON client, optionally bound to a source address (the login limiter counts
    attempts per IP, so each rep signs in from its own loopback address, like reps on their own machines)."""

    def __init__(self, base, token=None, source=None):
        parts = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30,
                                               source_address=(source, 0) if source else None)
        self.token = token

    def call(self, method, path, body=None, expect=(200, 201)):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status not in expect:
            sys.exit(f"helpers: {method} {path} answered {response.status}: {data[:300]!r}")
        return json.loads(data) if data else None


THREAD_BODIES = [
    "Hi Dana, thanks for the quick reply! Does Tuesday at 3pm still work for the demo?",
    "Sounds good. I'll send the calendar invite with the Zoom link in a minute.",
    "Quick reminder: our call is tomorrow at 3pm. Anything you want me to prepare?",
    "Great talking today. Pricing sheet attached; the annual plan saves you 18%.",
    "Just checking in - did legal get a chance to look at the order form?",
]


def setup(args):
    password = open(args.password_file, encoding="utf-8").read().strip()
    reps = []
    for i in range(args.reps):
        email = f"rep{i:02d}@bench.example"
        client = Client(args.base, source=f"127.0.1.{i + 1}")
        login = client.call("POST", "/api/auth/login", {"email": email, "password": password})
        client = Client(args.base, token=login["token"])
        lead = client.call("POST", "/api/leads", {
            "name": f"Bench Lead {i:02d}", "email": f"lead{i:02d}@prospect.example", "phone": f"+1415555{2000 + i:04d}",
        })
        reps.append((login["token"], lead["id"], client))

    # The 200-message thread, on rep 0: a new lead with a phone, 200 SMS sent through the API.
    token0, _, client0 = reps[0]
    thread = client0.call("POST", "/api/leads", {"name": "Thread Lead", "phone": "+14155550100"})
    for n in range(200):
        client0.call("POST", f"/api/messages/{thread['id']}", {
            "body": THREAD_BODIES[n % len(THREAD_BODIES)], "channel": "sms", "clientId": f"thread-setup-{n}",
        }, expect=(201,))
    page = client0.call("GET", f"/api/messages/{thread['id']}?limit=200")
    if len(page["messages"]) != 200 or page.get("hasMore"):
        sys.exit(f"helpers: the thread has {len(page['messages'])} messages (hasMore {page.get('hasMore')}), expected exactly 200")
    leads = client0.call("GET", "/api/leads")

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "reps.txt"), "w") as f:
        for token, lead_id, _ in reps:
            f.write(f"{token} {lead_id}\n")
    with open(os.path.join(args.out, "reps1.txt"), "w") as f:
        f.write(f"{reps[0][0]} {reps[0][1]}\n")
    with open(os.path.join(args.out, "env.sh"), "w") as f:
        f.write(f"TOKEN0={token0}\nTHREAD_LEAD={thread['id']}\n")
    print(f"setup: {len(reps)} reps signed in, one write lead each; thread {thread['id']} has 200 messages; "
          f"rep 0's GET /api/leads returns {len(leads['leads'])} leads", file=sys.stderr)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def settle(pid, limit=120.0):
    """Waits until the server uses under 5% of a core for a second (background work from the previous
    run, such as deliveries, has drained), so one run's leftovers do not land in the next."""
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    before = cpu_ticks(pid)
    while time.monotonic() - start < limit:
        time.sleep(1.0)
        now = cpu_ticks(pid)
        if (now - before) / hz < 0.05:
            break
        before = now
    waited = time.monotonic() - start
    if waited > 3:
        print(f"settle: the server took {waited:.0f} s to go idle", file=sys.stderr)


def system_busy_ticks():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal


def children_of(ppid):
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        kids.append(int(entry))
            except (OSError, ValueError):
                pass
    return kids


def our_ticks(server_pid, shell_pid, postmaster_pid):
    """CPU ticks of everything the benchmark runs: the server, the PostgreSQL cluster it started
    (postmaster and children) and the shell's reaped children (wrk)."""
    total = 0
    pids = [server_pid] + ([postmaster_pid] + children_of(postmaster_pid) if postmaster_pid else [])
    for pid in pids:
        try:
            total += cpu_ticks(pid)
        except OSError:
            pass
    with open(f"/proc/{shell_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return total + int(fields[13]) + int(fields[14])  # cutime + cstime: waited-for children, i.e. wrk


def cpu_snap(args):
    """Prints a snapshot; `other-load` compares two to tell how much CPU something else on the machine
    (another engineer's build, say) took while wrk ran."""
    print(json.dumps({"t": time.monotonic(), "busy": system_busy_ticks(),
                      "ours": our_ticks(args.server_pid, args.shell_pid, args.postmaster_pid)}))


def other_load(before_json, after_json):
    a, b = json.loads(before_json), json.loads(after_json)
    hz = os.sysconf("SC_CLK_TCK")
    wall = b["t"] - a["t"]
    foreign = ((b["busy"] - a["busy"]) - (b["ours"] - a["ours"])) / hz
    print(f'BENCH_CPU {{"wall_s":{wall:.2f},"other_cores":{max(foreign, 0) / wall:.3f},'
          f'"ours_cores":{(b["ours"] - a["ours"]) / hz / wall:.3f}}}')


def wait_quiet(limit=180.0, threshold=0.15):
    """Waits until the whole machine is idle (under 15% of a core over 2 s), at most `limit` seconds."""
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    while time.monotonic() - start < limit:
        before = system_busy_ticks()
        time.sleep(2.0)
        if (system_busy_ticks() - before) / hz / 2.0 < threshold:
            break
    waited = time.monotonic() - start
    if waited >= limit:
        print(f"wait-quiet: the machine is still busy after {limit:.0f} s (something else is running); going ahead, "
              f"the run's other-CPU figure will show it", file=sys.stderr)
    elif waited > 5:
        print(f"wait-quiet: waited {waited:.0f} s for the machine to go idle", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
ENDPOINTS = [
    ("healthz", "GET /healthz (ceiling)"),
    ("leads", "GET /api/leads"),
    ("thread", "GET /api/messages/:leadId?limit=200 (200-msg thread)"),
    ("thread1", "same thread GET, 1 connection (`-t1 -c1`)"),
    ("messages", "POST /api/messages/:leadId (20 reps)"),
    ("drafts", "POST /api/drafts/:leadId (20 reps)"),
    ("drafts1", "POST /api/drafts/:leadId (1 rep)"),
]
TARGETS = {  # (store, endpoint) -> (description, check)
    ("sqlite", "drafts"): ("drafts POST >= 2,000 req/s", lambda rps, p99: rps >= 2000),
    ("postgres", "drafts"): ("drafts POST >= 1,500 req/s", lambda rps, p99: rps >= 1500),
    ("sqlite", "thread"): ("thread GET p99 < 20 ms", lambda rps, p99: p99 < 20),
    ("postgres", "thread"): ("thread GET p99 < 20 ms", lambda rps, p99: p99 < 20),
}


def load(path):
    record = None
    cpu = None
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("BENCH_JSON "):
            record = json.loads(line[len("BENCH_JSON "):])
        elif line.startswith("BENCH_CPU "):
            cpu = json.loads(line[len("BENCH_CPU "):])
    if record is not None:
        record["cpu"] = cpu or {}
    return record


def summarize(results_dir):
    meta = {}
    meta_path = os.path.join(results_dir, "meta.json")
    if os.path.exists(meta_path):
        meta = json.load(open(meta_path))
    runs = {}  # (store, endpoint) -> {round: record}
    for path in sorted(glob.glob(os.path.join(results_dir, "*", "*-r*.txt"))):
        store = os.path.basename(os.path.dirname(path))
        m = re.match(r"(\w+)-r(\d+)\.txt$", os.path.basename(path))
        if not m:
            continue
        record = load(path)
        if record is None:
            print(f"summarize: no BENCH_JSON line in {path} (wrk failed?)", file=sys.stderr)
            continue
        record["rps"] = record["requests"] / (record["duration_us"] / 1e6)
        record["p99_ms"] = record["latency_us"]["p99"] / 1000
        record["bad"] = sum(record["errors"].values()) + record.get("not_201", 0)
        runs.setdefault((store, m.group(1)), {})[int(m.group(2))] = record

    stores = [s for s in ["sqlite", "postgres"] if any(k[0] == s for k in runs)]
    out = []
    if meta:
        out.append(f"Machine: {meta.get('nproc')} cores ({meta.get('cpu', '').strip()}), {meta.get('ram')} RAM, "
                   f"kernel {meta.get('kernel')}; {meta.get('swift')}; {meta.get('postgres')}; {meta.get('wrk')}.")
        if meta.get("git"):
            out.append(f"Server built (release) from {meta['git']}.")
        out.append(f"wrk flags: `{meta.get('wrk_flags', '?')}`, {meta.get('rounds', '?')} rounds per store "
                   f"(each round: healthz, then every endpoint once), medians below.")
        out.append("")
    out.append("| Store | Endpoint | req/s (median) | p99 ms (median) | req/s vs same-round healthz | req/s per round | errors |")
    out.append("|---|---|---:|---:|---:|---|---:|")
    total_bad = 0
    verdicts = []
    for store in stores:
        health = runs.get((store, "healthz"), {})
        for key, label in ENDPOINTS:
            rounds = runs.get((store, key))
            if not rounds:
                continue
            rps = statistics.median(r["rps"] for r in rounds.values())
            p99 = statistics.median(r["p99_ms"] for r in rounds.values())
            ratios = [r["rps"] / health[n]["rps"] for n, r in rounds.items() if n in health]
            ratio = f"{statistics.median(ratios) * 100:.0f}%" if ratios and key not in ("healthz", "thread1") else "—"
            bad = sum(r["bad"] for r in rounds.values())
            total_bad += bad
            detail = " / ".join(f"{rounds[n]['rps']:,.0f}" for n in sorted(rounds))
            details = []
            if bad:
                e = {k: sum(r["errors"][k] for r in rounds.values()) for k in ["connect", "read", "write", "status", "timeout"]}
                e["not_201"] = sum(r.get("not_201", 0) for r in rounds.values())
                details = [f"{k} {v}" for k, v in e.items() if v]
            out.append(f"| {store} | {label} | {rps:,.0f} | {p99:.1f} | {ratio} | {detail} | "
                       f"{bad if not details else ', '.join(details)} |")
            if (store, key) in TARGETS:
                text, check = TARGETS[(store, key)]
                met = check(rps, p99)
                got = f"{rps:,.0f} req/s" if "req/s" in text else f"p99 {p99:.1f} ms"
                verdicts.append(f"- {store}: {text}: **{'met' if met else 'NOT met'}** ({got})")
    noisy = [f"{store} {key} round {n}: {r['cpu']['other_cores']:.2f} cores"
             for (store, key), rounds in sorted(runs.items()) for n, r in sorted(rounds.items())
             if r["cpu"].get("other_cores", 0) > 0.10]
    out.append("")
    if noisy:
        out.append("Runs during which other processes on the machine used more than 10% of a core "
                   "(numbers from these runs are pessimistic): " + "; ".join(noisy) + ".")
    else:
        out.append("No run saw other processes on the machine use more than 10% of a core.")
    ours = [r["cpu"]["ours_cores"] for rounds in runs.values() for r in rounds.values() if "ours_cores" in r["cpu"]]
    if ours:
        out.append(f"Server + PostgreSQL + wrk together used {min(ours):.2f}–{max(ours):.2f} of the {meta.get('nproc', '?')} cores during the runs.")
    out.append("")
    out.append("Targets:")
    out.extend(verdicts)
    if total_bad:
        out.append("")
        out.append(f"**INVALID: wrk reported {total_bad} errors / non-2xx (or non-201 for messages POST) responses.**")
    print("\n".join(out))
    return 1 if total_bad else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("free-port")
    p = sub.add_parser("wait-http")
    p.add_argument("url")
    p.add_argument("seconds", nargs="?", type=float, default=60)
    p = sub.add_parser("setup")
    p.add_argument("--base", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--out", required=True)
    p = sub.add_parser("settle")
    p.add_argument("pid", type=int)
    p = sub.add_parser("cpu-snap")
    p.add_argument("server_pid", type=int)
    p.add_argument("shell_pid", type=int)
    p.add_argument("postmaster_pid", type=int, nargs="?", default=0)
    p = sub.add_parser("other-load")
    p.add_argument("before")
    p.add_argument("after")
    sub.add_parser("wait-quiet")
    p = sub.add_parser("summarize")
    p.add_argument("results_dir")
    args = parser.parse_args()
    if args.command == "free-port":
        free_port()
    elif args.command == "wait-http":
        wait_http(args.url, args.seconds)
    elif args.command == "setup":
        setup(args)
    elif args.command == "settle":
        settle(args.pid)
    elif args.command == "cpu-snap":
        cpu_snap(args)
    elif args.command == "other-load":
        other_load(args.before, args.after)
    elif args.command == "wait-quiet":
        wait_quiet()
    elif args.command == "summarize":
        sys.exit(summarize(args.results_dir))


if __name__ == "__main__":
    main()
