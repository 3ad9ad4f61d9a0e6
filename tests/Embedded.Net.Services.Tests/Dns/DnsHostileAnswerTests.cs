using Embedded.Net.Services.Dns;
using Embedded.Net.Wire;

namespace Embedded.Net.Services.Tests.Dns;

/// <summary>RFC 9267 / NAME:WRECK: answers that break the rules end the lookup as Malformed, never read out of bounds, never cached.</summary>
public sealed class DnsHostileAnswerTests
{
    public enum Hostile
    {
        PointerToItself,
        ForwardPointer,
        PointerFarOutsideMessage,
        LoopThroughALabel,
        RdLengthPastTheEnd,
        ARecordOfFiveBytes,
        LabelOf64Bytes,
        NameOver255Bytes,
        AnswerCountLargerThanTheRecords,
        LabelRunningOffTheEnd,
        TruncatedFlag,
        CnameRdLengthDisagreesWithItsName,
        QuestionCutShort,
    }

    [Theory]
    [InlineData(Hostile.PointerToItself)]
    [InlineData(Hostile.ForwardPointer)]
    [InlineData(Hostile.PointerFarOutsideMessage)]
    [InlineData(Hostile.LoopThroughALabel)]
    [InlineData(Hostile.RdLengthPastTheEnd)]
    [InlineData(Hostile.ARecordOfFiveBytes)]
    [InlineData(Hostile.LabelOf64Bytes)]
    [InlineData(Hostile.NameOver255Bytes)]
    [InlineData(Hostile.AnswerCountLargerThanTheRecords)]
    [InlineData(Hostile.LabelRunningOffTheEnd)]
    [InlineData(Hostile.TruncatedFlag)]
    [InlineData(Hostile.CnameRdLengthDisagreesWithItsName)]
    [InlineData(Hostile.QuestionCutShort)]
    public void A_hostile_answer_is_malformed_and_not_cached(Hostile hostile)
    {
        var f = new DnsFixture();
        f.Lookup("victim.test", out _, out DnsQuery query);
        Assert.True(f.TakeQuery());
        int answerAt = f.QueryLength;
        byte[] rr = [0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 99]; // type A, class IN, TTL 60, 4 bytes
        int? length = null;
        f.Respond();
        switch (hostile)
        {
            case Hostile.PointerToItself:
                f.Raw([(byte)(0xC0 | (answerAt >> 8)), (byte)answerAt]).Raw(rr, 1); // c0 xx pointing at itself
                break;
            case Hostile.ForwardPointer:
                f.Raw([0xC0, (byte)(answerAt + 4)]).Raw(rr, 1).Raw(DnsFixture.Wire("victim.test"));
                break;
            case Hostile.PointerFarOutsideMessage:
                f.Raw([0xFF, 0xFF]).Raw(rr, 1);
                break;
            case Hostile.LoopThroughALabel:
                f.Raw([1, (byte)'x', (byte)(0xC0 | (answerAt >> 8)), (byte)answerAt]).Raw(rr, 1); // "x" then back to "x"...
                break;
            case Hostile.RdLengthPastTheEnd:
                f.A(Ipv4Address.FromOctets(192, 0, 2, 99));
                length = f.Built.Length - 2;
                break;
            case Hostile.ARecordOfFiveBytes:
                f.Raw([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 192, 0, 2, 99, 1], 1);
                break;
            case Hostile.LabelOf64Bytes:
                f.Raw([64]).Raw(new byte[64]).Raw([0]).Raw(rr, 1);
                break;
            case Hostile.NameOver255Bytes:
                for (int i = 0; i < 5; i++) f.Raw([63]).Raw(System.Text.Encoding.ASCII.GetBytes(new string('a', 63)));
                f.Raw([0xC0, 0x0C]).Raw(rr, 1);
                break;
            case Hostile.AnswerCountLargerThanTheRecords:
                f.A(Ipv4Address.FromOctets(192, 0, 2, 99));
                f.Built[7] = 3;
                break;
            case Hostile.LabelRunningOffTheEnd:
                f.Raw([40, (byte)'a', (byte)'b'], 1);
                break;
            case Hostile.TruncatedFlag:
                f.A(Ipv4Address.FromOctets(192, 0, 2, 99));
                f.Built[2] |= 0x02;
                break;
            case Hostile.CnameRdLengthDisagreesWithItsName:
                f.Raw([0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 3]).Raw(DnsFixture.Wire("host.test"), 1);
                break;
            case Hostile.QuestionCutShort:
                length = 16;
                break;
        }
        f.Send(length: length);
        Assert.Equal(DnsResult.Malformed, f.Resolver.Result(query, out Ipv4Address address));
        Assert.Equal(default, address);
        f.Resolver.Release(query);
        Assert.Equal(DnsResult.Pending, f.Lookup("victim.test", out _, out _)); // nothing was cached
    }
}
