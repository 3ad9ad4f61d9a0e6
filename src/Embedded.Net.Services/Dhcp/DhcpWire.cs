using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dhcp;

/// <summary>
/// The DHCP message layout (RFC 2131 section 2, figure 1) and its options (RFC 2132): field offsets, option codes,
/// and the writer of the client's messages. Parsing of replies is in <see cref="DhcpReply"/>.
/// </summary>
internal static class DhcpWire
{
    public const ushort ServerPort = 67;
    public const ushort ClientPort = 68;

    public const int Op = 0;
    public const int HardwareType = 1;
    public const int HardwareLength = 2;
    public const int Xid = 4;
    public const int Secs = 8;
    public const int Flags = 10;
    public const int ClientAddress = 12;
    public const int YourAddress = 16;
    public const int ClientHardware = 28;
    public const int Magic = 236;
    public const int OptionsOffset = 240;

    public const byte BootRequest = 1;
    public const byte BootReply = 2;
    public const byte Ethernet = 1;
    public const uint MagicCookie = 0x6382_5363;
    public const ushort BroadcastFlag = 0x8000;

    /// <summary>BOOTP relays and old servers expect at least 300 bytes (RFC 1542 2.1); we pad to it.</summary>
    public const int MinimumMessageLength = 300;

    /// <summary>The largest message we send or accept: the minimum every host must take (RFC 2131 2).</summary>
    public const int MaximumMessageLength = 576;

    public const byte OptionPad = 0;
    public const byte OptionSubnetMask = 1;
    public const byte OptionRouter = 3;
    public const byte OptionDnsServers = 6;
    public const byte OptionHostName = 12;
    public const byte OptionRequestedAddress = 50;
    public const byte OptionLeaseTime = 51;
    public const byte OptionOverload = 52;
    public const byte OptionMessageType = 53;
    public const byte OptionServerId = 54;
    public const byte OptionParameterList = 55;
    public const byte OptionMaxMessageSize = 57;
    public const byte OptionRenewalTime = 58;
    public const byte OptionRebindingTime = 59;
    public const byte OptionClientId = 61;
    public const byte OptionEnd = 255;

    private static ReadOnlySpan<byte> ParameterList =>
        [OptionSubnetMask, OptionRouter, OptionDnsServers, OptionLeaseTime, OptionRenewalTime, OptionRebindingTime];

    /// <summary>
    /// Writes a client message into <paramref name="buffer"/> (at least <see cref="MaximumMessageLength"/> bytes) and
    /// returns its length. Zero addresses leave their option out.
    /// </summary>
    public static int WriteClientMessage(Span<byte> buffer, DhcpMessageType type, uint xid, ushort secs, bool broadcast,
        Ipv4Address clientAddress, MacAddress mac, Ipv4Address requested, Ipv4Address serverId, ReadOnlySpan<byte> hostName)
    {
        buffer.Slice(0, MaximumMessageLength).Clear();
        buffer[Op] = BootRequest;
        buffer[HardwareType] = Ethernet;
        buffer[HardwareLength] = MacAddress.Length;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(Xid), xid);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(Secs), secs);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(Flags), broadcast ? BroadcastFlag : (ushort)0);
        clientAddress.Write(buffer.Slice(ClientAddress));
        mac.Write(buffer.Slice(ClientHardware));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(Magic), MagicCookie);

        int at = OptionsOffset;
        buffer[at++] = OptionMessageType;
        buffer[at++] = 1;
        buffer[at++] = (byte)type;
        // Client identifier: hardware type 1 and the MAC (RFC 2132 9.14), so the lease follows us, not the frame.
        buffer[at++] = OptionClientId;
        buffer[at++] = 1 + MacAddress.Length;
        buffer[at++] = Ethernet;
        mac.Write(buffer.Slice(at));
        at += MacAddress.Length;
        if (!requested.IsUnspecified) at = WriteAddressOption(buffer, at, OptionRequestedAddress, requested);
        if (!serverId.IsUnspecified) at = WriteAddressOption(buffer, at, OptionServerId, serverId);
        if (type is DhcpMessageType.Discover or DhcpMessageType.Request)
        {
            if (!hostName.IsEmpty)
            {
                buffer[at++] = OptionHostName;
                buffer[at++] = (byte)hostName.Length;
                hostName.CopyTo(buffer.Slice(at));
                at += hostName.Length;
            }
            buffer[at++] = OptionParameterList;
            buffer[at++] = (byte)ParameterList.Length;
            ParameterList.CopyTo(buffer.Slice(at));
            at += ParameterList.Length;
            buffer[at++] = OptionMaxMessageSize;
            buffer[at++] = 2;
            BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(at), MaximumMessageLength);
            at += 2;
        }
        buffer[at++] = OptionEnd;
        return Math.Max(at, MinimumMessageLength);
    }

    private static int WriteAddressOption(Span<byte> buffer, int at, byte code, Ipv4Address address)
    {
        buffer[at] = code;
        buffer[at + 1] = Ipv4Address.Length;
        address.Write(buffer.Slice(at + 2));
        return at + 2 + Ipv4Address.Length;
    }
}
