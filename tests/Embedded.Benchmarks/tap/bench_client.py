#!/usr/bin/env python3
"""Client side of the TAP benchmark suite (run inside the harness namespace by suite.sh).

Every subcommand prints one line "VALUE<TAB>NOTES" and exits 0 on success; on failure it
prints "n/a<TAB>REASON" and exits 1. Every network wait is bounded.

  pingstats            parse `ping` output on stdin: RTT p50 / p99
  udpecho              UDP 7 echo of 0, 1, 64 and 1472-byte datagrams
  httpcheck            GET /, /bytes/N content, 404, 400, keep-alive, Connection: close
  upload --size N      N bytes to TCP 9 discard; rate until every byte is acknowledged
  newconn -c C -d S    requests per second, one fresh connection (fresh source port) each
  echo --size N        N random bytes through TCP 7 echo, SHA-256 compared
"""
import argparse
import fcntl
import hashlib
import math
import random
import re
import selectors
import socket
import struct
import sys
import threading
import time

HOST = "192.0.2.2"
SRC = "192.0.2.1"
TIOCOUTQ = 0x5411  # unsent + unacknowledged bytes in a TCP socket's send queue


def ok(value, notes=""):
    print(f"{value}\t{notes}")
    sys.exit(0)


def fail(reason):
    print(f"n/a\t{reason}")
    sys.exit(1)


def pattern(n):
    return bytes(i % 251 for i in range(n))


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


# ------------------------------------------------------------------ ping

def cmd_pingstats(args):
    text = sys.stdin.read()
    times = sorted(float(t) for t in re.findall(r"time=([0-9.]+) ms", text))
    m = re.search(r"(\d+) packets transmitted, (\d+) (?:packets )?received", text)
    sent = int(m.group(1)) if m else 0
    if len(times) < max(1, args.min_replies):
        fail(f"{len(times)}/{sent} replies")
    ok(f"{percentile(times, 50):.3f} / {percentile(times, 99):.3f} ms", f"{len(times)}/{sent} replies")


# ------------------------------------------------------------------ UDP echo

def cmd_udpecho(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    s.connect((HOST, 7))
    bad = []
    for size in (0, 1, 64, 1472):
        payload = random.Random(size).randbytes(size)
        for _attempt in range(3):
            s.send(payload)
            try:
                if s.recv(2048) == payload:
                    break
            except (socket.timeout, ConnectionRefusedError):
                pass
        else:
            bad.append(str(size))
    s.close()
    if bad:
        fail("no or wrong echo for " + "/".join(bad) + " B")
    ok("ok", "0/1/64/1472 B echoed")


# ------------------------------------------------------------------ HTTP checks

class Reader:
    """Minimal HTTP/1.1 response reader over a blocking socket with a timeout."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def fill(self):
        d = self.sock.recv(65536)
        if not d:
            return False
        self.buf += d
        return True

    def response(self):
        while b"\r\n\r\n" not in self.buf:
            if not self.fill():
                raise EOFError("connection closed before response head")
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "-1"))
        if n < 0:
            raise ValueError("no Content-Length")
        while len(self.buf) < n:
            if not self.fill():
                raise EOFError("connection closed inside body")
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, headers, body

    def closed(self):
        try:
            return self.buf == b"" and self.sock.recv(1) == b""
        except OSError:
            return True


def cmd_httpcheck(args):
    problems = []
    step = "connect"

    def check(cond, what):
        if not cond:
            problems.append(what)

    try:
        s = socket.create_connection((HOST, 80), timeout=5)
        r = Reader(s)
        # keep-alive: three requests on one connection, the last two pipelined
        step = "GET /"
        s.sendall(b"GET / HTTP/1.1\r\nHost: dut\r\n\r\n")
        st, h, body = r.response()
        check(st == 200 and h.get("content-type", "").startswith("text/html") and 0 < len(body) < 1024,
              "GET / not 200 text/html < 1 KiB")
        n = 100_003
        step = "pipelined GET /bytes/100003, GET /no/such/page"
        s.sendall(f"GET /bytes/{n} HTTP/1.1\r\nHost: dut\r\n\r\n".encode()
                  + b"GET /no/such/page HTTP/1.1\r\nHost: dut\r\n\r\n")
        st, h, body = r.response()
        check(st == 200 and body == pattern(n), "GET /bytes/100003 wrong")
        st, h, body = r.response()
        check(st == 404, "unknown path not 404")
        step = "GET /bytes/0 with Connection: close"
        s.sendall(b"GET /bytes/0 HTTP/1.1\r\nHost: dut\r\nConnection: close\r\n\r\n")
        st, h, body = r.response()
        check(st == 200 and body == b"", "GET /bytes/0 wrong")
        check(r.closed(), "Connection: close not honoured")
        s.close()

        step = "malformed request"
        s = socket.create_connection((HOST, 80), timeout=5)
        r = Reader(s)
        s.sendall(b"this is not http\r\n\r\n")
        st, h, body = r.response()
        check(st == 400, "malformed request not 400")
        check(r.closed(), "no close after 400")
        s.close()
    except (OSError, EOFError, ValueError, IndexError) as e:
        problems.append(f"{step}: {type(e).__name__}: {e}")
    if problems:
        fail("; ".join(problems))
    ok("ok", "/, /bytes/100003, 404, pipelining, Connection: close, 400")


# ------------------------------------------------------------------ upload to discard

def cmd_upload(args):
    deadline = time.monotonic() + args.timeout
    chunk = memoryview(random.Random(9).randbytes(1 << 20))
    try:
        s = socket.create_connection((HOST, 9), timeout=5)
        s.settimeout(5)
        t0 = time.monotonic()
        left = args.size
        while left > 0:
            if time.monotonic() > deadline:
                fail(f"time limit after {args.size - left} bytes")
            n = min(left, len(chunk))
            s.sendall(chunk[:n])
            left -= n
        # done when the device has acknowledged every byte
        while True:
            queued = struct.unpack("i", fcntl.ioctl(s.fileno(), TIOCOUTQ, b"\0\0\0\0"))[0]
            if queued == 0:
                break
            if time.monotonic() > deadline:
                fail(f"{queued} bytes never acknowledged")
            time.sleep(0.0005)
        t1 = time.monotonic()
        s.shutdown(socket.SHUT_WR)
        s.settimeout(3)
        note = ""
        try:
            if s.recv(1) != b"":
                note = "; device sent data on discard"
        except socket.timeout:
            note = "; device did not close after our FIN"
        s.close()
    except OSError as e:
        fail(f"{type(e).__name__}: {e}")
    ok(f"{args.size / (t1 - t0) / 1e6:.1f} MB/s", f"{args.size} B in {t1 - t0:.2f} s{note}")


# ------------------------------------------------------------------ new connection per request

REQUEST = b"GET / HTTP/1.1\r\nHost: dut\r\nConnection: close\r\n\r\n"


def cmd_newconn(args):
    """C connections in flight; each binds the next unused (source address, source port), sends
    one request with Connection: close, reads to EOF. Counts 200 responses completed in the
    window. Fresh tuples because the DUT, closing first, holds TIME-WAIT for every one."""
    sel = selectors.DefaultSelector()
    sources = args.sources.split(",")
    n_tuples = len(sources) * (args.port_hi - args.port_lo + 1)
    next_tuple = 0
    done = errors = timeouts = busy = 0
    first_error = ""
    start = time.monotonic()
    stop_launch = start + args.duration
    hard_stop = stop_launch + 5
    conns = {}

    def launch():
        nonlocal next_tuple, errors, first_error, busy
        while next_tuple < n_tuples:
            addr = sources[next_tuple % len(sources)]
            port = args.port_lo + next_tuple // len(sources)
            next_tuple += 1
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((addr, port))
            except OSError:
                busy += 1       # still held by an earlier client socket here: skip it
                s.close()
                continue
            try:
                s.connect_ex((HOST, 80))
            except OSError as e:
                errors += 1
                first_error = first_error or str(e)
                s.close()
                return True
            conns[s] = [time.monotonic(), b"", False]
            sel.register(s, selectors.EVENT_WRITE)
            return True
        return False

    def finish(s, good, timed_out=False):
        nonlocal done, errors, timeouts
        sel.unregister(s)
        del conns[s]
        s.close()
        if time.monotonic() <= stop_launch:
            if good:
                done += 1
            elif timed_out:
                timeouts += 1
            else:
                errors += 1

    for _ in range(args.concurrency):
        launch()
    while conns and time.monotonic() < hard_stop:
        if done == 0 and errors + timeouts >= 200:
            break       # nothing answers: do not burn through every tuple
        for key, ev in sel.select(timeout=0.2):
            s = key.fileobj
            st = conns[s]
            if not st[2]:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    first_error = first_error or f"connect: errno {err}"
                    finish(s, False)
                else:
                    try:
                        s.send(REQUEST)
                        st[2] = True
                        sel.modify(s, selectors.EVENT_READ)
                        continue
                    except OSError as e:
                        first_error = first_error or str(e)
                        finish(s, False)
            else:
                try:
                    d = s.recv(65536)
                except OSError as e:
                    # a reset after a complete response still counts as a served request
                    good = st[1].startswith(b"HTTP/1.1 200") and b"\r\n\r\n" in st[1]
                    if not good:
                        first_error = first_error or str(e)
                    finish(s, good)
                    d = None
                if d:
                    st[1] += d
                    continue
                if d == b"":
                    finish(s, st[1].startswith(b"HTTP/1.1 200") and b"\r\n\r\n" in st[1])
            if time.monotonic() < stop_launch:
                launch()
        now = time.monotonic()
        for s in [s for s, st in conns.items() if now - st[0] > args.conn_timeout]:
            finish(s, False, timed_out=True)
            if now < stop_launch:
                launch()
        while len(conns) < args.concurrency and time.monotonic() < stop_launch:
            if not launch():
                break
    for s in list(conns):
        finish(s, False, timed_out=True)
    elapsed = min(time.monotonic(), stop_launch) - start
    notes = f"{done} in {elapsed:.1f} s, {next_tuple - busy} source tuples ({len(sources)} addresses)"
    if errors or timeouts:
        notes += f", {errors} errors, {timeouts} stuck > {args.conn_timeout:g} s"
        if first_error:
            notes += f" ({first_error})"
    if next_tuple >= n_tuples:
        notes += ", ran out of source tuples"
    if done == 0:
        fail(notes)
    ok(f"{done / elapsed:.0f} /s", notes)


# ------------------------------------------------------------------ TCP echo

def cmd_echo(args):
    data = random.Random(7).randbytes(args.size)
    want = hashlib.sha256(data).hexdigest()
    deadline = time.monotonic() + args.timeout
    send_error = []
    try:
        s = socket.create_connection((HOST, 7), timeout=5)
        s.settimeout(1)
    except OSError as e:
        fail(f"connect: {e}")

    def sender():
        mv = memoryview(data)
        try:
            for off in range(0, len(data), 65536):
                piece = mv[off:off + 65536]
                while piece:
                    if time.monotonic() > deadline:
                        return
                    try:
                        n = s.send(piece)
                        piece = piece[n:]
                    except socket.timeout:
                        pass
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            send_error.append(str(e))

    t0 = time.monotonic()
    th = threading.Thread(target=sender, daemon=True)
    th.start()
    h = hashlib.sha256()
    got = 0
    while got < args.size and time.monotonic() < deadline:
        try:
            d = s.recv(1 << 20)
        except socket.timeout:
            continue
        except OSError as e:
            send_error.append(str(e))
            break
        if not d:
            break
        h.update(d)
        got += len(d)
    t1 = time.monotonic()
    th.join(timeout=2)
    s.close()
    if got != args.size:
        fail(f"echoed {got} of {args.size} bytes" + (f" ({send_error[0]})" if send_error else "")
             + (" (time limit)" if time.monotonic() >= deadline else ""))
    if h.hexdigest() != want:
        fail("SHA-256 mismatch")
    ok(f"{t1 - t0:.3f} s ({args.size / (t1 - t0) / 1e6:.1f} MB/s)", "SHA-256 match")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pingstats")
    p.add_argument("--min-replies", type=int, default=1)
    sub.add_parser("udpecho")
    sub.add_parser("httpcheck")
    p = sub.add_parser("upload")
    p.add_argument("--size", type=int, default=200_000_000)
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("newconn")
    p.add_argument("-c", "--concurrency", type=int, default=1)
    p.add_argument("-d", "--duration", type=float, default=5)
    p.add_argument("--sources", default=SRC, help="comma-separated client addresses to bind")
    p.add_argument("--port-lo", type=int, default=10000)
    p.add_argument("--port-hi", type=int, default=65000)
    p.add_argument("--conn-timeout", type=float, default=2)
    p = sub.add_parser("echo")
    p.add_argument("--size", type=int, default=20 * 1024 * 1024)
    p.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    globals()["cmd_" + args.cmd](args)


if __name__ == "__main__":
    main()
