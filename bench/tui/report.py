#!/usr/bin/env python3
"""Turns a bench/tui results folder (results.json, render.json, flush.json) into Markdown.

Usage: report.py RESULTS_DIR   (prints the tables; run.sh also saves them as summary.md)

A target counts as met when the figure it is judged on is under it: the p99 for per-frame and
per-key times (a median under the target with a p99 over it is "median only"), the median of the
runs for first paint and RSS. Idle CPU is met when the UI thread never woke in 10 s.
"""
import json
import math
import statistics
import sys
from pathlib import Path


def load(path):
    return json.loads(path.read_text()) if path.exists() else None


def pct(values, fraction):
    """Nearest-rank percentile, as the Swift driver computes it."""
    s = sorted(values)
    if not s:
        return float("nan")
    rank = math.ceil(fraction * len(s))
    return s[min(len(s), max(1, rank)) - 1]


def ms(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def spread(values, fmt=ms):
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def verdict(median, p99, target):
    if p99 < target:
        return "met"
    if median < target:
        return "median only"
    return "**no**"


def main():
    root = Path(sys.argv[1])
    results = load(root / "results.json") or {"runs": []}
    render = load(root / "render.json")
    flush = load(root / "flush.json")
    runs = results["runs"]
    by = lambda program, **kw: [r for r in runs if r["program"] == program and all(r.get(k) == v for k, v in kw.items())]
    out = []
    p = out.append

    dist = {}
    for report in (render, flush):
        for d in (report or {}).get("distributions", []):
            dist[d["name"]] = d

    traced = by("closer", traced=True)
    plain = by("closer", traced=False)
    small = by("closer-small")

    p("| Figure | Measured | Target | Met? |")
    p("|---|---|---|---|")
    for name, label in [("render.leads.top", "Render a full 200x50 frame into MemoryScreen: list focused, top (lead 0's 5,000-message thread shown)"),
                        ("render.leads.bottom", "same, selection at the bottom of the 10,000 leads"),
                        ("render.thread", "same, 5,000-message thread focused (newest rows)"),
                        ("render.thread.oldest", "same, thread scrolled to its oldest message")]:
        if name in dist:
            d = dist[name]
            p(f"| {label} | median {ms(d['medianMs'])} ms, p99 {ms(d['p99Ms'])} ms (n={d['count']}) | < 2 ms | {verdict(d['medianMs'], d['p99Ms'], 2)} |")
    for name, label in [("flush.full", "Flush a full 200x50 frame to ncurses (every cell, repainted)"),
                        ("flush.diff.leads", "Flush a key's frame to ncurses (changed cells only), list j/k")]:
        if name in dist:
            d = dist[name]
            p(f"| {label} | median {ms(d['medianMs'])} ms, p99 {ms(d['p99Ms'])} ms (n={d['count']}) | < 2 ms | {verdict(d['medianMs'], d['p99Ms'], 2)} |")
    if traced:
        first = [x for r in traced for x in r["key_first_ms"]]
        settled = [x for r in traced for x in r["key_settled_ms"]]
        run_medians = [statistics.median(r["key_first_ms"]) for r in traced]
        run_p99s = [pct(r["key_first_ms"], 0.99) for r in traced]
        p(f"| Key → flushed frame, `j` down the lead list, real `closer` (trace: `key j` → next `flush`) | median {ms(statistics.median(first))} ms, "
          f"p99 {ms(pct(first, 0.99))} ms, max {ms(max(first))} ms ({len(first)} keys in {len(traced)} runs; per-run medians {spread(run_medians)}, per-run p99 {spread(run_p99s)}) "
          f"| < 5 ms | {verdict(statistics.median(first), pct(first, 0.99), 5)} |")
        p(f"| same, until the selected lead's thread is flushed too (second frame) | median {ms(statistics.median(settled))} ms, p99 {ms(pct(settled, 0.99))} ms, max {ms(max(settled))} ms "
          f"| (< 5 ms) | {verdict(statistics.median(settled), pct(settled, 0.99), 5)} |")
    if "key.thread" in dist:
        d = dist["key.thread"]
        p(f"| Key → frame in-process, `k`/`j` in the focused 5,000-message thread (Update + render, no flush) | median {ms(d['medianMs'])} ms, p99 {ms(d['p99Ms'])} ms | < 5 ms | {verdict(d['medianMs'], d['p99Ms'], 5)} |")
    if plain:
        leads = [r["poll_leads_ms"] for r in plain]
        p(f"| Start → first paint with the leads (exec → screen shows \"Lead 0 Kim\", capture-pane every 5 ms, trace off) | median {spread(leads)} ms over {len(plain)} runs | < 150 ms | {'met' if statistics.median(leads) < 150 else '**no**'} |")
        thread = [r["poll_thread_ms"] for r in plain]
        p(f"| Start → the 5,000-message thread on screen too | median {spread(thread)} ms | (< 150 ms) | {'met' if statistics.median(thread) < 150 else '**no**'} |")
        rss = [r["mem_paint"]["rss"] for r in plain]
        hwm = [r["mem_paint"]["hwm"] for r in plain]
        p(f"| RSS after first paint (VmRSS; peak VmHWM {spread(hwm, lambda x: f'{x:.1f}')}) | {spread(rss, lambda x: f'{x:.1f}')} MB | < 40 MB | {'met' if statistics.median(rss) < 40 else '**no**'} |")
    idle_runs = traced + plain
    idle_s = f"{results.get('args', {}).get('idle', 10):g}"
    if idle_runs:
        cpu = [r["idle"]["cpu_ms"] for r in idle_runs]
        ticks = [r["idle"]["cpu_ms_ticks"] for r in idle_runs]
        switches = [r["idle"]["switches"] for r in idle_runs]
        ui = []
        for r in idle_runs:
            ui.append(sum(int(b.split(": ")[1].split()[0]) for b in r["idle"]["busy_threads"] if "qos.overcommit" not in b))
        flushes = [r.get("idle_trace_lines") for r in traced if r.get("idle_trace_lines") is not None]
        p(f"| CPU over {idle_s} idle seconds (all threads, schedstat) | {spread(cpu)} ms CPU (utime+stime {spread(ticks, lambda x: f'{x:.0f}')} ms); "
          f"{spread(switches, lambda x: f'{x:.0f}')} wakeups, of which {spread(ui, lambda x: f'{x:.0f}')} outside libdispatch's 1 s workqueue monitor; "
          f"trace lines while idle: {', '.join(str(x) for x in flushes) or 'n/a'} | no CPU, no wakeups beyond timers | {'met (see the 1 Hz libdispatch timer)' if max(ui) == 0 else '**no**'} |")
    p("")

    p("Reference, same run, same 200x50 tmux pane, same polling (median, min–max, of the runs):")
    p("")
    idle_s = f"{results.get('args', {}).get('idle', 10):g}"
    p(f"| Program | Data | Exec → first paint (ms) | Exec → complete index (ms) | RSS after paint (MB) | CPU in {idle_s} idle s (ms) | Wakeups in {idle_s} idle s |")
    p("|---|---|---:|---:|---:|---:|---:|")
    mb = lambda x: f"{x:.1f}"
    n0 = lambda x: f"{x:.0f}"
    if plain:
        p(f"| closer (trace off) | `--fixture-size 10000:5000` | {spread([r['poll_leads_ms'] for r in plain])} | {spread([r['poll_thread_ms'] for r in plain])} (thread too) "
          f"| {spread([r['mem_paint']['rss'] for r in plain], mb)} | {spread([r['idle']['cpu_ms'] for r in plain])} | {spread([r['idle']['switches'] for r in plain], n0)} |")
    if traced:
        p(f"| closer (CLOSER_TRACE on) | same | {spread([r['poll_leads_ms'] for r in traced])} | {spread([r['poll_thread_ms'] for r in traced])} "
          f"| {spread([r['mem_paint']['rss'] for r in traced], mb)} | {spread([r['idle']['cpu_ms'] for r in traced])} | {spread([r['idle']['switches'] for r in traced], n0)} |")
    if small:
        p(f"| closer | built-in 10-lead fixture | — | {spread([r['poll_thread_ms'] for r in small])} | {spread([r['mem_paint']['rss'] for r in small], mb)} | — | — |")
    for program in ("neomutt", "aerc"):
        rs = by(program)
        if rs:
            full = [r.get("poll_full_ms", r["poll_paint_ms"]) for r in rs]
            p(f"| {program} | 10,000-message Maildir | {spread([r['poll_paint_ms'] for r in rs])} | {spread(full)} "
              f"| {spread([r['mem_paint']['rss'] for r in rs], mb)} | {spread([r['idle']['cpu_ms'] for r in rs])} | {spread([r['idle']['switches'] for r in rs], n0)} |")
    p("")

    if traced:
        p("closer's own timeline from CLOSER_TRACE (ms after exec, median of the traced runs; the trace formats every backend event with "
          "`String(describing:)`, which costs hundreds of ms for the 10,000-lead and 5,000-message events, so the traced runs paint later than the plain ones):")
        p("")
        p("| `start` (terminal up, backend started) | first `flush` (empty frame) | first `flush` after `event leads(` | first `flush` after `event thread(` |")
        p("|---:|---:|---:|---:|")
        p(f"| {spread([r['trace_start_ms'] for r in traced])} | {spread([r['trace_flush1_ms'] for r in traced])} | {spread([r['trace_leads_ms'] for r in traced])} | {spread([r['trace_thread_ms'] for r in traced])} |")
        p("")
        send = [x for r in traced for x in r["send_to_key_ms"]]
        batched = sum(r["keys_batched"] for r in traced)
        sent = sum(r["keys_sent"] for r in traced)
        seen = sum(r["keys_traced"] for r in traced)
        # The n-th `j` selects lead n; Fixtures.large leaves every 15th lead unread (index % 15 == 0),
        # and selecting one marks it read (a lead re-sort) and the backend answers with the lead (another).
        split = {True: ([], []), False: ([], [])}
        for r in traced:
            for n, (f, st) in enumerate(zip(r["key_first_ms"], r["key_settled_ms"]), start=1):
                split[n % 15 == 0][0].append(f)
                split[n % 15 == 0][1].append(st)
        for unread, label in ((True, "keys that select an unread lead (every 15th)"), (False, "the other keys")):
            f, st = split[unread]
            if f:
                p(f"- {label}: {len(f)} keys, key → flush median {ms(statistics.median(f))} ms, p99 {ms(pct(f, 0.99))} ms; "
                  f"until the second frame median {ms(statistics.median(st))} ms, p99 {ms(pct(st, 0.99))} ms")
        p("")
        p(f"Keys: {sent} sent, {seen} traced, {batched} read in the same loop turn as another key. "
          f"tmux `send-keys` → `key j` in the trace: median {ms(statistics.median(send))} ms, p99 {ms(pct(send, 0.99))} ms (tmux and the pty, not closer).")
        p("")

    if dist:
        p("In-process distributions (`closer-bench-tui`; render: AppView.render + MemoryScreen.present; key: one loop turn = tick + key + "
          "effects on the real FixtureBackend + render; `.settled`: until the backend's answer (thread page, read receipt) is drawn; "
          "flush/keyflush: through a copy of NcursesScreen.present in a 200x50 tmux pane):")
        p("")
        p("| Name | n | median ms | p99 ms | max ms | other load (cores) | What |")
        p("|---|---:|---:|---:|---:|---:|---|")
        for d in dist.values():
            other = d.get("otherCores")
            p(f"| {d['name']} | {d['count']} | {d['medianMs']:.3f} | {d['p99Ms']:.3f} | {d['maxMs']:.3f} | "
              f"{'—' if other is None else f'{other:.2f}'} | {d['what']} |")
        p("")
        p("\"Other load\" is what the rest of the machine used meanwhile (from /proc/stat, less the driver's own CPU); for flush "
          "and keyflush it includes the tmux server drawing the pane, which is part of the job.")
        p("")

    figures = {f["name"]: f for f in (render or {}).get("figures", [])}
    if "memory.fixture" in figures:
        f = figures
        p(f"Memory in-process (`closer-bench-tui render`, /proc/self/statm): the driver starts at {f['memory.baseline']['value']:.1f} MB; "
          f"`Fixtures.large` adds {f['memory.fixture']['value']:.1f} MB (generation garbage included), the app state loaded from it "
          f"{f['memory.app']['value']:.1f} MB more; a `Lead` is {f['memory.leadStride']['value']:.0f} bytes inline and a `Message` "
          f"{f['memory.messageStride']['value']:.0f}, plus their strings' heap buffers.")
        p("")

    loads = [(r["program"] + (" trace" if r.get("traced") else "") + f" #{r['run']}", r.get("quiet_before"), r.get("load_during_start")) for r in runs]
    noisy = [f"{name} ({q:.2f} cores before)" for name, q, _ in loads if q is not None and q >= 0.15]
    p("Machine load: " + ("every measurement started on a quiet machine (other processes < 0.15 cores for 1 s)." if not noisy
                           else "started without a quiet second: " + ", ".join(noisy) + "."))
    print("\n".join(out))


if __name__ == "__main__":
    main()
