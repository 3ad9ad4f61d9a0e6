namespace Embedded.Net.Tests.Wire;

/// <summary>
/// Known frames, written out byte by byte. Checksums were computed with an independent RFC 1071
/// implementation (and are re-checked by PacketDotNet in the cross-check tests); each property
/// returns a fresh array so tests may scribble on it.
/// </summary>
internal static class WireSamples
{
    /// <summary>Hex text (spaces allowed) to bytes.</summary>
    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>RFC 1071 section 3 example data: one's-complement sum 0xddf2, checksum 0x220d.</summary>
    public static byte[] Rfc1071Example => Hex("00 01 f2 03 f4 f5 f6 f7");

    /// <summary>
    /// The textbook IPv4 header (192.168.0.1 -> 192.168.0.199, UDP, DF, TTL 64, total length 115),
    /// checksum 0xb861.
    /// </summary>
    public static byte[] TextbookIpv4Header => Hex("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");

    /// <summary>
    /// A broadcast ARP request, 00:07:0d:af:f4:54 (24.166.172.1) asking who has 24.166.173.159,
    /// padded with zeros to the 60-byte minimum.
    /// </summary>
    public static byte[] ArpRequestFrame => Hex(
        "ff ff ff ff ff ff 00 07 0d af f4 54 08 06" +
        "00 01 08 00 06 04 00 01 00 07 0d af f4 54 18 a6 ac 01 00 00 00 00 00 00 18 a6 ad 9f" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    /// <summary>The unicast reply to <see cref="ArpRequestFrame"/> from 00:1d:aa:44:55:66 (no padding).</summary>
    public static byte[] ArpReplyFrame => Hex(
        "00 07 0d af f4 54 00 1d aa 44 55 66 08 06" +
        "00 01 08 00 06 04 00 02 00 1d aa 44 55 66 18 a6 ad 9f 00 07 0d af f4 54 18 a6 ac 01");

    /// <summary>
    /// A Windows ping: 192.168.1.10 -> 192.168.1.1, TTL 128, id 0x1c46, IP checksum 0x9b1f; ICMP echo
    /// request id 1 seq 1 with the 32 bytes "abcdefghijklmnopqrstuvwabcdefghi", ICMP checksum 0x4d5a.
    /// </summary>
    public static byte[] PingRequestFrame => Hex(
        "00 1d aa 44 55 66 3c 97 0e 11 22 33 08 00" +
        "45 00 00 3c 1c 46 00 00 80 01 9b 1f c0 a8 01 0a c0 a8 01 01" +
        "08 00 4d 5a 00 01 00 01" +
        "61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 61 62 63 64 65 66 67 68 69");

    /// <summary>The echo reply to the ping above, ICMP message only: checksum 0x555a.</summary>
    public static byte[] PingReplyMessage => Hex(
        "00 00 55 5a 00 01 00 01" +
        "61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 61 62 63 64 65 66 67 68 69");

    /// <summary>Client address of the TCP samples.</summary>
    public static readonly Embedded.Net.Wire.Ipv4Address TcpClient = Embedded.Net.Wire.Ipv4Address.FromOctets(192, 168, 1, 100);

    /// <summary>Server address of the TCP samples.</summary>
    public static readonly Embedded.Net.Wire.Ipv4Address TcpServer = Embedded.Net.Wire.Ipv4Address.FromOctets(93, 184, 216, 34);

    /// <summary>
    /// A Linux SYN, 192.168.1.100:54321 -> 93.184.216.34:80, seq 0x3a1c5f2e, window 64240, DF, TTL 64,
    /// IP checksum 0xb895; options in Linux order: MSS 1460, SACK-permitted, timestamps
    /// (TSval 0x1d6a2b4c, TSecr 0), NOP, window scale 7; TCP checksum 0x9ea5.
    /// </summary>
    public static byte[] LinuxSynFrame => Hex(
        "00 1d aa 44 55 66 3c 97 0e 11 22 33 08 00" +
        "45 00 00 3c 8a 3f 40 00 40 06 b8 95 c0 a8 01 64 5d b8 d8 22" +
        "d4 31 00 50 3a 1c 5f 2e 00 00 00 00 a0 02 fa f0 9e a5 00 00" +
        "02 04 05 b4 04 02 08 0a 1d 6a 2b 4c 00 00 00 00 01 03 03 07");

    /// <summary>
    /// The same SYN (same IP header) with its options in the order <c>TcpOptions.Emit</c> writes them:
    /// MSS, SACK-permitted, timestamps, window scale, NOP; TCP checksum 0x98ab.
    /// </summary>
    public static byte[] CanonicalSynFrame => Hex(
        "00 1d aa 44 55 66 3c 97 0e 11 22 33 08 00" +
        "45 00 00 3c 8a 3f 40 00 40 06 b8 95 c0 a8 01 64 5d b8 d8 22" +
        "d4 31 00 50 3a 1c 5f 2e 00 00 00 00 a0 02 fa f0 98 ab 00 00" +
        "02 04 05 b4 04 02 08 0a 1d 6a 2b 4c 00 00 00 00 03 03 07 01");

    /// <summary>
    /// The request after the handshake: PSH|ACK, seq 0x3a1c5f2f, ack 0x9b7e4401, window 502, no options,
    /// data "GET / HTTP/1.0\r\n\r\n"; IP id 0x8a40 checksum 0xb896, TCP checksum 0x89f0.
    /// </summary>
    public static byte[] HttpGetFrame => Hex(
        "00 1d aa 44 55 66 3c 97 0e 11 22 33 08 00" +
        "45 00 00 3a 8a 40 40 00 40 06 b8 96 c0 a8 01 64 5d b8 d8 22" +
        "d4 31 00 50 3a 1c 5f 2f 9b 7e 44 01 50 18 01 f6 89 f0 00 00" +
        "47 45 54 20 2f 20 48 54 54 50 2f 31 2e 30 0d 0a 0d 0a");

    /// <summary>
    /// A DNS query for example.com A, 10.0.2.15:57509 -> 10.0.2.3:53, TTL 64, id 0x4d2e, IP checksum
    /// 0x1575; UDP length 37, checksum 0x2516.
    /// </summary>
    public static byte[] DnsQueryFrame => Hex(
        "52 55 0a 00 02 03 08 00 27 aa bb cc 08 00" +
        "45 00 00 39 4d 2e 00 00 40 11 15 75 0a 00 02 0f 0a 00 02 03" +
        "e0 a5 00 35 00 25 25 16" +
        "12 34 01 00 00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01");

    /// <summary>Every sample frame above, for the truncation tests.</summary>
    public static byte[][] AllFrames =>
    [
        ArpRequestFrame, ArpReplyFrame, PingRequestFrame, LinuxSynFrame, CanonicalSynFrame, HttpGetFrame, DnsQueryFrame,
    ];

    /// <summary>Offset of the IPv4 header in a frame.</summary>
    public const int Ip = 14;

    /// <summary>Offset of the transport header in a frame whose IPv4 header has no options.</summary>
    public const int Transport = 34;
}
