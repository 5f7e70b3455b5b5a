#!/usr/bin/env python3
"""bench/sync cold start: the real `closer` from its cache to first paint, in a 200x50 tmux pane.

Called by bench/sync/run.sh (which starts the server, seeds the cache template and cleans up); see
bench/README.md, "Sync engine (bench/sync)". The tmux driving, the exec stamp (spawn.py), the trace
parsing and the quiet-machine wait are bench/tui/measure.py's, imported rather than copied, so both
benchmarks define "first paint" the same way: the first `flush` after the `event leads` trace line
(CLOSER_TRACE; here also `event preview leads`, the newest 200 leads a large cache shows first),
and, in runs without the trace, the first capture-pane poll showing the top lead.

Variants, interleaved within each run:
  cache-down   the 10,000-lead / 100,000-message cache, CLOSER_SERVER at a closed port
  cache-up     the same cache, the real server up (it holds the same 10,000 leads)
  empty-up     no cache, the server up: the leads come over the network (50 pages of 200)
  empty-down   no cache, the server down: nothing to show; the first (empty) frame
  fixture      `closer --fixture`: the built-in 10-lead inbox, no SQLite, no network (the floor)
Each run gets a fresh home (XDG_DATA_HOME/XDG_CONFIG_HOME) and a fresh copy of the cache template
at the path `closer` derives from CLOSER_SERVER and CLOSER_TOKEN (closer-bench-sync cache-path):
with the server up the client's refresh rewrites the cache, so no run inherits another's.
"""
import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tui"))
import measure  # noqa: E402  (bench/tui/measure.py: Tmux, Pane, parse_trace, first_flush_after, wait_quiet)

VARIANTS = ["cache-down", "cache-up", "empty-up", "empty-down", "fixture"]


def flush_after_nth(events, prefix, n):
    """The first flush after the n-th (1-based) trace line starting with `prefix`."""
    seen = 0
    for i, (_, name) in enumerate(events):
        if name.startswith(prefix):
            seen += 1
            if seen == n:
                return next((t for t, later in events[i + 1:] if later.startswith("flush")), None)
    return None


def launch(tmux, args, variant, index, traced, meta, results):
    tag = f"{variant}-{'trace' if traced else 'poll'}-{index}"
    home = Path(args.workdir) / tag
    for sub in ("config", "data"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TMPDIR": args.workdir,
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    argv = [args.closer]
    if variant == "fixture":
        argv.append("--fixture")
        pattern = re.compile(r"Dana Kim")
    else:
        server = args.server if variant.endswith("-up") else args.closed
        env.update(CLOSER_SERVER=server, CLOSER_TOKEN=meta["token"])
        if variant.startswith("cache"):
            path = Path(subprocess.run([args.bench, "cache-path", "--server", server, "--token", meta["token"], "--data-home", str(home / "data")],
                                       check=True, capture_output=True, text=True).stdout.strip())
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.template, path)
        pattern = re.compile(r"No leads yet") if variant == "empty-down" else re.compile(re.escape(meta["firstLeadName"]))
    trace = results / f"{tag}.trace"
    if traced:
        env["CLOSER_TRACE"] = str(trace)

    result = {"variant": variant, "run": index, "traced": traced, "quiet_before": measure.wait_quiet()}
    meter = measure.LoadMeter()
    meter.start()
    pane = measure.Pane(tmux, tag, argv, env, home / "stamp")
    t_paint, screen = pane.poll(pattern, timeout=60)
    pane.wait_stamp()
    result["poll_paint_ms"] = (t_paint - pane.t0) * 1000
    result["rss_paint_mb"] = measure.rss_mb(pane.pid)["rss"]
    time.sleep(args.settle)
    result["load_cores"] = meter.stop()
    result["rss_settled_mb"] = measure.rss_mb(pane.pid)["rss"]
    (results / f"{tag}.screen.txt").write_text(screen)
    if traced:
        events = measure.parse_trace(trace)
        ms = lambda t: None if t is None else (t - pane.t0) * 1000
        result["trace_start_ms"] = ms(next((t for t, n in events if n == "start"), None))
        result["trace_first_flush_ms"] = ms(next((t for t, n in events if n.startswith("flush")), None))
        # A large cache paints its newest leads first (`preview leads`), the whole list right after.
        result["trace_leads_paint_ms"] = ms(measure.first_flush_after(
            events, lambda n: n.startswith("event leads") or n.startswith("event preview leads")))
        result["trace_full_list_ms"] = ms(measure.first_flush_after(events, lambda n: n.startswith("event leads")))
        result["trace_thread_paint_ms"] = ms(measure.first_flush_after(events, lambda n: n.startswith("event thread")))
        result["trace_online_ms"] = ms(measure.first_flush_after(events, lambda n: n == "event connection online"))
        # With the server up, the refresh's list is the last `leads` event (the cache's whole list,
        # when it came first, is the one before).
        lists = sum(1 for _, n in events if n.startswith("event leads"))
        result["trace_network_leads_paint_ms"] = ms(flush_after_nth(events, "event leads", lists)) if variant.endswith("-up") and lists else None
        result["leads_events"] = [n for _, n in events if n.startswith("event leads")]
    pane.send("q")
    deadline = time.monotonic() + 5
    while pane.alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    result["quit_clean"] = not pane.alive()
    pane.kill()
    shutil.rmtree(home, ignore_errors=True)
    return result


def stop(signum, _frame):
    raise SystemExit(128 + signum)


def main():
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, stop)
    p = argparse.ArgumentParser()
    p.add_argument("--closer", required=True)
    p.add_argument("--bench", required=True, help="closer-bench-sync, for the cache path")
    p.add_argument("--server", required=True, help="the running server's URL")
    p.add_argument("--closed", required=True, help="a URL on a port nobody listens on")
    p.add_argument("--seed", required=True, help="closer-bench-sync seed-cold's JSON (token, first lead)")
    p.add_argument("--template", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--socket", required=True, help="the private tmux server's -L name")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--settle", type=float, default=3.0, help="seconds after first paint before quitting")
    p.add_argument("--variants", default=",".join(VARIANTS))
    args = p.parse_args()
    meta = json.loads(Path(args.seed).read_text())
    out_path = Path(args.out)
    results = out_path.parent / "coldstart"
    results.mkdir(parents=True, exist_ok=True)
    variants = args.variants.split(",")
    out = {"mode": "coldstart", "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "leads": meta["leads"],
           "messages": meta["messages"], "cacheBytes": meta["cacheBytes"], "launches": []}
    tmux = measure.Tmux(args.socket, {"PATH": "/usr/bin:/bin", "HOME": args.workdir, "TERM": "xterm-256color"})
    try:
        for index in range(1, args.runs + 1):
            for variant in variants:
                for traced in (True, False):
                    print(f"    cold start run {index}/{args.runs}: {variant} ({'trace' if traced else 'polled'})", file=sys.stderr, flush=True)
                    out["launches"].append(launch(tmux, args, variant, index, traced, meta, results))
                    out_path.write_text(json.dumps(out, indent=1))
    finally:
        tmux.close()


if __name__ == "__main__":
    main()
