#!/usr/bin/env python3
"""Editor-latency benchmark of `magelint server` (issue #15), Python 3 standard library only.

Drives the server over stdio as an editor does: initialize (workspace folder, dynamic
registration of watched files), initialized, open one installation's app/etc/env.php, wait for
its first publishDiagnostics, then edit it: CHANGES full-text didChange notifications that flip
MAGE_MODE between 'production' and 'producton' (an invalid value: SCH003, so the published list
changes with every edit, and a server that publishes only on a change must publish every time).
Each latency is the time from writing the didChange to reading the publishDiagnostics of that
document with that version (the debounce included).

Pacing (--pace):
  wait   (default) the next edit is sent INTERVAL after the previous one or when its diagnostics
         arrive, whichever is later: every latency is one change's own, never a queue's;
  fixed  an edit every INTERVAL whatever the server does (an editor's typist); a publish answers
         every outstanding edit up to its version. Each invalid value is then unique
         ('producton1', 'producton3', ...), so every lint that sees a new text publishes.

Optional disk mode (--disk-changes K, needs two installations): also opens the installation's
app/etc/config.php, then K times rewrites the NEXT installation's config.php (its second website
code becomes this installation's first one, a website-code collision in their shared data space,
MS002; then back), sends workspace/didChangeWatchedFiles, and times until config.php's
diagnostics are published. The file is restored at the end, whatever happens.

Peak RSS is the server's VmHWM from /proc/PID/status, read just before shutdown.

Usage: bench/lsp.py --magelint BIN WORKSPACE [--installation i00000] [--changes 40] [--json]
Exit status: 0 when every change was answered, 1 on a timeout or a protocol failure.
"""

import argparse
import json
import math
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path


class Failure(Exception):
    """The server hung, died or broke the protocol: the run fails."""


class Server:
    """A language server process, its framed JSON-RPC streams and a reader thread."""

    def __init__(self, argv, cwd):
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        self.inbox = queue.Queue()
        self.write_lock = threading.Lock()
        self.next_id = 1
        self.stderr_lines = []
        self.logs = []  # window/logMessage and window/showMessage: (type, message)
        self.server_requests = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def send(self, message):
        body = json.dumps(message, separators=(",", ":")).encode()
        try:
            with self.write_lock:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
        except OSError as error:
            raise Failure(f"cannot write to the server ({error}): it exited with status "
                          f"{self.proc.poll()}") from None
        return time.monotonic()

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout):
        """Sends a request; returns (result, seconds) once its response arrives."""
        rid = self.next_id
        self.next_id += 1
        t0 = self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            t, msg = self.receive(t0 + timeout - time.monotonic(), f"the response to {method}")
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise Failure(f"{method}: error {msg['error']}")
                return msg.get("result"), t - t0

    def receive(self, timeout, waiting_for):
        """The next message the server sent to the client (requests are already answered)."""
        try:
            item = self.inbox.get(timeout=max(timeout, 0))
        except queue.Empty:
            raise Failure(f"timed out waiting for {waiting_for}") from None
        if item is None:
            raise Failure(f"the server closed its output (exited?) while waiting for {waiting_for} "
                          f"(stderr: {' | '.join(self.stderr_lines[-5:])})")
        return item

    def _read(self):
        stream = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                msg = json.loads(stream.read(length))
                t = time.monotonic()
                method = msg.get("method")
                if method is not None and "id" in msg:
                    # A server->client request (client/registerCapability, ...): a null result,
                    # as an editor that accepts it.
                    self.server_requests.append(method)
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                    continue
                if method in ("window/logMessage", "window/showMessage"):
                    params = msg.get("params") or {}
                    self.logs.append((params.get("type"), params.get("message", "")))
                self.inbox.put((t, msg))
        except (OSError, ValueError, Failure):
            pass
        finally:
            self.inbox.put(None)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode(errors="replace").rstrip())

    def cpu_seconds(self):
        """User + system CPU time of the server process so far (all its threads)."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        # utime and stime: fields 14 and 15 of proc(5), the 12th and 13th after the name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self):
        """VmHWM (peak resident set size) and VmRSS of the server process, in MiB."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmHWM", "VmRSS"):
                    fields[name] = int(value.split()[0]) / 1024
        return fields.get("VmHWM"), fields.get("VmRSS")


def file_uri(path):
    return "file://" + urllib.parse.quote(str(path))


def wait_publish(server, uri, deadline, min_version=None, what="publishDiagnostics"):
    """Waits for publishDiagnostics of `uri` (with version >= min_version when the server sends
    versions). Returns (time, version, diagnostics)."""
    while True:
        t, msg = server.receive(deadline - time.monotonic(), what)
        if msg.get("method") != "textDocument/publishDiagnostics":
            continue
        params = msg.get("params") or {}
        if params.get("uri") != uri:
            continue
        version = params.get("version")
        if min_version is not None and version is not None and version < min_version:
            continue  # a stale publish of an earlier text
        return t, version, params.get("diagnostics", [])


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(latencies_ms):
    if not latencies_ms:
        return {}
    return {
        "median_ms": statistics.median(latencies_ms),
        "p90_ms": percentile(latencies_ms, 0.9),
        "min_ms": min(latencies_ms),
        "max_ms": max(latencies_ms),
    }


def codes(diagnostics):
    return sorted(str(d.get("code", "")) for d in diagnostics)


def mode_text(text, version, pace):
    """The env.php text of edit `version`: odd edits invalid, even ones back to production."""
    if version % 2 == 0:
        return text
    value = "producton" if pace == "wait" else f"producton{version}"
    return text.replace("'MAGE_MODE' => 'production'", f"'MAGE_MODE' => '{value}'", 1)


def edit_session(server, uri, text, args, first_version):
    """Sends the didChange edits; returns per-edit latencies (ms) and the diagnostic counts."""
    latencies = []
    counts = {"valid": set(), "invalid": set()}
    unanswered = 0
    start = time.monotonic()
    if args.pace == "wait":
        for i in range(1, args.changes + 1):
            version = first_version + i
            body = mode_text(text, i, args.pace)
            t0 = server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": body}]})
            t, _, diags = wait_publish(server, uri, t0 + args.timeout, version,
                                       f"the diagnostics of edit {i} (version {version})")
            latencies.append((t - t0) * 1000)
            counts["invalid" if i % 2 else "valid"].add(len(diags))
            pause = t0 + args.interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        return latencies, counts, unanswered
    # fixed pace: sends on a clock; a reader loop between sends matches publishes to versions.
    sent = {}  # version -> send time, outstanding
    for i in range(1, args.changes + 1):
        due = start + (i - 1) * args.interval
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            try:
                item = server.inbox.get(timeout=left)
            except queue.Empty:
                break
            if item is None:
                raise Failure("the server exited during the edits")
            answer(item, uri, sent, latencies, counts, first_version)
        version = first_version + i
        sent[version] = server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": mode_text(text, i, args.pace)}]})
    last = first_version + args.changes
    deadline = time.monotonic() + args.timeout
    while last in sent:
        try:
            item = server.receive(deadline - time.monotonic(), "the last edit's diagnostics")
        except Failure:
            break
        answer(item, uri, sent, latencies, counts, first_version)
    unanswered = len(sent)
    return latencies, counts, unanswered


def answer(item, uri, sent, latencies, counts, first_version):
    t, msg = item
    params = msg.get("params") or {}
    if msg.get("method") != "textDocument/publishDiagnostics" or params.get("uri") != uri:
        return
    version = params.get("version")
    if version is None:
        version = max(sent) if sent else None
    for v in [v for v in sent if version is not None and v <= version]:
        latencies.append((t - sent.pop(v)) * 1000)
    if version is not None and version > first_version:
        counts["invalid" if (version - first_version) % 2 else "valid"].add(
            len(params.get("diagnostics", [])))


def disk_session(server, root, inst, args):
    """Rewrites the next installation's config.php K times (collision, then back); returns the
    latencies (ms) until this installation's config.php diagnostics are published."""
    index = int(inst[1:])
    neighbour = root / f"i{index + 1:05d}" / "app" / "etc" / "config.php"
    own = root / inst / "app" / "etc" / "config.php"
    if not neighbour.exists():
        raise Failure(f"disk mode needs installation i{index + 1:05d} next to {inst}")
    original = neighbour.read_text()
    mine, theirs = f"i{index}_w0", f"i{index + 1}_w1"
    if f"'{theirs}'" not in original:
        raise Failure(f"{neighbour} has no website code {theirs}")
    colliding = re.sub(re.escape(theirs) + r"(?![0-9])", mine, original)
    uri = file_uri(own)
    t0 = server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "php", "version": 1, "text": own.read_text()}})
    wait_publish(server, uri, t0 + args.timeout, None, "the first diagnostics of config.php")
    time.sleep(args.interval)
    latencies, ms002 = [], {"collision": set(), "restored": set()}
    try:
        for i in range(1, args.disk_changes + 1):
            neighbour.write_text(colliding if i % 2 else original)
            t0 = server.notify("workspace/didChangeWatchedFiles", {
                "changes": [{"uri": file_uri(neighbour), "type": 2}]})
            t, _, diags = wait_publish(server, uri, t0 + args.timeout, None,
                                       f"config.php's diagnostics after disk change {i}")
            latencies.append((t - t0) * 1000)
            ms002["collision" if i % 2 else "restored"].add(codes(diags).count("MS002"))
            pause = t0 + args.interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
    finally:
        neighbour.write_text(original)
    return latencies, ms002, uri


def run(args):
    root = Path(args.workspace).resolve()
    inst = args.installation
    env = root / inst / "app" / "etc" / "env.php"
    text = env.read_text()
    if "'MAGE_MODE' => 'production'" not in text:
        raise Failure(f"{env} has no 'MAGE_MODE' => 'production' to edit")
    installations = sum(1 for p in root.iterdir() if re.fullmatch(r"i[0-9]{5}", p.name))
    result = {"label": args.label or os.path.basename(args.magelint),
              "magelint": args.magelint, "workspace": str(root), "installations": installations,
              "document": str(env), "pace": args.pace, "interval_s": args.interval,
              "changes": args.changes}
    t_start = time.monotonic()
    server = Server([args.magelint, "server"], cwd=str(root))
    try:
        _, result["initialize_ms"] = server.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "bench/lsp.py"},
            "rootUri": file_uri(root),
            "workspaceFolders": [{"uri": file_uri(root), "name": root.name}],
            "capabilities": {
                "workspace": {"workspaceFolders": True, "configuration": False,
                              "didChangeWatchedFiles": {"dynamicRegistration": True}},
                "textDocument": {
                    "synchronization": {"didSave": True, "dynamicRegistration": False},
                    "publishDiagnostics": {"versionSupport": True}}},
        }, args.timeout)
        result["initialize_ms"] *= 1000
        server.notify("initialized", {})
        uri = file_uri(env)
        t0 = server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "php", "version": 1, "text": text}})
        t, _, diags = wait_publish(server, uri, t0 + args.timeout, None,
                                   "the first diagnostics of the opened env.php")
        result["open_to_first_ms"] = (t - t0) * 1000
        result["start_to_first_ms"] = (t - t_start) * 1000
        result["first_diagnostics"] = codes(diags)
        # Settle: whatever the server still does after its first publish is not an edit's cost.
        time.sleep(args.settle)
        # Peak after indexing and the first lint: shows whether the edits add to it.
        result["peak_rss_after_open_mib"] = server.peak_rss_mib()[0]
        cpu_before = server.cpu_seconds()
        latencies, counts, unanswered = edit_session(server, uri, text, args, 1)
        # CPU per edit: what the server spends, less exposed than wall time to a busy machine.
        result["cpu_ms_per_edit"] = (server.cpu_seconds() - cpu_before) * 1000 / args.changes
        result.update(summary(latencies))
        result["latencies_ms"] = [round(x, 2) for x in latencies]
        result["diagnostics_valid"] = sorted(counts["valid"])
        result["diagnostics_invalid"] = sorted(counts["invalid"])
        result["unanswered"] = unanswered
        if args.disk_changes:
            disk, ms002, config_uri = disk_session(server, root, inst, args)
            result["disk"] = summary(disk)
            result["disk"]["latencies_ms"] = [round(x, 2) for x in disk]
            result["disk"]["ms002_collision"] = sorted(ms002["collision"])
            result["disk"]["ms002_restored"] = sorted(ms002["restored"])
            result["disk"]["document"] = config_uri
        result["peak_rss_mib"], result["rss_mib"] = server.peak_rss_mib()
        _, shutdown_s = server.request("shutdown", None, args.timeout)
        result["shutdown_ms"] = shutdown_s * 1000
        server.notify("exit", None)
        result["exit_status"] = server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise Failure("the server did not exit within 10 s of `exit`") from None
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        result["server_requests"] = sorted(set(server.server_requests))
        result["logs"] = [f"{t}: {m}" for t, m in server.logs]
        result["stderr"] = server.stderr_lines[-20:]
    return result


def table_row(r):
    cells = [r["label"], f"{r['installations']:,}", f"{r['open_to_first_ms']:.0f}",
             f"{r['median_ms']:.1f}", f"{r['p90_ms']:.1f}", f"{r['min_ms']:.1f}",
             f"{r['max_ms']:.1f}", f"{r['peak_rss_mib']:.1f}"]
    if "disk" in r:
        cells.append(f"{r['disk'].get('median_ms', float('nan')):.1f}")
    return "| " + " | ".join(cells) + " |"


TABLE_HEAD = ("| server | installations | open → first diagnostics ms | median ms | p90 ms "
              "| min ms | max ms | peak RSS MiB |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", help="the workspace folder (a gen-fleet fleet)")
    parser.add_argument("--magelint", default="magelint", help="the binary (run as BIN server)")
    parser.add_argument("--installation", default="i00000",
                        help="whose app/etc/env.php is opened and edited (default i00000)")
    parser.add_argument("--changes", type=int, default=40, help="edits (default 40)")
    parser.add_argument("--interval", type=float, default=0.3, help="seconds between edits")
    parser.add_argument("--pace", choices=("wait", "fixed"), default="wait")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds of quiet after the first publish (default 1)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a change without diagnostics fails the run")
    parser.add_argument("--disk-changes", type=int, default=0,
                        help="also K on-disk changes of the next installation (MS002)")
    parser.add_argument("--label", help="the server's name in the table")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-header", action="store_true", help="the table row only")
    args = parser.parse_args()
    try:
        result = run(args)
    except Failure as failure:
        print(f"lsp.py: {args.label or args.magelint} on {args.workspace}: FAILED: {failure}",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        if not args.no_header:
            head = TABLE_HEAD + (" disk change median ms |" if "disk" in result else "")
            print(head)
            print(re.sub(r"[^|]+", "---", head))
        print(table_row(result))
        print(f"diagnostics per publish: {result['diagnostics_valid']} (production) / "
              f"{result['diagnostics_invalid']} (invalid); unanswered edits: "
              f"{result['unanswered']}", file=sys.stderr)
    return 1 if result["unanswered"] else 0


if __name__ == "__main__":
    sys.exit(main())
