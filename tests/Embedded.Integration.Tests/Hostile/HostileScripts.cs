namespace Embedded.Integration.Tests.Hostile;

/// <summary>
/// The scapy/raw-socket peers of the hostile traffic tests, run inside the test's namespace with Debian's python3.
/// Each script is <see cref="Prelude"/> (+ <see cref="TcpPeer"/> for TCP) followed by its body; see <see cref="Compose"/>.
/// </summary>
public static class HostileScripts
{
    /// <summary>Joins the prelude (and the TCP peer helpers when <paramref name="tcp"/>) with <paramref name="body"/>.</summary>
    public static string Compose(string body, bool tcp = false) => Prelude + "\n" + (tcp ? TcpPeer + "\n" : string.Empty) + body;

    /// <summary>Shared by every hostile script: addresses, hand-built IPv4/TCP/UDP/ICMP so every field may lie, a packet socket that writes frames exactly as built, and a sniffer of what the device sends.</summary>
    public const string Prelude = """
import random, socket, struct, sys, time
from scapy.all import AsyncSniffer, ARP, Ether, ICMP, IP, TCP, UDP, Raw, conf, get_if_hwaddr, sendp
conf.verb = 0
IFACE = 'tap0'
ME = get_if_hwaddr(IFACE)
DEV, HOST, DMAC = '192.0.2.2', '192.0.2.1', '02:00:00:00:00:02'

def csum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF

def ipv4(payload, proto, src=HOST, dst=DEV, ihl=5, total=None, version=4, ttl=64, ident=1, frag=0, options=b''):
    # Built by hand so every field may lie; the header checksum covers the 20 + options bytes we emit.
    hdr = struct.pack('!BBHHHBBH4s4s', (version << 4) | (ihl & 0xF), 0, total if total is not None else 20 + len(options) + len(payload),
                      ident, frag, ttl, proto, 0, socket.inet_aton(src), socket.inet_aton(dst)) + options
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload

def eth(payload, ethertype=0x0800, dst=DMAC):
    return bytes(Ether(dst=dst, src=ME, type=ethertype)) + payload

def echo(ident, seq, data=b'embedded hostile'):
    body = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack('!H', csum(body)) + body[4:]

def tcp(sport, dport, flags, seq=1000, ack=0, doff=None, options=b'', data=b'', window=65535, urg=0, src=HOST, dst=DEV):
    off = doff if doff is not None else (20 + len(options)) // 4
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (off & 0xF) << 4, flags, window, 0, urg) + options + data
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(seg))
    return seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]

def udp(sport, dport, data, length=None, checksum=True, src=HOST, dst=DEV):
    ln = length if length is not None else 8 + len(data)
    dg = struct.pack('!HHHH', sport, dport, ln & 0xFFFF, 0) + data
    if checksum:
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 17, len(dg))
        c = csum(pseudo + dg) or 0xFFFF
        dg = dg[:6] + struct.pack('!H', c) + dg[8:]
    return dg

FIN, SYN, RST, PSH, ACK, URG = 1, 2, 4, 8, 16, 32
captured = []
def start_sniffer():
    s = AsyncSniffer(iface=IFACE, lfilter=lambda p: p.src == DMAC, prn=captured.append, store=False)
    s.start()
    time.sleep(0.8)
    return s

RAW = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
RAW.bind((IFACE, 0))
def send_raw(frames, pause=0.0):
    # A plain packet socket writes our bytes exactly as built (scapy would re-dissect and could rebuild them).
    sent = 0
    for f in frames:
        for attempt in range(50):
            try:
                RAW.send(f)
                sent += 1
                break
            except (BlockingIOError, OSError) as e:
                if getattr(e, 'errno', 0) == 22:
                    raise
                time.sleep(0.002)
        if pause:
            time.sleep(pause)
    return sent

def out(*parts):
    print(' '.join(str(p) for p in parts), flush=True)
""";

    /// <summary>Follows <see cref="Prelude"/> for the TCP scripts: a non-blocking packet socket that sees both directions on tap0, a fast TCP parser, and filters for frames from the device and from the kernel.</summary>
    public const string TcpPeer = """
RX = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
RX.bind((IFACE, 3))
RX.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
RX.setblocking(False)

def parse_tcp(f):
    # Ethernet + IPv4 + TCP from raw bytes; None for anything else.
    if len(f) < 54 or f[12:14] != b'\x08\x00' or f[23] != 6:
        return None
    ihl = (f[14] & 0xF) * 4
    total = struct.unpack('!H', f[16:18])[0]
    t = 14 + ihl
    sport, dport, seq, ack, off, flags, win, _, urg = struct.unpack('!HHIIBBHHH', f[t:t + 20])
    doff = (off >> 4) * 4
    return dict(src_mac=f[6:12], src=socket.inet_ntoa(f[26:30]), dst=socket.inet_ntoa(f[30:34]), sport=sport, dport=dport,
                seq=seq, ack=ack, flags=flags, win=win, data=f[t + doff:14 + total], t=time.monotonic())

def drain(match, timeout, want=None):
    # Frames received until TIMEOUT, kept when MATCH(segment) holds; stops early once WANT(list) holds.
    got = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            f = RX.recv(65536)
        except BlockingIOError:
            if want is not None and want(got):
                break
            time.sleep(0.001)
            continue
        s = parse_tcp(f)
        if s is not None and match(s):
            got.append(s)
    return got

DMAC_BYTES = bytes.fromhex(DMAC.replace(':', ''))
ME_BYTES = bytes.fromhex(ME.replace(':', ''))
from_device = lambda s: s['src_mac'] == DMAC_BYTES
from_kernel = lambda s: s['src_mac'] == ME_BYTES
""";

    /// <summary>Malformed and lying headers, by group: argv = comma-separated groups (eth_short, ip_lying, ttl, udp_lying, udp_short_length, tcp_doff, ip_options, tcp_options, land, syn_fin, control_syn, fragments). Prints "group NAME sent N replies R" per group, and "udp_short_length_echo LEN HEX" for each echo of the short-length datagram.</summary>
    public const string Headers = """
# argv[1]: the comma-separated groups to send. Prints "group NAME sent N replies R" for each.
wanted = set(sys.argv[1].split(','))
sniffer = start_sniffer()
groups = {}
def group(name, frames, tag):
    if name in wanted:
        groups[name] = (send_raw(frames, 0.002), tag)

# Ethernet: the kernel refuses frames shorter than the 14-byte header on a packet socket (min_header_len),
# so the shortest frames that reach the device are a bare header and a header with a truncated IPv4/ARP body.
group('eth_short', [eth(b'', 0x0800), eth(b'', 0x0806), eth(b'\x45\x00\x00\x1c\x00\x01', 0x0800), eth(b'\x00\x01\x08\x00', 0x0806)], None)
ping = lambda seq: echo(0x5001, seq)
bad_ip = []
for i, ihl in enumerate(range(0, 5)):
    bad_ip.append(eth(ipv4(ping(i), 1, ihl=ihl)))                       # IHL < 5
bad_ip.append(eth(ipv4(ping(10), 1, ihl=15)))                             # IHL*4 = 60 > total length 36
bad_ip.append(eth(ipv4(ping(11), 1, ihl=6, total=22)))                    # IHL*4 = 24 > total 22
bad_ip.append(eth(ipv4(ping(12), 1, total=1000)))                          # total length > frame
bad_ip.append(eth(ipv4(ping(13), 1, total=0xFFFF)))
bad_ip.append(eth(ipv4(ping(14), 1, total=10)))                            # total < header
bad_ip.append(eth(ipv4(ping(15), 1, total=19)))
for v, seq in ((6, 16), (0, 17), (15, 18)):
    bad_ip.append(eth(ipv4(ping(seq), 1, version=v)))                      # bad version in an IPv4 EtherType
group('ip_lying', bad_ip, (1, 0x5001, 0x5001))

group('ttl', [eth(ipv4(echo(0x5002, 0), 1, ttl=0)), eth(ipv4(echo(0x5002, 1), 1, ttl=1))], (1, 0x5002, 0x5002))

# UDP length lying both ways (checksum 0 = none, so only the length decides).
payload = b'UDPLIE' + bytes(14)
udp_bad = [eth(ipv4(udp(50001, 7, payload, length=8 + len(payload) + 100, checksum=False), 17)),
           eth(ipv4(udp(50002, 7, payload, length=0xFFFF, checksum=False), 17)),
           eth(ipv4(udp(50003, 7, payload, length=0, checksum=False), 17)),
           eth(ipv4(udp(50004, 7, payload, length=4, checksum=False), 17)),
           eth(ipv4(udp(50005, 7, payload, length=7, checksum=False), 17))]
group('udp_lying', udp_bad, (17, 50001, 50005))
group('udp_short_length', [eth(ipv4(udp(50010, 7, b'SHORTLEN' + bytes(12), length=8 + 4, checksum=False), 17))], (17, 50010, 50010))

# TCP data offset < 5 and past the end of the segment (checksums right, so only the offset is wrong).
tcp_bad = [eth(ipv4(tcp(41000 + d, 80, SYN, doff=d), 6)) for d in range(0, 5)]
tcp_bad.append(eth(ipv4(tcp(41010, 80, SYN, doff=15), 6)))
tcp_bad.append(eth(ipv4(tcp(41011, 80, SYN, doff=6), 6)))
tcp_bad.append(eth(ipv4(tcp(41012, 80, SYN, doff=8, options=b'\x02\x04\x05\xb4'), 6)))
group('tcp_doff', tcp_bad, (6, 41000, 41099))

# IP options: length 0, length 1, past the end, and a well-formed record-route as control of the path.
ip_opts = [b'\x07\x00\x00\x00', b'\x07\x01\x00\x00', b'\x07\x27\x04\x00', b'\x83\x10\x04\x00', b'\x44\x00\x05\x00',
           b'\x01\x01\x01\x07\x08\x04' + bytes(6)]
group('ip_options', [eth(ipv4(echo(0x5004, i), 1, ihl=5 + len(o) // 4, options=o)) for i, o in enumerate(ip_opts)], (1, 0x5004, 0x5004))

# TCP options with zero, short and overlong lengths on a SYN to port 80.
tcp_opts = [b'\x02\x00\x05\xb4', b'\x02\x01\x05\xb4', b'\x02\x03\x05\x01', b'\x03\x02\x01\x01', b'\x03\x00\x07\x01',
            b'\x05\x00\x01\x01', b'\x04\x0a\x01\x01', b'\x05\x0a\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00', b'\xfe\x00\x01\x01',
            b'\x02\x28\x05\xb4', b'\x01\x01\x01\x02', b'\x08\x0a\x00\x00\x00\x01\x00\x00', b'\x02\xff\x05\xb4']
group('tcp_options', [eth(ipv4(tcp(42000 + i, 80, SYN, options=o), 6)) for i, o in enumerate(tcp_opts)], (6, 42000, 42099))

# LAND (source = destination = us) and SYN with FIN or RST.
land = [eth(ipv4(tcp(80, 80, SYN, src=DEV, dst=DEV), 6, src=DEV, dst=DEV)), eth(ipv4(tcp(7, 7, SYN, src=DEV, dst=DEV), 6, src=DEV, dst=DEV))]
group('land', land, (6, 7, 80))
group('syn_fin', [eth(ipv4(tcp(43000, 80, SYN | FIN), 6)), eth(ipv4(tcp(43001, 80, SYN | RST), 6)),
                  eth(ipv4(tcp(43002, 7, SYN | FIN | PSH | URG), 6)), eth(ipv4(tcp(43003, 80, SYN | FIN | RST | PSH | ACK | URG), 6))], (6, 43000, 43099))
# Control: a well-formed SYN (the kernel resets the SYN-ACK; we only count it).
group('control_syn', [eth(ipv4(tcp(44000, 80, SYN, options=b'\x02\x04\x05\xb4'), 6))], (6, 44000, 44000))

# Fragments: overlapping, teardrop, ping of death, tiny, and endless (MF forever).
MF = 0x2000
frags = []
body = echo(0x5005, 1, bytes(range(48)))
frags += [eth(ipv4(body[:24], 1, ident=0x7001, frag=MF)), eth(ipv4(body[8:], 1, ident=0x7001, frag=1))]          # overlap
frags += [eth(ipv4(body[:32], 1, ident=0x7002, frag=MF)), eth(ipv4(body[8:16], 1, ident=0x7002, frag=1))]         # teardrop: inside the first
frags += [eth(ipv4(bytes(200), 1, ident=0x7003, frag=8189)), eth(ipv4(bytes(200), 1, ident=0x7003, frag=MF | 8180))]  # past 65535
frags += [eth(ipv4(body[:8], 1, ident=0x7004, frag=MF)), eth(ipv4(body[8:], 1, ident=0x7004, frag=1))]            # tiny first
frags += [eth(ipv4(body[:8], 1, ident=0x7005, frag=MF | 0)), eth(ipv4(body[:8], 1, ident=0x7005, frag=MF | 0))]   # duplicate first, never ends
frags += [eth(ipv4(bytes(16), 1, ident=0x7100 + i, frag=MF | (i % 100))) for i in range(300)]                     # endless
frags += [eth(ipv4(bytes(24), 17, ident=0x7500, frag=MF | i * 3)) for i in range(200)]                            # one datagram that never ends
group('fragments', frags, None)

time.sleep(1.5)
sniffer.stop()
def replies(tag):
    # Frames from the device answering this group: echo replies by ICMP id, UDP and TCP by destination port.
    proto, lo, hi = tag
    n = 0
    for p in captured:
        if IP not in p:
            continue
        if proto == 1 and ICMP in p and p[ICMP].type == 0 and lo <= p[ICMP].id <= hi:
            n += 1
        elif proto == 17 and UDP in p and lo <= p[UDP].dport <= hi:
            n += 1
        elif proto == 6 and TCP in p and lo <= p[TCP].dport <= hi:
            n += 1
    return n
for name, (sent, tag) in groups.items():
    out('group', name, 'sent', sent, 'replies', replies(tag) if tag else 0)
for p in captured:
    if UDP in p and p[UDP].dport == 50010:
        out('udp_short_length_echo', p[UDP].len - 8, bytes(p[UDP].payload)[:max(0, p[UDP].len - 8)].hex())
""";

    /// <summary>RFC 5961 against a real kernel connection to the echo port: argv = seed rst_flood. In-window RST and SYN, old SYN-ACK, data with a future or ancient ACK, an out-of-window RST and an RST flood, each spoofed on the connection's 4-tuple; then 64 KiB must echo intact; then the control: an RST at exactly RCV.NXT resets. Prints one line of "name value" pairs.</summary>
    public const string BlindInjection = """
# Blind in-window injection (RFC 5961) against a real kernel connection to the echo port.
rng = random.Random(int(sys.argv[1]))
results = {}
def learn(lport):
    # The device's RCV.NXT and SND.NXT from the kernel's last segment on this connection (we see it on the TAP).
    segs = drain(lambda s: from_kernel(s) and s['sport'] == lport, 0.4)
    last = segs[-1]
    return (last['seq'] + len(last['data'])) & 0xFFFFFFFF, last['ack']

def roundtrip(s, n):
    data = rng.randbytes(n)
    s.sendall(data)
    got = b''
    deadline = time.monotonic() + 20
    while len(got) < n and time.monotonic() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    return got == data, len(got)

def inject(lport, flags, seq, ack, data=b''):
    send_raw([eth(ipv4(tcp(lport, 7, flags, seq=seq, ack=ack, data=data, window=65535), 6))])

def challenge(lport, rcv_nxt, snd_nxt, timeout=1.0):
    segs = drain(lambda s: from_device(s) and s['dport'] == lport, timeout)
    ok = [s for s in segs if s['flags'] == ACK and not s['data'] and s['seq'] == snd_nxt and s['ack'] == rcv_nxt]
    return len(ok), len(segs)

s = socket.create_connection((DEV, 7), timeout=10)
lport = s.getsockname()[1]
ok, n = roundtrip(s, 1000)
results['first_roundtrip_ok'] = int(ok)
time.sleep(0.3)
rcv_nxt, snd_nxt = learn(lport)

inject(lport, RST, rcv_nxt + 100, 0)
results['rst_in_window_challenge_acks'], _ = challenge(lport, rcv_nxt, snd_nxt)
time.sleep(0.2)
inject(lport, SYN, rcv_nxt + 200, 0)
results['syn_in_window_challenge_acks'], _ = challenge(lport, rcv_nxt, snd_nxt)
time.sleep(0.2)
inject(lport, SYN | ACK, rcv_nxt - 5000, snd_nxt)
results['synack_old_challenge_acks'], _ = challenge(lport, rcv_nxt, snd_nxt)
time.sleep(0.2)
inject(lport, ACK | PSH, rcv_nxt, snd_nxt + 10_000_000, b'INJECTED-FUTURE-ACK')
results['future_ack_acks'], _ = challenge(lport, rcv_nxt, snd_nxt)
time.sleep(0.2)
inject(lport, ACK | PSH, rcv_nxt, snd_nxt - 0x7FFF0000, b'INJECTED-ANCIENT-ACK')
results['ancient_ack_acks'], _ = challenge(lport, rcv_nxt, snd_nxt)
time.sleep(0.2)
inject(lport, RST, rcv_nxt + 0x40000000, 0)
results['rst_out_of_window_replies'], _ = challenge(lport, rcv_nxt, snd_nxt, 0.5)
# An RST flood on the connection's 4-tuple, never exactly at RCV.NXT: half inside the receive window (each would
# draw a challenge ACK but for the rate limit), half at random sequence numbers (almost all out of window).
flood = []
for i in range(int(sys.argv[2])):
    seq = (rcv_nxt + rng.randrange(1, 8192)) & 0xFFFFFFFF if i % 2 == 0 else rng.getrandbits(32)
    if seq == rcv_nxt:
        seq += 1
    flood.append(eth(ipv4(tcp(lport, 7, RST, seq=seq), 6)))
results['rst_flood_sent'] = send_raw(flood)
time.sleep(0.5)
# The real stream still works and carries exactly its own bytes.
ok, n = roundtrip(s, 65536)
results['after_roundtrip_ok'] = int(ok)
results['after_roundtrip_bytes'] = n
s.close()

# Control: an RST at exactly RCV.NXT does reset (RFC 5961 3.2), so the probes above reached the connection.
s2 = socket.create_connection((DEV, 7), timeout=10)
lport2 = s2.getsockname()[1]
roundtrip(s2, 100)
time.sleep(0.3)
rcv2, snd2 = learn(lport2)
inject(lport2, RST, rcv2, 0)
time.sleep(0.3)
reset = 0
try:
    s2.sendall(b'after reset')
    s2.settimeout(3)
    got = s2.recv(100)
    reset = int(got == b'')
except (ConnectionResetError, BrokenPipeError):
    reset = 1
except socket.timeout:
    reset = 0
results['exact_rst_resets'] = reset
s2.close()
out(' '.join('%s %d' % kv for kv in results.items()))
""";

    /// <summary>ISNs of SYN-ACKs: argv = count batch first_port. Prints "sent N synacks M" and "isn HEX HEX ..." in source-port order.</summary>
    public const string Isn = """
# ISNs of many SYN-ACKs from port 80: argv = count batch first_port. One SYN per source port from the kernel's
# address (the kernel resets each SYN-ACK, which frees the half-open entry), BATCH at a time, each batch
# answered before the next (a batch larger than the SYN queue makes the device answer with cookies).
count, batch, first = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
frames = [eth(ipv4(tcp(first + i, 80, SYN, seq=i, options=b'\x02\x04\x05\xb4'), 6)) for i in range(count)]
isn = {}
for start in range(0, count, batch):
    send_raw(frames[start:start + batch])
    n = len(frames[start:start + batch])
    for s in drain(lambda s: from_device(s) and s['sport'] == 80 and s['flags'] == SYN | ACK and first <= s['dport'] < first + count, 0.5,
                   lambda got: len(got) >= n):
        isn.setdefault(s['dport'] - first, s['seq'])
    time.sleep(0.001)
for s in drain(lambda s: from_device(s) and s['sport'] == 80 and s['flags'] == SYN | ACK and first <= s['dport'] < first + count, 1.0):
    isn.setdefault(s['dport'] - first, s['seq'])
out('sent', count, 'synacks', len(isn))
out('isn', ' '.join('%08x' % isn[i] for i in sorted(isn)))
""";

    /// <summary>A hand-driven TCP peer at 192.0.2.77 against the echo port: argv = seed. Urgent pointers 0, inside, at the end, past the data, 0xFFFF, and URG without data. Prints "handshake 1 sent S echoed E intact I closed C".</summary>
    public const string UrgentPointers = """
# A hand-driven TCP peer at 192.0.2.77 (a MAC the kernel ignores): the handshake, then data segments whose
# urgent pointers lie (0, inside, at the end, past the data, 0xFFFF, URG without data); checks the echo.
PEER, PMAC = '192.0.2.77', '02:00:00:00:00:77'
def pframe(seg):
    return bytes(Ether(dst=DMAC, src=PMAC, type=0x0800)) + ipv4(seg, 6, src=PEER)
arp = bytes(Ether(dst='ff:ff:ff:ff:ff:ff', src=PMAC) / ARP(op=1, hwsrc=PMAC, psrc=PEER, pdst=DEV))
send_raw([arp])
time.sleep(0.2)
sport = 47000 + random.Random(int(sys.argv[1])).randrange(1000)
mine = lambda s: from_device(s) and s['dst'] == PEER and s['dport'] == sport
iss = 0x10000000
send_raw([pframe(tcp(sport, 7, SYN, seq=iss, options=b'\x02\x04\x05\xb4', src=PEER))])
synack = drain(mine, 3.0, lambda g: any(s['flags'] == SYN | ACK for s in g))
synack = [s for s in synack if s['flags'] == SYN | ACK]
if not synack:
    out('handshake 0')
    sys.exit(1)
rcv_nxt = (synack[0]['seq'] + 1) & 0xFFFFFFFF
snd_nxt = iss + 1
send_raw([pframe(tcp(sport, 7, ACK, seq=snd_nxt, ack=rcv_nxt, src=PEER))])
sent = b''
echoed = bytearray()
cases = [(b'urgent-zero', 0), (b'urgent-inside', 3), (b'urgent-at-end', 13), (b'urgent-past-end', 500), (b'urgent-max', 0xFFFF), (b'', 700)]
for data, ptr in cases:
    send_raw([pframe(tcp(sport, 7, ACK | URG | (PSH if data else 0), seq=snd_nxt, ack=rcv_nxt, data=data, urg=ptr, src=PEER))])
    snd_nxt += len(data)
    sent += data
    # Take the echo (and ACK it) before the next case, so each case is judged on its own.
    deadline = time.monotonic() + 2.0
    while len(echoed) < len(sent) and time.monotonic() < deadline:
        for s in drain(mine, 0.05):
            if s['data'] and s['seq'] == rcv_nxt:
                echoed += s['data']
                rcv_nxt = (rcv_nxt + len(s['data'])) & 0xFFFFFFFF
                send_raw([pframe(tcp(sport, 7, ACK, seq=snd_nxt, ack=rcv_nxt, src=PEER))])
    if not data:
        time.sleep(0.3)
# Close: our FIN; the echo service closes too; we ACK its FIN (or reset if it does not come).
send_raw([pframe(tcp(sport, 7, FIN | ACK, seq=snd_nxt, ack=rcv_nxt, src=PEER))])
fin = drain(mine, 3.0, lambda g: any(s['flags'] & FIN for s in g))
fins = [s for s in fin if s['flags'] & FIN]
if fins:
    send_raw([pframe(tcp(sport, 7, ACK, seq=snd_nxt + 1, ack=(fins[-1]['seq'] + len(fins[-1]['data']) + 1) & 0xFFFFFFFF, src=PEER))])
else:
    send_raw([pframe(tcp(sport, 7, RST, seq=snd_nxt + 1, src=PEER))])
out('handshake 1 sent', len(sent), 'echoed', len(echoed), 'intact', int(bytes(echoed) == sent), 'closed', int(bool(fins)))
""";

    /// <summary>Clients that never read: argv = http_clients echo_clients hold_seconds. Prints "holding opened O refused R pushed P" once all are open, holds them, resets them all and prints "released N".</summary>
    public const string NeverReading = """
# Clients that never read: HTTP clients asking for a huge body and echo clients pushing data, all with tiny
# receive buffers, so the device's peers advertise a zero window. Holds them for HOLD seconds (printing
# "holding" once all are open), then resets them all (SO_LINGER 0) and prints what it managed.
import select
http_clients, echo_clients, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
conns = []
def small(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
opened = refused = 0
for i in range(http_clients + echo_clients):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    small(s)
    s.settimeout(5)
    try:
        s.connect((DEV, 80 if i < http_clients else 7))
    except OSError as e:
        refused += 1
        s.close()
        continue
    opened += 1
    if i < http_clients:
        s.sendall(b'GET /bytes/2000000000 HTTP/1.1\r\nHost: 192.0.2.2\r\n\r\n')
    conns.append((i < http_clients, s))
pushed = 0
deadline = time.monotonic() + 3
chunk = bytes(65536)
while time.monotonic() < deadline:
    # Push into the echo connections until both directions are stuck (the device stops reading when it cannot echo).
    writable = [s for is_http, s in conns if not is_http]
    if not writable:
        break
    _, w, _ = select.select([], writable, [], 0.2)
    if not w:
        break
    for s in w:
        try:
            pushed += s.send(chunk, socket.MSG_DONTWAIT)
        except BlockingIOError:
            pass
out('holding opened', opened, 'refused', refused, 'pushed', pushed)
time.sleep(hold)
for _, s in conns:
    s.close()
out('released', len(conns))
""";

    /// <summary>ARP flood, unsolicited replies, malformed ARP and spoofed claims of our address: argv = seed flood. Prints "sent_requests .. sent_unsolicited .. sent_malformed .. sent_spoof .. answers A answer_mac MAC replies_to_flood F".</summary>
    public const string Arp = """
# ARP: a flood of requests for our address from random senders (each would create an entry), replies for
# addresses we never asked about, malformed ARP, then spoofed claims of our own address; finally asks
# who-has 192.0.2.2 and reports which MAC answered.
rng = random.Random(int(sys.argv[1]))
flood = int(sys.argv[2])
def arp_frame(op, hwsrc, psrc, pdst, hwdst='00:00:00:00:00:00', dst=None):
    return bytes(Ether(dst=dst or 'ff:ff:ff:ff:ff:ff', src=hwsrc) / ARP(op=op, hwsrc=hwsrc, psrc=psrc, pdst=pdst, hwdst=hwdst))
def rand_mac():
    return '02:%02x:%02x:%02x:%02x:%02x' % tuple(rng.randrange(256) for _ in range(5))
def rand_ip():
    return '192.0.2.%d' % rng.randint(3, 254)
requests = [arp_frame(1, rand_mac(), rand_ip(), DEV) for _ in range(flood)]
unsolicited = [arp_frame(2, rand_mac(), rand_ip(), rand_ip(), hwdst=DMAC, dst=DMAC) for _ in range(flood // 2)]
good = arp_frame(1, '02:00:00:00:00:77', '192.0.2.77', DEV)
base = bytearray(good[14:])
malformed = []
for offset, value in ((0, b'\x00\x06'), (2, b'\x86\xdd'), (4, b'\x08'), (5, b'\x06'), (6, b'\x00\x03')):
    m = bytearray(base)
    m[offset:offset + len(value)] = value
    malformed.append(good[:14] + bytes(m))
malformed.append(good[:14] + bytes(base[:20]))                                           # truncated
malformed.append(arp_frame(1, '02:00:00:00:00:77', '192.0.2.77', DEV)[:14 + 8] + b'\xff' * 6 + bytes(base[14:]))  # broadcast sender MAC
sniffer = start_sniffer()
sent_requests = send_raw(requests)
sent_unsolicited = send_raw(unsolicited)
time.sleep(0.5)  # let the device drain the flood first: a full TAP queue would drop some of the malformed frames counted below
sent_malformed = send_raw(malformed, 0.002)
time.sleep(0.5)
# Spoofed claims of our own address: a reply, a gratuitous request and a probe-style request, unicast to the
# device (the kernel never sees them, so only the device's own view is attacked).
spoof = [arp_frame(2, '02:00:00:00:00:66', DEV, DEV, hwdst=DMAC, dst=DMAC), arp_frame(1, '02:00:00:00:00:66', DEV, DEV, dst=DMAC),
         arp_frame(2, '02:00:00:00:00:66', DEV, HOST, hwdst=DMAC, dst=DMAC)]
sent_spoof = send_raw(spoof, 0.05)
time.sleep(0.3)
before = len(captured)
send_raw([arp_frame(1, '02:00:00:00:00:78', '192.0.2.78', DEV)])
time.sleep(1.0)
sniffer.stop()
answers = [p for p in captured[before:] if ARP in p and p[ARP].op == 2 and p[ARP].psrc == DEV and p[ARP].pdst == '192.0.2.78']
out('sent_requests', sent_requests, 'sent_unsolicited', sent_unsolicited, 'sent_malformed', sent_malformed, 'sent_spoof', sent_spoof,
    'answers', len(answers), 'answer_mac', answers[0][ARP].hwsrc if answers else 'none',
    'replies_to_flood', sum(1 for p in captured[:before] if ARP in p and p[ARP].op == 2 and p[ARP].psrc == DEV))
""";
}
