namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>The small Python peers the tests run inside the namespace (python3, and scapy for raw frames).</summary>
public static class Scripts
{
    /// <summary>
    /// UDP echo client: argv = seed count. Sends COUNT datagrams of varied sizes (0, 1 and 1472 among them)
    /// with distinct random contents to 192.0.2.2:7, one at a time; waits 0.5 s for each echo and sends
    /// again at most 4 times; checks every echo byte for byte. Prints "echoed N of COUNT retries R mismatched M".
    /// </summary>
    public const string UdpEchoClient = """
import random, socket, sys, time
seed, count = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
server = ('192.0.2.2', 7)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('192.0.2.1', 0))
sizes = [0, 1, 1472] + [rng.randint(0, 1472) for _ in range(count - 3)]
echoed = retries = mismatched = 0
for i, size in enumerate(sizes):
    data = i.to_bytes(4, 'big')[:size] + rng.randbytes(max(0, size - 4))
    for attempt in range(5):
        if attempt:
            retries += 1
        s.sendto(data, server)
        deadline = time.monotonic() + 0.5
        got = False
        while not got:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            s.settimeout(remaining)
            try:
                reply, peer = s.recvfrom(4096)
            except socket.timeout:
                break
            if peer == server and reply == data:
                got = True
            else:
                mismatched += 1
        if got:
            echoed += 1
            break
    else:
        print('datagram %d (%d bytes) was never echoed intact' % (i, size), file=sys.stderr)
print('echoed %d of %d retries %d mismatched %d' % (echoed, len(sizes), retries, mismatched))
""";

    /// <summary>
    /// Raw ICMP echo requests on tap0 with scapy: argv = bad_count. Sends one correct echo request (the
    /// control) and BAD_COUNT with a wrong IPv4 header checksum, then counts the echo replies the device
    /// sends. Prints "good_replies G bad_replies B sent_bad N".
    /// </summary>
    public const string BadChecksumProbe = """
import sys, time
from scapy.all import AsyncSniffer, Ether, ICMP, IP, Raw, conf, get_if_hwaddr, sendp
conf.verb = 0
bad_count = int(sys.argv[1])
iface = 'tap0'
src_mac = get_if_hwaddr(iface)

def is_reply(p):
    return IP in p and ICMP in p and p[IP].src == '192.0.2.2' and p[ICMP].type == 0 and p[ICMP].id == 0x4242

replies = []
sniffer = AsyncSniffer(iface=iface, lfilter=is_reply, prn=replies.append, store=False)
sniffer.start()
time.sleep(1.0)

def frame(seq):
    return Ether(dst='02:00:00:00:00:02', src=src_mac) / IP(src='192.0.2.1', dst='192.0.2.2') / ICMP(id=0x4242, seq=seq) / Raw(b'embedded bad checksum test')

sendp(frame(1), iface=iface)
deadline = time.monotonic() + 3
while time.monotonic() < deadline and not any(p[ICMP].seq == 1 for p in list(replies)):
    time.sleep(0.05)
for i in range(bad_count):
    raw = bytearray(bytes(frame(100 + i)))
    raw[24] ^= 0x55  # IPv4 header checksum is at Ethernet 14 + IP offset 10
    raw[25] ^= 0x55
    sendp(Ether(bytes(raw)), iface=iface)
time.sleep(1.5)
sniffer.stop()
good = sum(1 for p in replies if p[ICMP].seq == 1)
bad = sum(1 for p in replies if p[ICMP].seq >= 100)
print('good_replies %d bad_replies %d sent_bad %d' % (good, bad, bad_count))
""";
}
