#!/usr/bin/env python3
"""bench/tui end-to-end measurements: closer, neomutt and aerc in a 200x50 tmux pane.

Called by bench/tui/run.sh (which builds the binaries and cleans up); see bench/README.md,
"Terminal client (bench/tui)". Everything runs under one private tmux server (-L), driven through
one control-mode client, so polling the screen costs a round trip on a pipe instead of a fork and
exec of the tmux client every 5 ms.

Per run of closer (`closer --fixture --fixture-size 10000:5000`):
  - exec -> first paint, from the CLOSER_TRACE file (the first `flush` after the `event leads(`
    line, i.e. the first frame with the leads in it; and the one after `event thread(`), and by
    polling capture-pane for "Lead 0 Kim" (the lead list) and "Thread message 4999" (the thread);
  - VmRSS/VmHWM once painted, then after 2 s;
  - CPU (utime+stime, and per-thread schedstat run time) and context switches of every thread
    over 10 idle seconds;
  - key -> flush: `j` sent N times, each `key j` trace line paired with the next `flush`.
Runs with CLOSER_TRACE off give the same first-paint, RSS and idle figures without the trace's
own cost. neomutt and aerc open a generated 10,000-message Maildir and are measured the same way
(capture-pane polling for a subject line, RSS, idle CPU).
"""
import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
POLL_INTERVAL = 0.005
WIDTH, HEIGHT = 200, 50


# MARK: tmux through one control-mode client

class Tmux:
    """A private tmux server and a control-mode client attached to a parked session."""

    def __init__(self, socket, env):
        self.socket = socket
        self.env = env
        # No config file: tmux 3.3a dies when options are set from one before the first session,
        # and on `new-session -x -y` with `window-size manual`; so options are set afterwards.
        subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "ctl",
                        "-x", str(WIDTH), "-y", str(HEIGHT), "cat"], env=env, check=True)
        self.proc = subprocess.Popen(["tmux", "-L", socket, "-C", "attach", "-t", "ctl"], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        for option in ("set -g default-terminal tmux-256color", "set -g status off", "set -g history-limit 100",
                       "set -sg escape-time 0"):
            self.command(option)

    def command(self, line):
        """Runs one tmux command; returns its output lines, raises on %error."""
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        out = []
        inside = False
        ours = False
        while True:
            text = self.proc.stdout.readline()
            if text == "":
                raise RuntimeError("tmux control client went away")
            text = text.rstrip("\n")
            if not inside:
                if text.startswith("%begin"):
                    inside = True
                    # The last field is 1 for commands this client sent, 0 for others (the attach).
                    ours = text.split()[-1] == "1"
                    out = []
                continue
            if text.startswith("%end") or text.startswith("%error"):
                inside = False
                if not ours:
                    continue
                if text.startswith("%error"):
                    raise RuntimeError(f"tmux: {line}: {' '.join(out)}")
                return out
            out.append(text)

    def capture(self, target):
        return "\n".join(self.command(f"capture-pane -p -t {target}"))

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# MARK: /proc

def read_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def rss_mb(pid):
    status = read_status(pid)
    kb = lambda key: int(status[key].split()[0]) / 1024
    return {"rss": kb("VmRSS"), "hwm": kb("VmHWM")}


def cpu_snapshot(pid):
    """Process CPU (ticks), and per thread: name, run time (ns), switches."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    rest = stat[stat.rindex(")") + 2:].split()
    utime, stime = int(rest[11]), int(rest[12])
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                run_ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            status = {}
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    status[key] = value.strip()
            threads[tid] = {"name": name, "run_ns": run_ns,
                            "vol": int(status["voluntary_ctxt_switches"]),
                            "invol": int(status["nonvoluntary_ctxt_switches"])}
        except (FileNotFoundError, ProcessLookupError):
            continue
    return {"ticks": utime + stime, "threads": threads, "time": time.monotonic()}


def cpu_delta(before, after):
    switches = 0
    run_ns = 0
    busy = []
    for tid, b in after["threads"].items():
        a = before["threads"].get(tid, {"run_ns": 0, "vol": 0, "invol": 0})
        d_switch = b["vol"] - a["vol"] + b["invol"] - a["invol"]
        d_run = b["run_ns"] - a["run_ns"]
        switches += d_switch
        run_ns += d_run
        if d_switch or d_run:
            busy.append(f"{b['name']}({tid}): {d_switch} switches, {d_run / 1e6:.3f} ms")
    return {"seconds": after["time"] - before["time"],
            "cpu_ms_ticks": (after["ticks"] - before["ticks"]) * 1000 / CLK_TCK,
            "cpu_ms": run_ns / 1e6, "switches": switches,
            "threads": len(after["threads"]), "busy_threads": busy}


def system_busy():
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def wait_quiet(limit=0.15, timeout=90):
    """Waits until the rest of the machine uses under `limit` cores for a second; returns the load seen."""
    deadline = time.monotonic() + timeout
    cores = os.cpu_count() or 1
    load = None
    while time.monotonic() < deadline:
        b0, t0 = system_busy()
        time.sleep(1)
        b1, t1 = system_busy()
        load = (b1 - b0) / max(1, t1 - t0) * cores
        if load < limit:
            return load
    return load


class LoadMeter:
    """Cores used by the whole machine between start() and stop()."""

    def start(self):
        self.b0, self.t0 = system_busy()

    def stop(self):
        b1, t1 = system_busy()
        return (b1 - self.b0) / max(1, t1 - self.t0) * (os.cpu_count() or 1)


# MARK: one program in a pane

class Pane:
    def __init__(self, tmux, name, argv, env, stamp):
        self.tmux = tmux
        self.name = name
        self.stamp = stamp
        if stamp.exists():
            stamp.unlink()
        prefix = ["env"] + [f"{k}={v}" for k, v in env.items()]
        command = prefix + [sys.executable, str(HERE / "spawn.py"), str(stamp)] + argv
        tmux.command(f"new-session -d -s {name} -x {WIDTH} -y {HEIGHT} {shlex.quote(shlex.join(command))}")
        size = tmux.command(f"display-message -p -t {name} '#{{pane_width}}x#{{pane_height}}'")
        self.size = size[0] if size else "?"
        self.t0 = None
        self.pid = None

    def wait_stamp(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stamp.exists():
                t0, pid = self.stamp.read_text().split()
                self.t0, self.pid = float(t0), int(pid)
                return
            time.sleep(0.001)
        raise RuntimeError(f"{self.name}: never started")

    def poll(self, pattern, timeout=30, until=None):
        """Wall time at which a capture first contained `pattern` (a compiled regex) and, if given,
        satisfied `until(screen)`. The capture is polled every POLL_INTERVAL."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.tmux.capture(self.name)
            if pattern.search(screen) and (until is None or until(screen)):
                return time.time(), screen
            time.sleep(POLL_INTERVAL)
        raise RuntimeError(f"{self.name}: {pattern.pattern!r} never appeared:\n{self.tmux.capture(self.name)}")

    def send(self, keys):
        self.tmux.command(f"send-keys -t {self.name} {keys}")

    def alive(self):
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().split(") ")[1][0] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False

    def kill(self):
        try:
            self.tmux.command(f"kill-session -t {self.name}")
        except RuntimeError:
            pass
        deadline = time.monotonic() + 5
        while self.pid and self.alive() and time.monotonic() < deadline:
            time.sleep(0.02)


def idle_cpu(pane, seconds):
    before = cpu_snapshot(pane.pid)
    time.sleep(seconds)
    after = cpu_snapshot(pane.pid)
    return cpu_delta(before, after)


# MARK: closer

def parse_trace(path):
    events = []
    for line in Path(path).read_text().splitlines():
        m = re.match(r"wall=(\d+\.\d+) (.*)", line)
        if m:
            events.append((float(m.group(1)), m.group(2)))
    return events


def first_flush_after(events, predicate):
    seen = False
    for t, name in events:
        if not seen and predicate(name):
            seen = True
        elif seen and name.startswith("flush"):
            return t
    return None


def key_latencies(events, sends):
    """Pairs every `key j` with the next flush (first) and the last flush before the next key (settled)."""
    first, settled, batched = [], [], 0
    keys = [i for i, (_, name) in enumerate(events) if name.startswith("key ")]
    for n, i in enumerate(keys):
        t_key = events[i][0]
        end = keys[n + 1] if n + 1 < len(keys) else len(events)
        flushes = [t for t, name in events[i + 1:end] if name.startswith("flush")]
        if not flushes:
            batched += 1
            nxt = [t for t, name in events[end:] if name.startswith("flush")]
            if nxt:
                first.append((nxt[0] - t_key) * 1000)
            continue
        first.append((flushes[0] - t_key) * 1000)
        settled.append((flushes[-1] - t_key) * 1000)
    # The pane's view: from handing the key to tmux to the key's first flush.
    from_send = []
    key_times = [events[i][0] for i in keys]
    for t_send, t_key in zip(sends, key_times):
        from_send.append((t_key - t_send) * 1000)
    return first, settled, batched, len(keys), from_send


def run_closer(tmux, args, env, run_dir, index, traced):
    tag = f"closer{'-trace' if traced else ''}-{index}"
    trace = run_dir / f"{tag}.trace"
    penv = dict(env)
    if traced:
        penv["CLOSER_TRACE"] = str(trace)
    result = {"program": "closer", "traced": traced, "run": index}
    result["quiet_before"] = wait_quiet()
    meter = LoadMeter()
    meter.start()
    pane = Pane(tmux, tag.replace(".", "_"), [args.closer, "--fixture", "--fixture-size", f"{args.leads}:{args.thread}"],
                penv, run_dir / f"{tag}.stamp")
    t_leads, _ = pane.poll(re.compile(r"Lead 0 Kim"))
    t_thread, screen = pane.poll(re.compile(rf"Thread message {args.thread - 1}:"))
    pane.wait_stamp()
    result["size"] = pane.size
    result["poll_leads_ms"] = (t_leads - pane.t0) * 1000
    result["poll_thread_ms"] = (t_thread - pane.t0) * 1000
    result["mem_paint"] = rss_mb(pane.pid)
    result["load_during_start"] = meter.stop()
    (run_dir / f"{tag}.screen.txt").write_text(screen)
    time.sleep(2)
    result["mem_settled"] = rss_mb(pane.pid)
    result["idle"] = idle_cpu(pane, args.idle)
    if traced:
        events = parse_trace(trace)
        start = next(t for t, n in events if n == "start")
        flushes = [t for t, n in events if n.startswith("flush")]
        result["trace_start_ms"] = (start - pane.t0) * 1000
        result["trace_flush1_ms"] = (flushes[0] - pane.t0) * 1000
        result["trace_leads_ms"] = (first_flush_after(events, lambda n: n.startswith("event leads")) - pane.t0) * 1000
        result["trace_thread_ms"] = (first_flush_after(events, lambda n: n.startswith("event thread")) - pane.t0) * 1000
        result["trace_flushes_at_paint"] = len(flushes)
        before_idle = len(events)
        # Keys.
        sends = []
        for _ in range(args.keys):
            sends.append(time.time())
            pane.send("j")
            time.sleep(args.key_interval)
        time.sleep(0.5)
        events = parse_trace(trace)
        idle_events = [n for t, n in events[before_idle:] if not n.startswith("key") and t < sends[0]]
        result["idle_trace_lines"] = len(idle_events)
        first, settled, batched, nkeys, from_send = key_latencies(events[before_idle:], sends)
        result["keys_sent"] = args.keys
        result["keys_traced"] = nkeys
        result["keys_batched"] = batched
        result["key_first_ms"] = first
        result["key_settled_ms"] = settled
        result["send_to_key_ms"] = from_send
        result["mem_after_keys"] = rss_mb(pane.pid)
        screen = tmux.capture(pane.name)
        (run_dir / f"{tag}.after-keys.txt").write_text(screen)
    pane.send("q")
    deadline = time.monotonic() + 5
    while pane.alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    result["quit_clean"] = not pane.alive()
    pane.kill()
    return result


def run_closer_small(tmux, args, env, run_dir, index):
    """`closer --fixture` on the built-in 10-lead inbox: the same binary's start-up and RSS with
    (almost) no data, to tell the data's cost from the program's."""
    tag = f"closer-small-{index}"
    result = {"program": "closer-small", "run": index, "quiet_before": wait_quiet()}
    pane = Pane(tmux, tag, [args.closer, "--fixture"], env, run_dir / f"{tag}.stamp")
    t_paint, screen = pane.poll(re.compile(r"Dana Kim · qualified"))
    pane.wait_stamp()
    result["poll_thread_ms"] = (t_paint - pane.t0) * 1000
    result["mem_paint"] = rss_mb(pane.pid)
    time.sleep(2)
    result["mem_settled"] = rss_mb(pane.pid)
    pane.kill()
    return result


# MARK: neomutt and aerc

SUBJECT = re.compile(r"Proposal follow-up #\d+")


def run_reference(tmux, program, argv, env, run_dir, index, idle_seconds):
    tag = f"{program}-{index}"
    result = {"program": program, "run": index, "quiet_before": wait_quiet()}
    meter = LoadMeter()
    meter.start()
    pane = Pane(tmux, tag, argv, env, run_dir / f"{tag}.stamp")
    t_paint, screen = pane.poll(SUBJECT, timeout=60)
    pane.wait_stamp()
    result["size"] = pane.size
    result["poll_paint_ms"] = (t_paint - pane.t0) * 1000
    result["mem_paint"] = rss_mb(pane.pid)
    # aerc paints the index before it has read the headers: rows show "[..]" until they arrive.
    t_full, full = pane.poll(SUBJECT, timeout=60, until=lambda text: "[..]" not in text)
    result["poll_full_ms"] = (t_full - pane.t0) * 1000
    result["mem_full"] = rss_mb(pane.pid)
    (run_dir / f"{tag}.full-screen.txt").write_text(full)
    result["load_during_start"] = meter.stop()
    (run_dir / f"{tag}.screen.txt").write_text(screen)
    time.sleep(2)
    result["mem_settled"] = rss_mb(pane.pid)
    result["idle"] = idle_cpu(pane, idle_seconds)
    pane.kill()
    return result


def make_maildir(root, count):
    """A 10,000-message Maildir: small plain-text messages with the usual headers, all seen."""
    inbox = root / "INBOX"
    for sub in ("cur", "new", "tmp"):
        (inbox / sub).mkdir(parents=True, exist_ok=True)
    base = 1_795_528_920  # Tue 24 Nov 2026 14:02 UTC, Fixtures.referenceNow
    names = ["Kim", "Webb", "Tanaka", "Ortega", "Rossi"]
    for n in range(count):
        at = base - (count - n) * 137
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(at))
        who = f"Lead {n} {names[n % 5]}"
        body = (f"Hi Rita,\n\nThanks for the call. Following up on the proposal (message {n}):\n"
                "could you send the pricing for a team of five, and the onboarding timeline?\n\n"
                f"Best,\n{who}\n")
        text = (f"Return-Path: <lead{n}@example.com>\n"
                f"Message-ID: <{n}.{at}@mail.example.com>\n"
                f"Date: {date}\n"
                f"From: {who} <lead{n}@example.com>\n"
                f"To: Rita Rep <rita@closer.example>\n"
                f"Subject: Proposal follow-up #{n}\n"
                "MIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: 8bit\n\n" + body)
        (inbox / "cur" / f"{at}.M{n}P1.bench:2,S").write_text(text)
    return inbox


# MARK: main

def stop(signum, _frame):
    # Unwind through the `finally` blocks (tmux server killed) and subprocess.run (child killed).
    raise SystemExit(128 + signum)


def main():
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, stop)
    p = argparse.ArgumentParser()
    p.add_argument("--closer", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--keys", type=int, default=500)
    p.add_argument("--key-interval", type=float, default=0.02)
    p.add_argument("--idle", type=float, default=10)
    p.add_argument("--leads", type=int, default=10_000)
    p.add_argument("--thread", type=int, default=5_000)
    p.add_argument("--messages", type=int, default=10_000)
    p.add_argument("--iterations", type=int, default=2000)
    p.add_argument("--only", default="render,flush,closer,neomutt,aerc")
    p.add_argument("--socket", default=f"closer-bench-tui-{os.getpid()}", help="the private tmux server's -L name")
    args = p.parse_args()
    only = set(args.only.split(","))
    work = Path(args.workdir)
    results_dir = Path(args.results)
    results_dir.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    for d in ("config", "data", "cache", "state"):
        (home / d).mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state"),
        "TMPDIR": str(work),
    }
    out = {"started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "args": vars(args), "runs": []}

    def save():
        (results_dir / "results.json").write_text(json.dumps(out, indent=1))

    if "render" in only:
        print("in-process: closer-bench-tui render", flush=True)
        out["quiet_before_render"] = wait_quiet()
        meter = LoadMeter()
        meter.start()
        subprocess.run([args.bench, "render", "--leads", str(args.leads), "--thread", str(args.thread),
                        "--iterations", str(args.iterations), "--out", str(results_dir / "render.json")], check=True)
        out["load_during_render"] = meter.stop()
        save()

    tmux = Tmux(args.socket, dict(env, TERM="xterm-256color"))
    try:
        if "flush" in only:
            print("in a 200x50 pane: closer-bench-tui flush", flush=True)
            out["quiet_before_flush"] = wait_quiet()
            meter = LoadMeter()
            meter.start()
            flush_json = results_dir / "flush.json"
            pane = Pane(tmux, "flush", [args.bench, "flush", "--leads", str(args.leads), "--thread", str(args.thread),
                                        "--iterations", str(args.iterations), "--out", str(flush_json)],
                        env, work / "flush.stamp")
            pane.wait_stamp()
            out["flush_pane_size"] = pane.size
            deadline = time.monotonic() + 600
            while pane.alive() and time.monotonic() < deadline:
                time.sleep(0.2)
            out["load_during_flush"] = meter.stop()
            pane.kill()
            if not flush_json.exists():
                raise RuntimeError("closer-bench-tui flush wrote no results")
            save()

        mail = None
        if {"neomutt", "aerc"} & only:
            print(f"generating a {args.messages}-message Maildir", flush=True)
            mail = make_maildir(work / "mail", args.messages)
            muttrc = work / "muttrc"
            muttrc.write_text(f'set header_cache = ""\nset mbox_type = Maildir\nset folder = "{work / "mail"}"\n'
                              f'set spoolfile = "{mail}"\nset record = ""\nset postponed = ""\n')
            aerc_dir = home / "config" / "aerc"
            aerc_dir.mkdir(parents=True, exist_ok=True)
            accounts = aerc_dir / "accounts.conf"
            accounts.write_text(f"[bench]\nsource = maildir://{work / 'mail'}\nfrom = Rita Rep <rita@closer.example>\n"
                                "default = INBOX\n")
            accounts.chmod(0o600)

        for index in range(1, args.runs + 1):
            if "closer" in only:
                for traced in (True, False):
                    print(f"run {index}: closer ({'trace on' if traced else 'trace off'})", flush=True)
                    out["runs"].append(run_closer(tmux, args, env, results_dir, index, traced))
                    save()
                print(f"run {index}: closer (built-in 10-lead fixture)", flush=True)
                out["runs"].append(run_closer_small(tmux, args, env, results_dir, index))
                save()
            if "neomutt" in only:
                print(f"run {index}: neomutt", flush=True)
                out["runs"].append(run_reference(tmux, "neomutt", ["neomutt", "-n", "-F", str(work / "muttrc"), "-f", str(mail)],
                                                 env, results_dir, index, args.idle))
                save()
            if "aerc" in only:
                print(f"run {index}: aerc", flush=True)
                out["runs"].append(run_reference(tmux, "aerc", ["aerc"], env, results_dir, index, args.idle))
                save()
    finally:
        tmux.close()
    out["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %z")
    save()


if __name__ == "__main__":
    main()
