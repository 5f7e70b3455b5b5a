#!/usr/bin/env python3
"""Prints bench/notify's tables (medians across runs of each run's percentiles)."""
import json
import statistics
import sys
from pathlib import Path


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


runs = [json.loads(p.read_text()) for p in sorted(Path(sys.argv[1]).glob("run-*.json"))]
med = lambda f: statistics.median(f(r) for r in runs)
print(f"Runs: {len(runs)}; values are medians across runs of each run's figure.\n")
print("| Figure | p50 | p90 | p99 | max |")
print("|---|---|---|---|---|")
print("| pixel request -> toast flushed (ms, %d opens per run) | %.1f | %.1f | %.1f | %.1f |" % (
    runs[0]["opens"], med(lambda r: pct(r["toastLatencyMs"], 50)), med(lambda r: pct(r["toastLatencyMs"], 90)),
    med(lambda r: pct(r["toastLatencyMs"], 99)), med(lambda r: max(r["toastLatencyMs"]))))
for name, key in (("key -> flush, idle (ms)", "idle"), ("key -> flush, during 500 opens in 1 s (ms)", "burst")):
    print("| %s | %.2f | %.2f | %.2f | %.2f |" % (name, med(lambda r: pct(r[key]["keyToFlush"], 50)), med(lambda r: pct(r[key]["keyToFlush"], 90)),
                                                 med(lambda r: pct(r[key]["keyToFlush"], 99)), med(lambda r: max(r[key]["keyToFlush"]))))
print()
print("| Per run | " + " | ".join(str(i) for i in range(len(runs))) + " |")
print("|---|" + "---|" * len(runs))
print("| toasts missed | " + " | ".join(str(r["missed"]) for r in runs) + " |")
print("| bells during the burst | " + " | ".join(str(r["burst"]["bells"]) for r in runs) + " |")
print("| keys during the burst (batched into another key's frame) | " + " | ".join(f"{r['burst']['keys']} ({r['burst']['batched']})" for r in runs) + " |")
print("| burst request errors | " + " | ".join(str(r["burst"]["errors"]) for r in runs) + " |")
print("| other load before (cores) | " + " | ".join("%.2f" % (r["loadBefore"] or 0) for r in runs) + " |")
