#!/usr/bin/env python3
"""Summarizes bench/fanout results (Python 3 standard library only).

    report.py RESULTS_DIR

Reads RESULTS_DIR/<target>-n<N>-r<round>.json (one closer-bench-fanout result each) and the matching
.cpu file (helpers.py other-load's BENCH_CPU line), prints a Markdown report: medians over the rounds
per target and N, the per-round figures the medians come from, the closer/baseline ratio of delivered
events/s, and whether the targets are met. Exits non-zero when a run lost events or failed to connect.
"""
import glob
import json
import os
import re
import statistics
import sys

TARGET_NAMES = {"closer": "closer-server", "python": "python-socketio"}


def load(results_dir):
    runs = {}  # (target, n) -> {round: result}
    for path in sorted(glob.glob(os.path.join(results_dir, "*-n*-r*.json"))):
        m = re.match(r"(\w+)-n(\d+)-r(\d+)\.json$", os.path.basename(path))
        if not m:
            continue
        result = json.load(open(path))
        cpu_path = path[:-len(".json")] + ".cpu"
        result["cpu"] = {}
        if os.path.exists(cpu_path):
            for line in open(cpu_path):
                if line.startswith("BENCH_CPU "):
                    result["cpu"] = json.loads(line[len("BENCH_CPU "):])
        runs.setdefault((m.group(1), int(m.group(2))), {})[int(m.group(3))] = result
    return runs


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, unit=""):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def figures(result):
    """The per-run numbers of the table."""
    lat, con = result["latency"], result["connect"]
    thr = result.get("throughput") or {}
    mem = result.get("memory") or {}
    return {
        "connect_p50": con["perClient"]["p50"], "connect_p99": con["perClient"]["p99"],
        "connect_total": con["totalSeconds"],
        "delay_p50": lat["delay"]["p50"], "delay_p99": lat["delay"]["p99"], "delay_max": lat["delay"]["max"],
        "complete_p99": lat["broadcastComplete"]["p99"],
        "rest_p50": lat["rest"]["p50"],
        "kb_per_conn": mem["bytesPerConnection"] / 1024 if mem else None,
        "delivered": thr.get("deliveredPerSecond"),
        "fired": thr.get("firedPerSecond"),
        "server_cpu_per_frame_us": (thr["serverCPUSeconds"] / thr["receipts"] * 1e6)
        if thr.get("serverCPUSeconds") and thr.get("receipts") else None,
        "tool_cpu_per_frame_us": (thr["toolCPUSeconds"] / thr["receipts"] * 1e6)
        if thr.get("toolCPUSeconds") and thr.get("receipts") else None,
    }


def problems(target, n, rnd, result):
    out = []
    con, lat = result["connect"], result["latency"]
    thr = result.get("throughput") or {}
    if con["failures"]:
        out.append(f"{target} N={n} round {rnd}: {con['failures']} clients failed to connect ({con.get('firstFailure')})")
    if lat["received"] != lat["expected"]:
        out.append(f"{target} N={n} round {rnd}: latency phase got {lat['received']} of {lat['expected']} receipts")
    if thr and thr["receipts"] != thr["expected"]:
        out.append(f"{target} N={n} round {rnd}: throughput phase got {thr['receipts']} of {thr['expected']} receipts")
    if lat["restFailures"] or thr.get("restFailures"):
        out.append(f"{target} N={n} round {rnd}: {lat['restFailures'] + thr.get('restFailures', 0)} REST triggers failed")
    if lat["duplicates"]:
        out.append(f"{target} N={n} round {rnd}: {lat['duplicates']} duplicate receipts")
    if result.get("unexpectedFrames"):
        out.append(f"{target} N={n} round {rnd}: {result['unexpectedFrames']} unexpected frames")
    return out


def main(results_dir):
    runs = load(results_dir)
    if not runs:
        sys.exit(f"report: no results in {results_dir}")
    targets = [t for t in ["closer", "python"] if any(k[0] == t for k in runs)]
    sizes = sorted({k[1] for k in runs})
    medians = {}
    for key, rounds in runs.items():
        per = [figures(r) for r in rounds.values()]
        medians[key] = {name: med([p[name] for p in per]) for name in per[0]}
        medians[key]["rounds"] = len(rounds)

    any_result = next(iter(next(iter(runs.values())).values()))
    print(f"Medians of {max(len(r) for r in runs.values())} rounds; latency phase: {any_result['events']} events, "
          f"one every {any_result['intervalMilliseconds']} ms (open loop); delay = client receipt − just before the REST call.\n")
    print("| Server | N | connect p50 / p99 ms | all N connected, s | delay p50 ms | delay p99 ms | delay max ms "
          "| last client p99 ms | REST p50 ms | RSS per idle conn, KB | delivered events/s | vs baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target in targets:
        for n in sizes:
            m = medians.get((target, n))
            if not m:
                continue
            base = medians.get(("python", n), {}).get("delivered")
            ratio = f"{m['delivered'] / base:.1f}×" if target == "closer" and base and m["delivered"] else "—"
            print(f"| {TARGET_NAMES[target]} | {n:,} | {fmt(m['connect_p50'], 1)} / {fmt(m['connect_p99'], 1)} "
                  f"| {fmt(m['connect_total'], 2)} | {fmt(m['delay_p50'], 1)} | {fmt(m['delay_p99'], 1)} "
                  f"| {fmt(m['delay_max'], 1)} | {fmt(m['complete_p99'], 1)} | {fmt(m['rest_p50'], 1)} "
                  f"| {fmt(m['kb_per_conn'], 1)} | {fmt(m['delivered'])} | {ratio} |")

    print("\nPer round (delay p99 ms / delivered events/s / KB per connection; server and tool CPU µs per "
          "delivered frame in the throughput phase; other processes' CPU in cores):\n")
    print("| Server | N | round | delay p99 | delivered/s | KB/conn | events fired/s | server µs/frame | tool µs/frame | other cores |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target in targets:
        for n in sizes:
            for rnd, result in sorted(runs.get((target, n), {}).items()):
                f = figures(result)
                print(f"| {TARGET_NAMES[target]} | {n:,} | {rnd} | {fmt(f['delay_p99'], 1)} | {fmt(f['delivered'])} "
                      f"| {fmt(f['kb_per_conn'], 1)} | {fmt(f['fired'])} | {fmt(f['server_cpu_per_frame_us'], 1)} "
                      f"| {fmt(f['tool_cpu_per_frame_us'], 1)} | {fmt(result['cpu'].get('other_cores'), 2)} |")

    print("\n| Target | Measured (median) | Met? |")
    print("|---|---|---|")
    top = max(sizes)
    c = medians.get(("closer", top))
    if c:
        ok = c["delay_p99"] is not None and c["delay_p99"] < 100
        print(f"| {top:,} clients, p99 < 100 ms per broadcast | delay p99 {fmt(c['delay_p99'], 1)} ms "
              f"(last client p99 {fmt(c['complete_p99'], 1)} ms) | {'yes' if ok else '**no**'} |")
        kbs = [(n, medians[('closer', n)]["kb_per_conn"]) for n in sizes if ("closer", n) in medians]
        ok = all(kb is not None and kb < 50 for _, kb in kbs)
        print(f"| < 50 KB server memory per idle connection | "
              f"{', '.join(f'{fmt(kb, 1)} KB at N={n:,}' for n, kb in kbs)} | {'yes' if ok else '**no**'} |")
        ratios = []
        for n in sizes:
            cl, py = medians.get(("closer", n)), medians.get(("python", n))
            if cl and py and cl["delivered"] and py["delivered"]:
                ratios.append((n, cl["delivered"] / py["delivered"]))
        if ratios:
            ok = all(r >= 3 for _, r in ratios)
            print(f"| ≥ 3× the baseline's delivered events/s | "
                  f"{', '.join(f'{r:.1f}× at N={n:,}' for n, r in ratios)} | {'yes' if ok else '**no**'} |")

    issues = [p for (t, n), rounds in runs.items() for rnd, r in rounds.items() for p in problems(t, n, rnd, r)]
    if issues:
        print("\nProblems:\n")
        for issue in issues:
            print(f"- {issue}")
    return 1 if issues else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
