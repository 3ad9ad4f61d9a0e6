using System.Device.Spi;
using Embedded.Drivers.Tests.Support;
using Embedded.Drivers.W5500;
using Embedded.Hardware.Emulators.W5500;
using Embedded.Net.Wire;
using Moq;

namespace Embedded.Drivers.Tests.W5500;

/// <summary>
/// A <c>Mock&lt;RecordingSpiDevice&gt;</c> (so a mocked <see cref="SpiDevice"/> recording every CS frame)
/// answering from the register-level <see cref="W5500Emulator"/> (commands accepted at once), plus a
/// driver on it with no pins, a manual clock and no real sleeping.
/// </summary>
internal sealed class W5500MockedChip : IDisposable
{
    public static readonly MacAddress TestMac = MacAddress.Read([0x02, 0x12, 0x34, 0x56, 0x78, 0x9A]);

    private W5500Device? _device;

    public W5500MockedChip()
    {
        Chip = new W5500Emulator(new SpiConnectionSettings(0, 0) { ClockFrequency = 30_000_000, Mode = SpiMode.Mode0 }) { CommandBusyPolls = 0 };
        Spi = new Mock<RecordingSpiDevice>(MockBehavior.Loose);
        Spi.Setup(s => s.Answer(It.IsAny<byte[]>())).Returns((byte[] written) =>
        {
            byte[] answer = new byte[written.Length];
            Chip.TransferFullDuplex(written, answer);
            return answer;
        });
        Spi.SetupGet(s => s.ConnectionSettings).Returns(new SpiConnectionSettings(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 30_000_000 });
    }

    public W5500Emulator Chip { get; }

    public Mock<RecordingSpiDevice> Spi { get; }

    public List<byte[]> Writes => Spi.Object.Writes;

    public long NowMs { get; set; } = 1000;

    public List<int> Sleeps { get; } = new();

    public W5500Device Device => _device ?? throw new InvalidOperationException("Call Start first.");

    public W5500Options Options(int releaseThreshold = 0, bool verifyFreeSpace = false) => new()
    {
        ReceiveReleaseThresholdBytes = releaseThreshold,
        VerifyTransmitFreeSpace = verifyFreeSpace,
        ClockMs = () => NowMs,
        SleepMs = ms => Sleeps.Add(ms),
    };

    /// <summary>Creates the driver (which initialises the chip), then forgets the initialisation's transfers.</summary>
    public W5500Device Start(W5500Options? options = null, bool keepInitialisation = false)
    {
        _device = new W5500Device(Spi.Object, TestMac, options: options ?? Options());
        if (!keepInitialisation) Writes.Clear();
        return _device;
    }

    public void Dispose()
    {
        _device?.Dispose();
        Chip.Dispose();
    }

    /// <summary>A frame to us: our MAC as destination, a peer as source, EtherType 0x0800, then a counting payload.</summary>
    public static byte[] FrameToUs(int length, byte seed = 0)
    {
        byte[] frame = new byte[length];
        TestMac.Write(frame);
        frame[6] = 0x02;
        frame[11] = 0x01;
        frame[12] = 0x08;
        frame[13] = 0x00;
        for (int i = 14; i < length; i++) frame[i] = (byte)(seed + i);
        return frame;
    }

    /// <summary>One CS frame as its header and data: "0026 08 | 0000", long data as "+N bytes".</summary>
    public static string Describe(IEnumerable<byte[]> transfers)
    {
        var lines = new List<string>();
        foreach (byte[] t in transfers)
        {
            string header = Convert.ToHexString(t, 0, 2) + " " + Convert.ToHexString(t, 2, 1);
            string data = t.Length - 3 > 8 ? "+" + (t.Length - 3) + " bytes" : Convert.ToHexString(t, 3, t.Length - 3);
            lines.Add(header + " | " + data);
        }
        return string.Join("\n", lines);
    }

    /// <summary>Expected frames with long data given as length only (the Describe form).</summary>
    public static void AssertSequence(byte[][] expected, List<byte[]> actual) => Assert.Equal(Describe(expected), Describe(actual));

    /// <summary>A CS frame header followed by <paramref name="dataBytes"/> bytes (their value is not compared when over 8).</summary>
    public static byte[] Burst(int address, byte control, int dataBytes)
    {
        byte[] frame = new byte[3 + dataBytes];
        frame[0] = (byte)(address >> 8);
        frame[1] = (byte)address;
        frame[2] = control;
        return frame;
    }
}
