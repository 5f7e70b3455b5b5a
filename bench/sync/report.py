#!/usr/bin/env python3
"""Turns bench/sync results folders into Markdown.

Usage: report.py RESULTS_DIR [RESULTS_DIR ...]

One folder: that run's figures. Several (whole runs of run.sh): each figure is computed per run,
and the table gives the median of the runs with every run's value after it, so a disturbed run
shows. Latencies are nearest-rank percentiles of that run's samples, as the driver computes them.
Targets (from the issue): send -> drawn p99 < 50 ms; draft save p99 < 2 ms; cold start from a
10,000-lead / 100,000-message cache to first paint < 150 ms (the median of the launches).
"""
import json
import math
import statistics
import sys
from pathlib import Path

SEND_ROWS = [
    ("send.drawn", "**A `perform(.send)` → first frame on B showing it**"),
    ("send.perform", "A `perform(.send)` returns (outbox row, local echo, task spawned)"),
    ("send.event", "A `perform(.send)` → B's engine emits the message"),
    ("send.event-to-frame", "B's engine emits it → B's frame presented"),
    ("rest.roundtrip", "baseline: bare `POST /api/messages/:leadId` round trip (APIClient)"),
    ("rest.drawn", "bare POST sent → first frame on B showing it"),
]
DRAFT_ROWS = [
    ("drafts.online", "**`perform(.saveDraft)`, online** (each save pushed in the background)"),
    ("drafts.unreachable", "`perform(.saveDraft)`, server unreachable"),
    ("drafts.cache", "`ClientCache.saveDraftLocally` alone"),
    ("drafts.sqlite", "baseline: bare upsert, Python sqlite3, WAL, `synchronous=NORMAL`"),
]
COLD_ROWS = [
    ("cache-down", "10,000-lead cache, server down"),
    ("cache-up", "10,000-lead cache, server up"),
    ("empty-up", "no cache, server up (leads over the network)"),
    ("empty-down", "no cache, server down (empty list)"),
    ("fixture", "`closer --fixture` (10 leads in memory)"),
]


def load(path):
    return json.loads(path.read_text()) if path.exists() else None


def pct(values, fraction):
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s), max(1, math.ceil(fraction * len(s)))) - 1]


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:,.0f}"


def across(values):
    """The median of per-run values, and the runs' values when there are several."""
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} <sub>({' / '.join(fmt(v) for v in values)})</sub>"


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def samples_by_name(result):
    return {s["name"]: s["milliseconds"] for s in (result or {}).get("samples", [])}


def other_load(folder, name):
    path = folder / f"{name}.cpu"
    if not path.exists():
        return None
    return json.loads(path.read_text().split(" ", 1)[1])["other_cores"]


def distribution_table(p, runs, rows, loads, phase_names=""):
    p("| What | n per run | p50 ms | p90 ms | p99 ms | max ms |")
    p("|---|---:|---:|---:|---:|---:|")
    for name, label in rows:
        per_run = [run.get(name) for run in runs]
        if not any(per_run):
            continue
        n = "/".join(str(len(s)) for s in per_run if s)
        cols = [across([pct(s, f) if s else None for s in per_run]) for f in (0.5, 0.9, 0.99)]
        p(f"| {label} | {n} | {cols[0]} | {cols[1]} | {cols[2]} | {across([max(s) if s else None for s in per_run])} |")
    if any(l is not None for l in loads):
        p("")
        p(f"Other processes' CPU during the phase{phase_names}, per run (cores): " + " / ".join(fmt(l) if l is not None else "–" for l in loads))


def main():
    folders = [Path(a) for a in sys.argv[1:]]
    if not folders:
        sys.exit("usage: report.py RESULTS_DIR [RESULTS_DIR ...]")
    out = []
    p = out.append
    realtime = [load(f / "realtime.json") for f in folders]
    drafts = [load(f / "drafts.json") for f in folders]
    sqlite = [load(f / "sqlite.json") for f in folders]
    breakdown = [load(f / "cold-breakdown.json") for f in folders]
    cold = [load(f / "coldstart.json") for f in folders]
    targets = []
    if len(folders) > 1:
        p(f"Medians of {len(folders)} runs of bench/sync/run.sh; each run's own value follows in brackets.")
        p("")

    if any(realtime):
        runs = [samples_by_name(r) for r in realtime if r]
        first = next(r for r in realtime if r)
        p(f"### Send → drawn ({first['sends']} sends per run, {first['channel']}, {first['gapMilliseconds']} ms gaps, "
          f"{first['warmup']} warm-up sends of each kind not counted)")
        p("")
        distribution_table(p, runs, SEND_ROWS, [other_load(f, "realtime") for f in folders])
        ratios = [pct(r["send.drawn"], 0.5) / pct(r["rest.roundtrip"], 0.5) for r in runs if r.get("send.drawn") and r.get("rest.roundtrip")]
        p("")
        p(f"Send → drawn p50 over the bare REST round trip p50: {across(ratios)}×. "
          f"Timeouts (never drawn within 5 s): {', '.join(str(r['timeouts']) for r in realtime if r)}. "
          f"Frames B presented: {', '.join(str(r['framesPresented']) for r in realtime if r)}.")
        p("")
        p99s = [pct(r["send.drawn"], 0.99) for r in runs if r.get("send.drawn")]
        targets.append(("send → drawn p99 < 50 ms (original system: < 500 ms)", median_or_none(p99s), 50,
                        f"p50 {fmt(median_or_none([pct(r['send.drawn'], 0.5) for r in runs]))}, p99 {fmt(median_or_none(p99s))} ms"))

    if any(drafts) or any(sqlite):
        runs = []
        for d, s in zip(drafts, sqlite):
            merged = samples_by_name(d)
            merged.update(samples_by_name(s))
            runs.append(merged)
        first = next(d for d in drafts if d)
        p(f"### Local draft save ({first['saves']:,} saves per run over {first['leads']} leads, {first['contentBytes']}-byte drafts, "
          f"{first['gapMilliseconds']} ms gaps, 100 warm-up saves not counted)")
        p("")
        distribution_table(p, runs, DRAFT_ROWS, [other_load(f, "drafts") for f in folders], " (the Swift driver)")
        p("")
        p("Other processes' CPU during the SQLite baseline, per run (cores): "
          + " / ".join(fmt(l) if l is not None else "–" for l in [other_load(f, "sqlite") for f in folders]))
        settle = [d.get("onlineSettleMilliseconds") for d in drafts if d]
        p("")
        p(f"Online: every draft pushed {across(settle)} ms after the last save; acknowledged pushes "
          f"{', '.join(str(d['onlineSyncedEvents']) for d in drafts if d)}; problems reported "
          f"{', '.join(str(len(d['problems'])) for d in drafts if d)}.")
        p("")
        p99s = [pct(r["drafts.online"], 0.99) for r in runs if r.get("drafts.online")]
        targets.append(("local draft save p99 < 2 ms", median_or_none(p99s), 2,
                        f"p50 {fmt(median_or_none([pct(r['drafts.online'], 0.5) for r in runs if r.get('drafts.online')]))}, "
                        f"p99 {fmt(median_or_none(p99s))} ms (online)"))

    if any(cold):
        first = next(c for c in cold if c)
        p(f"### Cold start ({first['leads']:,} leads, {first['messages']:,} messages, cache {first['cacheBytes'] / 1e6:.1f} MB; "
          f"exec → first paint of the lead list, 200x50 tmux pane)")
        p("")
        p("Per run, the median of its launches; ms after exec.")
        p("")
        p("| Variant | first paint (trace) | first paint (polled, trace off) | whole cached list on screen (trace) | `start` (trace) | "
          "first flush (trace) | leads from the network on screen (trace) | RSS at paint MB |")
        p("|---|---:|---:|---:|---:|---:|---:|---:|")
        for variant, label in COLD_ROWS:
            def per_run(key, traced):
                values = []
                for c in cold:
                    launches = [l[key] for l in (c or {}).get("launches", []) if l["variant"] == variant and l["traced"] == traced and l.get(key) is not None]
                    values.append(statistics.median(launches) if launches else None)
                return values
            if not any(per_run("poll_paint_ms", False)):
                continue
            leads_key = "trace_leads_paint_ms"
            full = across(per_run("trace_full_list_ms", True)) if variant.startswith("cache") else "–"
            p(f"| {label} | {across(per_run(leads_key, True))} | {across(per_run('poll_paint_ms', False))} | {full} | "
              f"{across(per_run('trace_start_ms', True))} | {across(per_run('trace_first_flush_ms', True))} | "
              f"{across(per_run('trace_network_leads_paint_ms', True))} | {across(per_run('rss_paint_mb', False))} |")
            if variant == "cache-down":
                paint = median_or_none(per_run(leads_key, True))
                targets.append(("cold start, 10,000-lead cache → first paint < 150 ms", paint, 150,
                                f"{fmt(paint)} ms server down (trace), {fmt(median_or_none(per_run('poll_paint_ms', False)))} ms polled"))
            if variant == "cache-up":
                paint = median_or_none(per_run(leads_key, True))
                targets.append(("same, server up", paint, 150, f"{fmt(paint)} ms (trace), {fmt(median_or_none(per_run('poll_paint_ms', False)))} ms polled"))
        launches = [l for c in cold if c for l in c["launches"]]
        p("")
        p(f"{len(launches)} launches; every one quit cleanly: {all(l['quit_clean'] for l in launches)}; "
          f"machine load just before each launch at most {fmt(max(l['quiet_before'] or 0 for l in launches))} cores.")
        p("")

    if any(breakdown):
        runs = [samples_by_name(b) for b in breakdown if b]
        p("### Cold start, step by step in process (`closer-bench-sync cold-breakdown`, the template's 10,000 leads)")
        p("")
        p("| Step | first iteration ms | median of the others ms |")
        p("|---|---:|---:|")
        whats = {s["name"]: s["what"] for b in breakdown if b for s in b["samples"]}
        for name, what in whats.items():
            first = [r[name][0] for r in runs if r.get(name)]
            rest = [statistics.median(r[name][1:]) for r in runs if r.get(name) and len(r[name]) > 1]
            p(f"| {what} | {across(first)} | {across(rest)} |")
        p("")

    if targets:
        p("### Targets")
        p("")
        p("| Target | Measured (median of runs) | Met? |")
        p("|---|---|---|")
        for label, value, limit, text in targets:
            p(f"| {label} | {text} | {'met' if value is not None and value < limit else '**no**'} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
