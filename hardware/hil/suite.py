#!/usr/bin/env python3
"""The hardware-in-the-loop suite: everything the device program promises, checked over the wire.

Runs inside the namespace hardware/hil/run made (the board is the only thing on that link):
  suite.py BOARD_IP [--tcp-bytes N] [--seed N]
Prints one line per check ("PASS name: detail" or "FAIL name: why") and a closing
"hil: N passed, N failed" line; exit status 0 only when every check passed. Every step is bounded
in time (socket timeouts, retries, curl --max-time).
"""
import hashlib
import json
import random
import socket
import subprocess
import sys
import threading
import time

results = []


def check(name, function):
    try:
        detail = function()
        results.append((name, True, detail))
        print("PASS %s: %s" % (name, detail), flush=True)
    except Exception as error:  # every failure is a result, never a traceback
        results.append((name, False, str(error)))
        print("FAIL %s: %s" % (name, error), flush=True)


def ping(ip, size):
    def run():
        done = subprocess.run(["ping", "-c", "5", "-i", "0.2", "-W", "2", "-s", str(size), ip],
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0 or " 0% packet loss" not in done.stdout:
            raise RuntimeError("ping -s %d: %s" % (size, done.stdout.strip().splitlines()[-2:] or done.stderr))
        return "5 of 5 answered, %d-byte payload" % size
    return run


def udp_echo(ip, count, rng):
    def run():
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(0.5)
        try:
            echoed = retries = 0
            for i in range(count):
                payload = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 1400)))
                for attempt in range(5):
                    sock.sendto(payload, (ip, 7))
                    try:
                        data, _ = sock.recvfrom(65535)
                    except socket.timeout:
                        retries += 1
                        continue
                    if data != payload:
                        raise RuntimeError("datagram %d came back different (%d bytes, sent %d)" % (i, len(data), len(payload)))
                    echoed += 1
                    break
                else:
                    raise RuntimeError("datagram %d never echoed after 5 tries" % i)
            return "%d of %d datagrams echoed, %d retries" % (echoed, count, retries)
        finally:
            sock.close()
    return run


def tcp_echo(ip, total, rng):
    def run():
        data = rng.randbytes(total)
        sent_hash = hashlib.sha256(data).hexdigest()
        received = hashlib.sha256()
        got = 0
        started = time.monotonic()
        with socket.create_connection((ip, 7), timeout=10) as sock:
            sock.settimeout(10)
            failure = []

            def send_all():  # a second thread, so neither side's window stalls the other
                try:
                    sock.sendall(data)
                    sock.shutdown(socket.SHUT_WR)
                except OSError as error:
                    failure.append(error)

            sender = threading.Thread(target=send_all, daemon=True)
            sender.start()
            while got < total:
                try:
                    piece = sock.recv(65536)
                except socket.timeout as error:
                    raise RuntimeError("stalled after %d of %d bytes" % (got, total)) from error
                if not piece:
                    break
                received.update(piece)
                got += len(piece)
                if time.monotonic() - started > 120:
                    raise RuntimeError("took over 120 s (%d of %d bytes back)" % (got, total))
            sender.join(10)
            if failure:
                raise RuntimeError("sending failed: %s" % failure[0])
        if got != total or received.hexdigest() != sent_hash:
            raise RuntimeError("%d of %d bytes back, sha256 %s vs %s" % (got, total, received.hexdigest()[:16], sent_hash[:16]))
        return "%d bytes echoed, sha256 %s... matches, %.2f s" % (total, sent_hash[:16], time.monotonic() - started)
    return run


def curl(ip, path):
    done = subprocess.run(["curl", "-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", "http://%s%s" % (ip, path)],
                          capture_output=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError("curl %s: %s" % (path, done.stderr.decode(errors="replace").strip()))
    body, _, code = done.stdout.rpartition(b"\n")
    return int(code), body


def http_root(ip):
    def run():
        code, body = curl(ip, "/")
        if code != 200 or len(body) == 0:
            raise RuntimeError("GET / answered %d with %d bytes" % (code, len(body)))
        return "GET / 200, %d bytes" % len(body)
    return run


def http_bytes(ip, count):
    def run():
        code, body = curl(ip, "/bytes/%d" % count)
        if code != 200 or len(body) != count:
            raise RuntimeError("GET /bytes/%d answered %d with %d bytes" % (count, code, len(body)))
        return "GET /bytes/%d 200, %d bytes" % (count, len(body))
    return run


def http_status(ip):
    def run():
        code, body = curl(ip, "/status?format=json")
        if code != 200:
            raise RuntimeError("GET /status?format=json answered %d" % code)
        document = json.loads(body)
        text = json.dumps(document)
        if "driver" not in text:
            raise RuntimeError("/status JSON has no driver line")
        return "GET /status?format=json 200, valid JSON, %d bytes" % len(body)
    return run


def main():
    args = sys.argv[1:]
    if not args:
        print("usage: suite.py BOARD_IP [--tcp-bytes N] [--seed N]", file=sys.stderr)
        return 2
    ip = args[0]
    tcp_bytes = 1 << 20
    seed = 20260207
    rest = args[1:]
    while rest:
        if rest[0] == "--tcp-bytes" and len(rest) > 1:
            tcp_bytes = int(rest[1])
        elif rest[0] == "--seed" and len(rest) > 1:
            seed = int(rest[1])
        else:
            print("suite.py: unknown argument %s" % rest[0], file=sys.stderr)
            return 2
        rest = rest[2:]
    rng = random.Random(seed)
    check("ping-56", ping(ip, 56))
    check("ping-1472", ping(ip, 1472))
    check("udp-echo", udp_echo(ip, 50, rng))
    check("tcp-echo", tcp_echo(ip, tcp_bytes, rng))
    check("http-root", http_root(ip))
    check("http-bytes", http_bytes(ip, 100000))
    check("http-status-json", http_status(ip))
    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    print("hil: %d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
