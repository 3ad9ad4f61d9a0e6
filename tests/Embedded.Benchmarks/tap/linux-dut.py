#!/usr/bin/env python3
"""The "linux" device under test: the TARGET_CONTRACT services on the kernel's TCP/IP stack.

  linux-dut.py --tap IFNAME --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02

suite.sh --linux runs it in a second namespace behind a veth pair and configures the
interface (address, MAC, route) itself; here --ip only selects the address to bind, the other
options are accepted for the common command line and otherwise ignored.

Services: TCP 80 HTTP/1.1 (http.server, keep-alive), TCP 7 echo, TCP 9 discard, UDP 7 echo;
ICMP echo is the kernel's. Prints "ready" once every socket listens; exits 0 on SIGINT/SIGTERM.
"""
import argparse
import os
import queue
import re
import signal
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

PATTERN = bytes(range(251)) * 4097  # ~1 MiB: byte i = i mod 251, from any offset mod 251
CHUNK = 251 * 4096
INDEX = (b"<!DOCTYPE html>\n<html><head><title>Embedded DUT (Linux)</title></head>\n"
         b"<body><h1>Linux kernel device under test</h1><p>Try /bytes/N.</p></body></html>\n")
BYTES = re.compile(r"/bytes/([0-9]{1,10})")
REASONS = {200: "OK", 404: "Not Found"}


class HttpHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"      # keep-alive by default; Connection: close honoured
    disable_nagle_algorithm = True
    server_version = "linux-dut"
    sys_version = ""

    def log_message(self, format, *args):
        pass

    def version_string(self):
        return "linux-dut"

    def parse_request(self):
        # http.server treats a bad version or a two-word line as HTTP/0.9 (a bare body, no
        # status line); the contract wants "400 and close" with a proper HTTP/1.1 response.
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.1"
            self.command = None
            self.send_error(400, "Bad request line")
            return False
        return super().parse_request()

    def head(self, status, ctype, length):
        close = "Connection: close\r\n" if self.close_connection else ""
        return (f"HTTP/1.1 {status} {REASONS[status]}\r\nServer: linux-dut\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {length}\r\n{close}\r\n").encode()

    def do_GET(self):
        m = BYTES.fullmatch(self.path)
        if self.path == "/":
            self.wfile.write(self.head(200, "text/html", len(INDEX)) + INDEX)
        elif m and int(m.group(1)) <= 0x7FFFFFFF:
            n = int(m.group(1))
            self.wfile.write(self.head(200, "application/octet-stream", n))
            view = memoryview(PATTERN)
            off = 0
            while off < n:
                k = min(CHUNK, n - off)
                start = off % 251
                self.wfile.write(view[start:start + k])
                off += k
        else:
            body = b"not found\n"
            self.wfile.write(self.head(404, "text/plain", len(body)) + body)


class PoolMixIn:
    """Hand each accepted connection to a pre-started worker thread: starting a thread per
    connection (ThreadingMixIn) costs more than the rest of a short request here."""
    workers = 64

    def start_pool(self):
        self.jobs = queue.SimpleQueue()
        for _ in range(self.workers):
            threading.Thread(target=self.work, daemon=True).start()

    def work(self):
        while True:
            request, client_address = self.jobs.get()
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def process_request(self, request, client_address):
        self.jobs.put((request, client_address))


class HttpServer(PoolMixIn, HTTPServer):
    allow_reuse_address = True
    request_queue_size = 1024

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (getfqdn): a DNS query that times out
        # in the namespace. Nothing here needs the name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        while True:
            d = s.recv(65536)
            if not d:
                return
            s.sendall(d)


class DiscardHandler(socketserver.BaseRequestHandler):
    def handle(self):
        s = self.request
        while s.recv(1 << 20):
            pass


class UdpEchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


class TcpServer(PoolMixIn, socketserver.TCPServer):
    workers = 16
    allow_reuse_address = True
    request_queue_size = 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tap")
    ap.add_argument("--ip", required=True)
    ap.add_argument("--gateway")
    ap.add_argument("--mac")
    args = ap.parse_args()
    addr = args.ip.split("/")[0]

    servers = [
        HttpServer((addr, 80), HttpHandler),
        TcpServer((addr, 7), EchoHandler),
        TcpServer((addr, 9), DiscardHandler),
        socketserver.UDPServer((addr, 7), UdpEchoHandler),
    ]
    servers[-1].max_packet_size = 65535
    # every thread inherits the blocked signals; the main thread takes them with sigwait
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    for s in servers[:3]:
        s.start_pool()
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()

    print(f"linux-dut ready on {addr} (kernel TCP/IP, Python {sys.version.split()[0]})", flush=True)
    signal.sigwait(stop_signals)
    for s in servers:
        s.server_close()
    sys.stdout.flush()
    os._exit(0)     # the daemon worker threads may sit in blocking calls; do not wait for them


if __name__ == "__main__":
    main()
