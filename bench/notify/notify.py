#!/usr/bin/env python3
"""bench/notify: how fast an email open becomes a toast on the rep's screen, and whether a burst
of opens keeps the terminal client responsive. See bench/README.md, "Live notifications".

Called by bench/notify/run.sh with the release binaries. One run:
  1. closer-server (SQLite, spool, --machine-open-window 0) with a rep, two leads and one tracked
     email to Dana Kim; the real `closer` signed in, in a 200x50 tmux pane, with CLOSER_TRACE.
  2. Latency: 200 times, note the wall clock, GET the pixel (a browser User-Agent), and find the
     first frame the client flushes after that whose toast text changed ("Dana Kim opened …",
     then "2 opens from Dana Kim", …). Sequential, 100 ms apart, so each open is its own
     tracking batch and its own notification.
  3. Responsiveness: `j`/`k` every 20 ms for 2 s with nothing else going on (the baseline), then
     again while 500 pixel requests arrive within one second from 16 threads; key -> flush from the
     trace (each `key` line paired with the next `flush`), and the bells rung during the burst.
Writes JSON per run into the results folder; run.sh's report prints the tables.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tui"))
from measure import LoadMeter, Tmux, key_latencies, parse_trace, wait_quiet  # noqa: E402

BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with OPENER.open(urllib.request.Request(url, data=data, method=method, headers=headers), timeout=10) as answer:
        return json.loads(answer.read() or b"null")


def get(url):
    with OPENER.open(urllib.request.Request(url, headers={"User-Agent": BROWSER}), timeout=10) as answer:
        answer.read()


class TraceTail:
    """Reads the client's trace file as it grows."""

    def __init__(self, path):
        self.path = Path(path)
        self.offset = 0
        self.toast = None

    def next_toast_change(self, after, timeout=5):
        """Wall time of the first flush after `after` whose toast differs from the last one seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.path.exists():
                with self.path.open() as f:
                    f.seek(self.offset)
                    chunk = f.read()
                complete = chunk[: chunk.rfind("\n") + 1]
                self.offset += len(complete.encode())
                for line in complete.splitlines():
                    wall, _, event = line.partition(" ")
                    if not event.startswith("flush toast="):
                        continue
                    toast = event[len("flush toast="):]
                    t = float(wall[len("wall="):])
                    changed = toast != self.toast
                    self.toast = toast
                    if changed and t > after and toast:
                        return t, toast
            time.sleep(0.001)
        return None, None


def one_run(bin_dir, run_dir, opens, burst):
    work = Path(tempfile.mkdtemp(prefix="closer-bench-notify."))
    server = None
    tmux = None
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        db = f"sqlite:{work}/server.sqlite"
        subprocess.run([f"{bin_dir}/closer-server", "user", "add", "--email", "rita@closer.example", "--name", "Rita Rep",
                        "--database", db], input=b"correct horse battery\n", check=True, capture_output=True)
        server = subprocess.Popen([f"{bin_dir}/closer-server", "serve", "--port", str(port), "--database", db,
                                   "--spool-dir", f"{work}/spool", "--machine-open-window", "0", "--log-level", "warning"],
                                  stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        token = call("POST", base + "/api/auth/login", {"email": "rita@closer.example", "password": "correct horse battery"})["token"]
        dana = call("POST", base + "/api/leads", {"name": "Dana Kim", "email": "dana@northwind.example"}, token)
        message = call("POST", f"{base}/api/messages/{dana['id']}",
                       {"body": "The proposal: https://closer.example/p", "subject": "Proposal Q3", "channel": "email", "clientId": "bench-1"}, token)
        # Marcus is written to last: he is the lead on screen, so Dana's opens ring the bell.
        call("POST", base + "/api/leads", {"name": "Marcus Webb", "email": "marcus@example.com"}, token)
        pixel = f"{base}/t/o/{message['trackingId']}.gif"

        env = {"HOME": str(work), "XDG_CONFIG_HOME": f"{work}/config", "XDG_DATA_HOME": f"{work}/data",
               "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "tmux-256color"}
        subprocess.run([f"{bin_dir}/closer", "login", "--server", base, "--email", "rita@closer.example"],
                       input=b"correct horse battery\n", env=env, check=True, capture_output=True)
        trace = work / "trace.log"
        tmux = Tmux(f"closer-bench-notify-{os.getpid()}", dict(os.environ, **env))
        command = " ".join(f"{k}={v}" for k, v in dict(env, CLOSER_TRACE=str(trace)).items())
        tmux.command(f"new-session -d -s closer -x 200 -y 50 'env {command} {bin_dir}/closer'")
        deadline = time.monotonic() + 20
        while "● online" not in tmux.capture("closer"):
            if time.monotonic() > deadline:
                raise RuntimeError("closer never came online:\n" + tmux.capture("closer"))
            time.sleep(0.05)
        time.sleep(1)
        load_before = wait_quiet()

        tail = TraceTail(trace)
        tail.next_toast_change(time.time() + 3600, timeout=0.2)  # skip to the end of the trace
        meter = LoadMeter()
        meter.start()
        latencies, missed = [], 0
        for _ in range(opens):
            t0 = time.time()
            get(pixel)
            t, _ = tail.next_toast_change(t0)
            if t is None:
                missed += 1
            else:
                latencies.append((t - t0) * 1000)
            time.sleep(0.1)
        latency_load = meter.stop()

        def keys_for(seconds, start):
            sends = []
            key = "j"
            while time.time() < start + seconds:
                sends.append(time.time())
                tmux.command(f"send-keys -t closer {key}")
                key = "k" if key == "j" else "j"
                time.sleep(0.02)
            return sends

        time.sleep(6)  # let the toast expire
        wait_quiet()
        start = time.time()
        keys_for(2, start)
        idle_window = (start, time.time())
        time.sleep(0.5)

        errors = []

        def flood(count, spread):
            t_start = time.time()
            for i in range(count):
                wait = t_start + spread * i / count - time.time()
                if wait > 0:
                    time.sleep(wait)
                try:
                    get(pixel)
                except OSError as error:
                    errors.append(str(error))

        start = time.time()
        workers = [threading.Thread(target=flood, args=(burst // 16, 1.0)) for _ in range(16)]
        for worker in workers:
            worker.start()
        keys_for(2, start)
        for worker in workers:
            worker.join()
        burst_window = (start, time.time())
        time.sleep(1)

        events = parse_trace(trace)

        def window_stats(window):
            inside = [(t, name) for t, name in events if window[0] <= t <= window[1] + 0.5]
            first, _, batched, count, _ = key_latencies(inside, [])
            bells = sum(1 for t, name in inside if name == "bell")
            return {"keyToFlush": first, "keys": count, "batched": batched, "bells": bells}

        result = {
            "opens": opens, "toastLatencyMs": latencies, "missed": missed, "loadDuringLatency": latency_load,
            "loadBefore": load_before, "idle": window_stats(idle_window), "burst": dict(window_stats(burst_window), requests=burst,
                                                                                      errors=len(errors)),
        }
        return result
    finally:
        if tmux:
            tmux.close()
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--opens", type=int, default=200)
    parser.add_argument("--burst", type=int, default=500)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(args.runs):
        result = one_run(args.bin, out, args.opens, args.burst)
        (out / f"run-{index}.json").write_text(json.dumps(result, indent=1))
        print(f"run {index}: {len(result['toastLatencyMs'])} toasts, missed {result['missed']}", file=sys.stderr)


if __name__ == "__main__":
    main()
