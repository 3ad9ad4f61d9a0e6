namespace Embedded.Integration.Tests.IpLayer;

/// <summary>Python programs run inside the test's namespace (192.0.2.1 on tap0) against the device at 192.0.2.2.</summary>
internal static class IpLayerScripts
{
    /// <summary>UDP echo (port 7) of random datagrams of the sizes given as arguments; prints "echoed N of M".</summary>
    public const string UdpEcho = """
import os, socket, sys
sizes = [int(a) for a in sys.argv[1:]]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2.0)
ok = 0
for n in sizes:
    data = os.urandom(n)
    for attempt in range(3):
        s.sendto(data, ('192.0.2.2', 7))
        try:
            got, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        if got == data:
            ok += 1
        else:
            print('size %d came back as %d different bytes' % (n, len(got)))
        break
print('echoed %d of %d' % (ok, len(sizes)))
""";

    /// <summary>
    /// Hostile fragment sets, then a control: argv[1] overlapping trains (teardrop style: the middle fragment starts
    /// inside the first with other bytes), argv[2] incomplete trains of distinct ids (eviction), one endless train of one
    /// id past 65,535 bytes; then a correct fragmented ping. Prints "overlap_replies N control_replies N".
    /// </summary>
    public const string HostileFragments = """
import sys, time
from scapy.all import AsyncSniffer, Ether, ICMP, IP, Raw, conf, fragment, get_if_hwaddr, sendp
conf.verb = 0
overlaps, trains = int(sys.argv[1]), int(sys.argv[2])
iface = 'tap0'
src_mac = get_if_hwaddr(iface)
def eth():
    return Ether(dst='02:00:00:00:00:02', src=src_mac)
def frag(ident, offset, data, more):
    return eth() / IP(src='192.0.2.1', dst='192.0.2.2', id=ident, flags='MF' if more else 0, frag=offset // 8, proto=1) / Raw(data)
def is_reply(p):
    return IP in p and p[IP].src == '192.0.2.2' and p[IP].frag == 0 and ICMP in p and p[ICMP].type == 0 and p[ICMP].id == 0x5151
replies = []
sniffer = AsyncSniffer(iface=iface, lfilter=is_reply, prn=replies.append, store=False)
sniffer.start()
time.sleep(1.0)
message = bytes(ICMP(id=0x5151, seq=1) / Raw(b'A' * 3000))
hostile = []
for k in range(overlaps):
    hostile.append(frag(0x100 + k, 0, message[0:1480], True))
    hostile.append(frag(0x100 + k, 1472, b'B' * 1480, True))
    hostile.append(frag(0x100 + k, 2952, message[2952:], False))
for k in range(trains):
    hostile.append(frag(0x2000 + k, 0, b'C' * 1480, True))
for offset in range(0, 65535, 1480):
    hostile.append(frag(0x3000, offset, b'D' * 1480, True))
sendp(hostile, iface=iface)
time.sleep(0.5)
control = fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=0x4444) / ICMP(id=0x5151, seq=2) / Raw(b'E' * 3000), fragsize=1480)
sendp([eth() / p for p in control], iface=iface)
deadline = time.monotonic() + 3
while time.monotonic() < deadline and not any(p[ICMP].seq == 2 for p in list(replies)):
    time.sleep(0.05)
time.sleep(0.3)
sniffer.stop()
print('overlap_replies %d control_replies %d' % (sum(1 for p in replies if p[ICMP].seq == 1), sum(1 for p in replies if p[ICMP].seq == 2)))
""";

    /// <summary>Connects to 192.0.2.2:argv[1] from argv[2]; prints "connected", "refused" or "timeout".</summary>
    public const string TcpConnect = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((sys.argv[2], 0))
s.settimeout(3.0)
try:
    s.connect(('192.0.2.2', int(sys.argv[1])))
    print('connected')
except ConnectionRefusedError:
    print('refused')
except socket.timeout:
    print('timeout')
""";
}
