#!/usr/bin/env python3
"""The draft save's baseline: the bare SQL the cache runs, without GRDB or the sync engine.

Usage: sqlite_baseline.py --db PATH --out FILE [--saves 10000] [--leads 50] [--gap-ms 2] [--content-bytes 300]

Python's sqlite3 on the system libsqlite3 (the one GRDB links), configured as GRDB configures the
cache (`journal_mode=WAL`, `synchronous=NORMAL`), with the cache's `drafts` table, and each save
as GRDB writes it: `BEGIN IMMEDIATE`, the same upsert, `COMMIT`. The statement is prepared on
every save (`cached_statements=0`), as `Database.execute(sql:arguments:)` does. Rows have the same
size as the Swift driver's (a 36-character lead id, `content-bytes` of content, a subject).
Writes one JSON result in the driver's format (bench/sync/report.py reads both).
"""
import argparse
import json
import sqlite3
import time
import uuid

UPSERT = """
    INSERT INTO drafts (lead_id, content, subject, channel, saved_at, base_version, dirty) VALUES (?, ?, ?, ?, ?, NULL, 1)
    ON CONFLICT (lead_id) DO UPDATE SET content = excluded.content, subject = excluded.subject,
        channel = excluded.channel, saved_at = excluded.saved_at, dirty = 1
"""


def content(index, size):
    """The driver's draft text (DraftSaveBench.content): the same bytes for the same save."""
    text = ("Hi Dana,\n\nThanks for the call today (save %d). As promised, here is a summary of the proposal "
            "for Northwind: the annual plan for a team of five, onboarding in two weeks, and the security questionnaire "
            "attached. Let me know if Thursday still works for the walkthrough with your CFO.\n\nBest,\nRita\n") % index
    return text[:size] if len(text) >= size else text + "." * (size - len(text))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--saves", type=int, default=10_000)
    p.add_argument("--leads", type=int, default=50)
    p.add_argument("--gap-ms", type=float, default=2)
    p.add_argument("--content-bytes", type=int, default=300)
    args = p.parse_args()
    warmup = 100

    db = sqlite3.connect(args.db, isolation_level=None, cached_statements=0)
    if db.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
        raise SystemExit("sqlite_baseline.py: WAL mode refused")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("""CREATE TABLE drafts (lead_id TEXT PRIMARY KEY, content TEXT NOT NULL, subject TEXT, channel TEXT NOT NULL,
                  saved_at INTEGER NOT NULL, base_version INTEGER, dirty INTEGER NOT NULL)""")
    leads = [str(uuid.uuid4()) for _ in range(args.leads)]
    samples = []
    for index in range(warmup + args.saves):
        row = (leads[index % args.leads], content(index, args.content_bytes), "Re: proposal", "email", int(time.time() * 1000))
        start = time.perf_counter_ns()
        db.execute("BEGIN IMMEDIATE")
        db.execute(UPSERT, row)
        db.execute("COMMIT")
        elapsed = time.perf_counter_ns() - start
        if index >= warmup:
            samples.append(elapsed / 1e6)
        if args.gap_ms > 0:
            time.sleep(args.gap_ms / 1000)
    db.close()
    result = {"mode": "sqlite-baseline", "sqlite": sqlite3.sqlite_version, "saves": args.saves, "leads": args.leads,
              "samples": [{"name": "drafts.sqlite", "what": "bare upsert (BEGIN IMMEDIATE, upsert, COMMIT), Python sqlite3, WAL, synchronous=NORMAL",
                           "milliseconds": samples}]}
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
