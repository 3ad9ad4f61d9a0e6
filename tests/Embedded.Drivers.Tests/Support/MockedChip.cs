using System.Device.Spi;
using Embedded.Drivers.Enc28j60;
using Embedded.Net.Wire;
using Moq;

namespace Embedded.Drivers.Tests.Support;

/// <summary>
/// A <c>Mock&lt;RecordingSpiDevice&gt;</c> (so a mocked <see cref="SpiDevice"/>) answering from a
/// <see cref="ChipFake"/>, plus a driver on it with a manual clock and no real sleeping.
/// </summary>
internal sealed class MockedChip : IDisposable
{
    public static readonly MacAddress TestMac = MacAddress.Read([0x02, 0x12, 0x34, 0x56, 0x78, 0x9A]);

    private Enc28j60Device? _device;

    public MockedChip()
    {
        Spi = new Mock<RecordingSpiDevice>(MockBehavior.Loose);
        Spi.Setup(s => s.Answer(It.IsAny<byte[]>())).Returns((byte[] written) =>
        {
            byte[] answer = new byte[written.Length];
            Chip.Transfer(written, answer);
            return answer;
        });
        Spi.SetupGet(s => s.ConnectionSettings).Returns(new SpiConnectionSettings(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 12_000_000 });
        Chip.Phy[0x11] = 0x0400;
    }

    public ChipFake Chip { get; } = new();

    public Mock<RecordingSpiDevice> Spi { get; }

    public List<byte[]> Writes => Spi.Object.Writes;

    public long NowMs { get; set; } = 1000;

    public List<int> Sleeps { get; } = new();

    public Enc28j60Device Device => _device ?? throw new InvalidOperationException("Call Start first.");

    public Enc28j60Options Options(int maxTransferBytes = Enc28j60Options.SpidevDefaultTransferLimit, bool resetEachFrame = true, bool fullDuplex = true, int releaseThreshold = 2048) => new()
    {
        MaxTransferBytes = maxTransferBytes,
        ResetTransmitLogicBeforeEachFrame = resetEachFrame,
        FullDuplex = fullDuplex,
        ReceiveReleaseThresholdBytes = releaseThreshold,
        ClockMs = () => NowMs,
        SleepMs = ms => Sleeps.Add(ms),
    };

    /// <summary>Creates the driver (which initialises the chip), then forgets the initialisation's transfers.</summary>
    public Enc28j60Device Start(Enc28j60Options? options = null, bool keepInitialisation = false)
    {
        _device = new Enc28j60Device(Spi.Object, TestMac, options: options ?? Options());
        if (!keepInitialisation) Writes.Clear();
        return _device;
    }

    public void Dispose() => _device?.Dispose();

    /// <summary>A test frame: broadcast destination, our source, EtherType 0x0800, then a counting payload.</summary>
    public static byte[] Frame(int length, byte seed = 0)
    {
        byte[] frame = new byte[length];
        for (int i = 0; i < 6; i++) frame[i] = 0xFF;
        TestMac.Write(frame.AsSpan(6));
        frame[12] = 0x08;
        frame[13] = 0x00;
        for (int i = 14; i < length; i++) frame[i] = (byte)(seed + i);
        return frame;
    }

    /// <summary>Formats transfers as "9F 01 | 39 00 | 3A x70" lines for readable failures.</summary>
    public static string Describe(IEnumerable<byte[]> transfers)
    {
        var lines = new List<string>();
        foreach (byte[] t in transfers)
        {
            bool zeroTail = t.Length > 4;
            for (int i = 1; i < t.Length && zeroTail; i++) zeroTail = t[i] == 0;
            lines.Add(zeroTail ? t[0].ToString("X2") + " +" + (t.Length - 1) + " zeros" : Convert.ToHexString(t));
        }
        return string.Join("\n", lines);
    }
}
