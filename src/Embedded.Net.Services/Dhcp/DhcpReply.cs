using System.Buffers.Binary;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Dhcp;

/// <summary>Why a server message was dropped (or <see cref="Ok"/>).</summary>
internal enum DhcpReplyVerdict : byte
{
    Ok,
    TooShort,
    NotReply,
    WrongXid,
    WrongClientHardware,
    BadMagic,
    OptionOverrun,
    NoEndOption,
    BadOptionLength,
    NoMessageType,
}

/// <summary>
/// The fields of a server message the client uses, parsed by <see cref="TryParse"/> with every length checked against
/// the message (CVE-2020-11903 class): an option whose length runs past the end, a message without the end option,
/// fixed-size options of the wrong size, or no message type, and the whole message is rejected.
/// </summary>
internal struct DhcpReply
{
    /// <summary>DNS servers kept from option 6; more are ignored.</summary>
    public const int MaxDnsServers = 3;

    public DhcpMessageType Type;
    public Ipv4Address YourAddress;
    public Ipv4Address ServerId;
    public Ipv4Address SubnetMask;
    public bool HasSubnetMask;
    public Ipv4Address Router;
    public Ipv4Address Dns0;
    public Ipv4Address Dns1;
    public Ipv4Address Dns2;
    public int DnsCount;
    public uint LeaseSeconds;
    public bool HasLease;
    public uint RenewalSeconds;
    public bool HasRenewal;
    public uint RebindingSeconds;
    public bool HasRebinding;

    /// <summary>Parses <paramref name="message"/> as a reply to transaction <paramref name="xid"/> for <paramref name="mac"/>.</summary>
    public static DhcpReplyVerdict TryParse(ReadOnlySpan<byte> message, uint xid, MacAddress mac, out DhcpReply reply)
    {
        reply = default;
        if (message.Length < DhcpWire.OptionsOffset) return DhcpReplyVerdict.TooShort;
        if (message[DhcpWire.Op] != DhcpWire.BootReply || message[DhcpWire.HardwareType] != DhcpWire.Ethernet
            || message[DhcpWire.HardwareLength] != MacAddress.Length) return DhcpReplyVerdict.NotReply;
        if (BinaryPrimitives.ReadUInt32BigEndian(message.Slice(DhcpWire.Xid)) != xid) return DhcpReplyVerdict.WrongXid;
        if (MacAddress.Read(message.Slice(DhcpWire.ClientHardware)) != mac) return DhcpReplyVerdict.WrongClientHardware;
        if (BinaryPrimitives.ReadUInt32BigEndian(message.Slice(DhcpWire.Magic)) != DhcpWire.MagicCookie) return DhcpReplyVerdict.BadMagic;
        reply.YourAddress = Ipv4Address.Read(message.Slice(DhcpWire.YourAddress));

        ReadOnlySpan<byte> options = message.Slice(DhcpWire.OptionsOffset);
        int at = 0;
        bool ended = false;
        while (at < options.Length)
        {
            byte code = options[at];
            if (code == DhcpWire.OptionPad)
            {
                at++;
                continue;
            }
            if (code == DhcpWire.OptionEnd)
            {
                ended = true;
                break;
            }
            if (at + 1 >= options.Length) return DhcpReplyVerdict.OptionOverrun;
            int length = options[at + 1];
            if (at + 2 + length > options.Length) return DhcpReplyVerdict.OptionOverrun;
            if (!reply.Take(code, options.Slice(at + 2, length))) return DhcpReplyVerdict.BadOptionLength;
            at += 2 + length;
        }
        if (!ended) return DhcpReplyVerdict.NoEndOption;
        return reply.Type == DhcpMessageType.None ? DhcpReplyVerdict.NoMessageType : DhcpReplyVerdict.Ok;
    }

    /// <summary>Takes one option's value; false when its length is wrong for its code. Unknown options are skipped.</summary>
    private bool Take(byte code, ReadOnlySpan<byte> value)
    {
        switch (code)
        {
            case DhcpWire.OptionMessageType:
                if (value.Length != 1 || value[0] is 0 or > (byte)DhcpMessageType.Inform) return false;
                Type = (DhcpMessageType)value[0];
                return true;
            case DhcpWire.OptionSubnetMask:
                if (value.Length != 4) return false;
                SubnetMask = Ipv4Address.Read(value);
                HasSubnetMask = true;
                return true;
            case DhcpWire.OptionRouter:
                if (value.Length < 4 || value.Length % 4 != 0) return false;
                Router = Ipv4Address.Read(value); // the first router is the preferred one (RFC 2132 3.5)
                return true;
            case DhcpWire.OptionDnsServers:
                if (value.Length < 4 || value.Length % 4 != 0) return false;
                DnsCount = Math.Min(MaxDnsServers, value.Length / 4);
                Dns0 = Ipv4Address.Read(value);
                if (DnsCount > 1) Dns1 = Ipv4Address.Read(value.Slice(4));
                if (DnsCount > 2) Dns2 = Ipv4Address.Read(value.Slice(8));
                return true;
            case DhcpWire.OptionServerId:
                if (value.Length != 4) return false;
                ServerId = Ipv4Address.Read(value);
                return true;
            case DhcpWire.OptionLeaseTime:
                if (value.Length != 4) return false;
                LeaseSeconds = BinaryPrimitives.ReadUInt32BigEndian(value);
                HasLease = true;
                return true;
            case DhcpWire.OptionRenewalTime:
                if (value.Length != 4) return false;
                RenewalSeconds = BinaryPrimitives.ReadUInt32BigEndian(value);
                HasRenewal = true;
                return true;
            case DhcpWire.OptionRebindingTime:
                if (value.Length != 4) return false;
                RebindingSeconds = BinaryPrimitives.ReadUInt32BigEndian(value);
                HasRebinding = true;
                return true;
            default:
                return true; // option overload (52) included: sname/file are never read, so overloaded options are ignored
        }
    }

    /// <summary>The prefix length of the subnet mask, or -1 when the mask is not contiguous.</summary>
    public readonly int PrefixLength()
    {
        if (!HasSubnetMask)
        {
            // No mask option: the classful default (RFC 1122 3.3.1.1's historical rule), as other clients do.
            uint first = YourAddress.Value >> 24;
            return first < 128 ? 8 : first < 192 ? 16 : 24;
        }
        uint mask = SubnetMask.Value;
        int prefix = System.Numerics.BitOperations.LeadingZeroCount(~mask);
        return Ipv4Address.MaskOf(prefix) == mask ? prefix : -1;
    }

    /// <summary>DNS server <paramref name="index"/> (0 to <see cref="DnsCount"/> - 1).</summary>
    public readonly Ipv4Address Dns(int index) => index switch { 0 => Dns0, 1 => Dns1, _ => Dns2 };
}
