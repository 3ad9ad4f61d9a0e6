using System.Device.Gpio;
using Embedded.Drivers.Enc28j60;
using Embedded.Hardware.Emulators;
using Embedded.Hardware.Emulators.Enc28j60;
using Embedded.Net.Phy;
using Embedded.Net.Wire;

namespace Embedded.Drivers.Tests.Emulated;

/// <summary>
/// The driver on the register-level emulator, as on a Pi: INT on GPIO25 through a
/// <see cref="VirtualGpio"/> under a real <see cref="GpioController"/>, the chip's cable an
/// <see cref="InMemoryLink"/> whose other end (<see cref="Peer"/>) the test drives.
/// Time is a manual clock; sleeps only advance it.
/// </summary>
internal sealed class EmulatedBoard : IDisposable
{
    public const int InterruptPin = 25;
    public const int ResetPin = 24;
    public static readonly MacAddress OurMac = MacAddress.Read([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
    public static readonly MacAddress PeerMac = MacAddress.Read([0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE]);

    private readonly byte[] _scratch = new byte[1514];

    public EmulatedBoard(Func<EmulatedBoard, Enc28j60Options>? options = null, bool driverOwnsReset = false, Action<Enc28j60Emulator>? beforeStart = null)
    {
        Chip = new Enc28j60Emulator();
        Gpio = new VirtualGpio();
        Controller = new GpioController(Gpio);
        Chip.ConnectInterrupt(Gpio, InterruptPin);
        Chip.ConnectReset(Gpio, ResetPin);
        Link = InMemoryLink.CreatePair(OurMac, PeerMac, queueFrames: 256);
        Chip.Attach(Link.A);
        beforeStart?.Invoke(Chip);
        Device = new Enc28j60Device(Chip, OurMac, Controller, InterruptPin, driverOwnsReset ? ResetPin : -1,
            options?.Invoke(this) ?? DefaultOptions(), shouldDispose: false);
    }

    public Enc28j60Emulator Chip { get; }

    public VirtualGpio Gpio { get; }

    public GpioController Controller { get; }

    public InMemoryLink Link { get; }

    public InMemoryLinkPort Peer => Link.B;

    public Enc28j60Device Device { get; }

    public long NowMs { get; set; } = 10_000;

    public Enc28j60Options DefaultOptions(int watchdogMs = 100, int releaseThreshold = 2048, bool resetEachFrame = true) => new()
    {
        WatchdogIntervalMs = watchdogMs,
        ReceiveReleaseThresholdBytes = releaseThreshold,
        ResetTransmitLogicBeforeEachFrame = resetEachFrame,
        ClockMs = () => NowMs,
        SleepMs = ms => NowMs += ms,
    };

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
            if (!Device.WaitForActivity(0)) break;
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
}
