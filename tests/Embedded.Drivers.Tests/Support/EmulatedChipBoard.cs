using System.Device.Gpio;
using Embedded.Hardware.Emulators;
using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Drivers.Tests.Support;

/// <summary>
/// A driver on a register-level emulator, as on a Pi, whatever the chip: INT on GPIO25 (RESET on GPIO24)
/// through a <see cref="VirtualGpio"/> under a real <see cref="GpioController"/>, the chip's cable an
/// <see cref="InMemoryLink"/> whose other end (<see cref="Peer"/>) the test drives. The subclass creates
/// the chip and its driver; time is its manual clock.
/// </summary>
/// <typeparam name="TChip">The chip's emulator.</typeparam>
/// <typeparam name="TDevice">The chip's driver.</typeparam>
internal abstract class EmulatedChipBoard<TChip, TDevice> : IDisposable
    where TChip : EmulatedSpiChip
    where TDevice : class, INetworkDevice, IDisposable
{
    public const int InterruptPin = 25;
    public const int ResetPin = 24;
    public static readonly MacAddress OurMac = MacAddress.Read([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
    public static readonly MacAddress PeerMac = MacAddress.Read([0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE]);

    private readonly byte[] _scratch = new byte[1514];

    /// <summary>Wires <paramref name="chip"/> (its INT pin unless <paramref name="connectInterrupt"/> is false, its RESET pin, its cable); the subclass then creates <see cref="Device"/>.</summary>
    protected EmulatedChipBoard(TChip chip, bool connectInterrupt)
    {
        Chip = chip;
        Gpio = new VirtualGpio();
        Controller = new GpioController(Gpio);
        if (connectInterrupt) Chip.ConnectInterrupt(Gpio, InterruptPin);
        Chip.ConnectReset(Gpio, ResetPin);
        Link = InMemoryLink.CreatePair(OurMac, PeerMac, queueFrames: 256);
        Chip.Attach(Link.A);
    }

    public TChip Chip { get; }

    public VirtualGpio Gpio { get; }

    public GpioController Controller { get; }

    public InMemoryLink Link { get; }

    public InMemoryLinkPort Peer => Link.B;

    public TDevice Device { get; protected init; } = null!;

    public long NowMs { get; set; } = 10_000;

    public PinValue InterruptLevel => Gpio.GetLevel(InterruptPin);

    /// <summary>A frame from the peer to us (or broadcast), length without FCS.</summary>
    public static byte[] FrameToUs(int length, int seed, bool broadcast = false)
    {
        byte[] frame = new byte[length];
        if (broadcast) frame.AsSpan(0, 6).Fill(0xFF);
        else OurMac.Write(frame);
        PeerMac.Write(frame.AsSpan(6));
        frame[12] = 0x08;
        frame[13] = 0x00;
        for (int i = 14; i < length; i++) frame[i] = (byte)(seed * 31 + i);
        return frame;
    }

    /// <summary>A frame from us to the peer.</summary>
    public static byte[] FrameToPeer(int length, int seed)
    {
        byte[] frame = new byte[length];
        PeerMac.Write(frame);
        OurMac.Write(frame.AsSpan(6));
        frame[12] = 0x08;
        frame[13] = 0x00;
        for (int i = 14; i < length; i++) frame[i] = (byte)(seed * 17 + i);
        return frame;
    }

    /// <summary>
    /// The host loop until it would sleep: wait (here: check, never block), drain every frame,
    /// again while the wait reports activity. Returns the frames received.
    /// </summary>
    public int PollOnce(List<byte[]>? received = null)
    {
        int count = 0;
        for (int round = 0; round < 16; round++)
        {
            if (!WaitForActivity(0)) break;
            while (Device.TryReceive(_scratch, out int length))
            {
                received?.Add(_scratch.AsSpan(0, length).ToArray());
                count++;
            }
        }
        return count;
    }

    /// <summary>The peer sends a frame and the chip takes it off the cable.</summary>
    public void PeerSends(byte[] frame)
    {
        if (!Peer.TryTransmit(frame)) throw new InvalidOperationException("The link refused the frame.");
        Chip.Pump();
    }

    public List<byte[]> PeerReceivesAll()
    {
        var frames = new List<byte[]>();
        byte[] buffer = new byte[1514];
        while (Peer.TryReceive(buffer, out int length)) frames.Add(buffer.AsSpan(0, length).ToArray());
        return frames;
    }

    public void AssertNothingForbidden() => Assert.True(Chip.ForbiddenOperations.Count == 0, Chip.ForbiddenOperations.ToString());

    public void Dispose()
    {
        Device.Dispose();
        Controller.Dispose();
        Chip.Dispose();
    }

    /// <summary>The driver's interrupt wait (not on <see cref="INetworkDevice"/>).</summary>
    protected abstract bool WaitForActivity(int timeoutMs);
}
