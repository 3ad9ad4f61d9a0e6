namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>The Python peers of the TCP tests, run inside the namespace (python3 and scapy).</summary>
public static class TcpScripts
{
    /// <summary>
    /// Bulk client: argv = host port mode(echo|discard) size seed limit_seconds. Sends SIZE seeded random bytes
    /// from a writer thread, then half-closes; the main thread reads until the server closes. Echo: everything
    /// read is hashed. Bounded by LIMIT_SECONDS overall. Prints one line
    /// "sent S received R sent_sha256 A received_sha256 B elapsed E eof F errors N" and exits 0 (1 on any error).
    /// </summary>
    public const string StreamClient = """
import hashlib, random, socket, sys, threading, time
host, port, mode, size, seed, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
data = random.Random(seed).randbytes(size)
sent_hash = hashlib.sha256(data).hexdigest()
errors = []
start = time.monotonic()
deadline = start + limit
s = socket.create_connection((host, port), timeout=10)
s.settimeout(1.0)
sent = 0
def writer():
    global sent
    view = memoryview(data)
    try:
        while sent < size:
            if time.monotonic() > deadline:
                raise TimeoutError('sending overran %.0f s after %d bytes' % (limit, sent))
            try:
                sent += s.send(view[sent:sent + 65536])
            except socket.timeout:
                pass
        s.shutdown(socket.SHUT_WR)
    except Exception as e:
        errors.append('writer: ' + repr(e))
t = threading.Thread(target=writer, daemon=True)
t.start()
h = hashlib.sha256()
received = 0
eof = 0
try:
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError('receiving overran %.0f s after %d bytes (sent %d)' % (limit, received, sent))
        try:
            chunk = s.recv(262144)
        except socket.timeout:
            continue
        if not chunk:
            eof = 1
            break
        if mode == 'echo':
            h.update(chunk)
        received += len(chunk)
except Exception as e:
    errors.append('reader: ' + repr(e))
t.join(max(0.0, deadline - time.monotonic()) + 1)
elapsed = time.monotonic() - start
s.close()
print('sent %d received %d sent_sha256 %s received_sha256 %s elapsed %.3f eof %d errors %d'
      % (sent, received, sent_hash, h.hexdigest(), elapsed, eof, len(errors)))
for e in errors:
    print('error: ' + e, file=sys.stderr)
sys.exit(1 if errors else 0)
""";

    /// <summary>
    /// A Linux listener for our stack's active open: argv = port limit_seconds. Prints "listening", accepts one
    /// connection, reads until the peer's FIN (hashing), then sends back every byte it read XOR 0x5A and closes.
    /// Prints "peer A:P received N sha256 H sent M" and exits 0 (1 on any error or timeout).
    /// </summary>
    public const string XorListener = """
import hashlib, socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
deadline = time.monotonic() + limit
ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('192.0.2.1', port))
ls.listen(1)
ls.settimeout(limit)
print('listening', flush=True)
try:
    c, peer = ls.accept()
    c.settimeout(1.0)
    chunks = []
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError('no FIN from the peer in time')
        try:
            chunk = c.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        chunks.append(chunk)
    data = b''.join(chunks)
    reply = bytes(b ^ 0x5A for b in data)
    c.settimeout(max(1.0, deadline - time.monotonic()))
    c.sendall(reply)
    c.close()
    print('peer %s:%d received %d sha256 %s sent %d' % (peer[0], peer[1], len(data), hashlib.sha256(data).hexdigest(), len(reply)), flush=True)
except Exception as e:
    print('error: ' + repr(e), file=sys.stderr, flush=True)
    sys.exit(1)
""";

    /// <summary>
    /// Fills a connection table: argv = port count limit_seconds. Opens COUNT connections to 192.0.2.2:PORT one
    /// after another, keeping them open, and checks each echoes a line; then one more, which must be refused
    /// (ConnectionRefusedError = RST) rather than hang; checks the others still echo; then closes the first
    /// connection (waits for the server's FIN) and opens one more, which must work again (up to 3 attempts, 0.2 s
    /// apart). Prints "established E refused R refused_ms T hang H still_working W reopened O" and exits 0.
    /// </summary>
    public const string TableFiller = """
import socket, sys, time
port, count, limit = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + limit
server = ('192.0.2.2', port)
def check(s, i):
    line = b'hello %d\n' % i
    s.sendall(line)
    got = b''
    while len(got) < len(line) and time.monotonic() < deadline:
        chunk = s.recv(100)
        if not chunk:
            break
        got += chunk
    if got != line:
        raise RuntimeError('connection %d echoed %r, expected %r' % (i, got, line))
def open_checked(i):
    s = socket.create_connection(server, timeout=5)
    s.settimeout(5)
    check(s, i)
    return s
conns = []
for i in range(count):
    conns.append(open_checked(i))
established = len(conns)
refused = hang = 0
refused_ms = -1
t = time.monotonic()
try:
    extra = socket.create_connection(server, timeout=5)
    extra.close()
except ConnectionRefusedError:
    refused = 1
    refused_ms = int((time.monotonic() - t) * 1000)
except socket.timeout:
    hang = 1
still_working = 0
for i, c in enumerate(conns[1:]):
    try:
        check(c, 100 + i)
        still_working += 1
    except Exception as e:
        print('connection %d failed after the refusal: %r' % (i + 1, e), file=sys.stderr)
first = conns.pop(0)
first.shutdown(socket.SHUT_WR)
while time.monotonic() < deadline:
    if not first.recv(100):
        break
first.close()
reopened = 0
for attempt in range(3):
    try:
        conns.append(open_checked(count))
        reopened = 1
        break
    except Exception as e:
        print('reopen attempt %d failed: %r' % (attempt, e), file=sys.stderr)
        time.sleep(0.2)
for c in conns:
    c.close()
print('established %d refused %d refused_ms %d hang %d still_working %d reopened %d' % (established, refused, refused_ms, hang, still_working, reopened))
""";

    /// <summary>
    /// SYN flood with scapy: argv = count seed. Builds COUNT TCP SYNs (MSS option) to 192.0.2.2:80 from random
    /// addresses in 192.0.2.3-254 and random ports and sequence numbers (seeded), addressed at L2 to the device's
    /// MAC: scapy builds one, the others are patched copies with their checksums recomputed. Sends them on tap0
    /// with sendp in chunks of 1,000 (a bounded loop). Prints "sent N build_s B send_s S".
    /// </summary>
    public const string SynFlood = """
import random, struct, sys, time
from scapy.all import Ether, IP, TCP, conf, get_if_hwaddr, sendp
conf.verb = 0
count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
iface = 'tap0'
t0 = time.monotonic()
template = bytearray(bytes(Ether(dst='02:00:00:00:00:02', src=get_if_hwaddr(iface))
    / IP(src='192.0.2.3', dst='192.0.2.2') / TCP(sport=1024, dport=80, flags='S', seq=0, window=64240, options=[('MSS', 1460)])))
ip, tcp = 14, 34
tcp_length = len(template) - tcp
def checksum(data):
    if len(data) % 2:
        data += bytes(1)
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF
frames = []
for i in range(count):
    f = bytearray(template)
    f[ip + 15] = rng.randint(3, 254)
    struct.pack_into('!H', f, tcp, rng.randint(1024, 65535))
    struct.pack_into('!I', f, tcp + 4, rng.getrandbits(32))
    f[ip + 10:ip + 12] = bytes(2)
    struct.pack_into('!H', f, ip + 10, checksum(bytes(f[ip:ip + 20])))
    f[tcp + 16:tcp + 18] = bytes(2)
    pseudo = bytes(f[ip + 12:ip + 20]) + struct.pack('!BBH', 0, 6, tcp_length)
    struct.pack_into('!H', f, tcp + 16, checksum(pseudo + bytes(f[tcp:])))
    frames.append(bytes(f))
t1 = time.monotonic()
sent = 0
for start in range(0, count, 1000):
    batch = frames[start:start + 1000]
    sendp(batch, iface=iface)
    sent += len(batch)
t2 = time.monotonic()
print('sent %d build_s %.2f send_s %.2f' % (sent, t1 - t0, t2 - t1))
""";
}
