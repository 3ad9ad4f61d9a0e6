using Embedded.Drivers.Spi;
using System.Buffers.Binary;
using System.Device.Gpio;
using System.Globalization;

namespace Embedded.Drivers.W5500;

// Initialisation (chips.md B8: Linux w5100_hw_reset + w5100_hw_start, with the ESP and Zephyr checks
// Linux lacks: VERSIONR, Sn_SR == MACRAW, PHYCFGR) and opening socket 0 in MACRAW.
public sealed partial class W5500Device
{
    private const int HardwareResetLowMs = 1;    // RSTn low >= 500 us (DS 5.5.1)
    private const int PllLockMs = 2;             // then >= 1 ms for the PLL
    private const int PollSleepMs = 1;
    private const int PointerBlockLength = 12;   // TX_FSR, TX_RD, TX_WR, RX_RSR, RX_RD, RX_WR

    private readonly byte[] _pointerBlock = new byte[PointerBlockLength];
    private readonly byte[] _bufferSizes = new byte[2];

    /// <summary>Sn_MR as the driver writes it: MACRAW, MAC filter unless promiscuous, IPv4 multicast blocked unless accepted.</summary>
    internal byte SocketMode =>
        (byte)(SocketModeBits.MacRaw
            | (_options.Promiscuous ? 0 : SocketModeBits.MFEN)
            | (_options.AcceptMulticast || _options.Promiscuous ? 0 : SocketModeBits.MMB));

    /// <summary>
    /// Re-initialises the chip from scratch (reset and every register), as the watchdog does on its own.
    /// Frames in the chip are lost. Returns false when the chip did not come back.
    /// </summary>
    public bool Reinitialise() => Recover(W5500ResetReason.Requested);

    private bool TryInitialise(out W5500ResetReason reason, out string detail)
    {
        _bus.Purpose = SpiPurpose.Control;
        ResetReceiveState();
        ResetTransmitState();
        _commandPending = false;
        LinkUp = false;

        if (_resetPin >= 0 && _gpio is not null)
        {
            _gpio.Write(_resetPin, PinValue.Low);
            _sleepMs(HardwareResetLowMs);
            _gpio.Write(_resetPin, PinValue.High);
            _sleepMs(PllLockMs);
        }

        // B8 step 1: software reset; MR.RST self-clears (ESP polls it rather than sleeping 5 ms as Linux).
        _bus.WriteByte(W5500Block.Common, CommonRegister.MR, ModeBits.RST);
        byte mode = ModeBits.RST;
        for (int i = 0; i < _options.ResetPollLimit && (mode & ModeBits.RST) != 0; i++)
        {
            _sleepMs(PollSleepMs);
            mode = _bus.ReadByte(W5500Block.Common, CommonRegister.MR);
        }
        if ((mode & ModeBits.RST) != 0)
        {
            return Fail(W5500ResetReason.ChipNotResponding, "MR.RST never cleared after a soft reset (MR read 0x" + Hex(mode)
                + "): no chip, no power, or MISO/MOSI/SCLK/CS miswired.", out reason, out detail);
        }

        // B11 #8: VERSIONR can read 0 briefly after a reset; #10: garbage means wiring or SPI mode.
        byte version = 0;
        for (int i = 0; i < _options.VersionPollLimit; i++)
        {
            if (i > 0) _sleepMs(PollSleepMs);
            version = _bus.ReadByte(W5500Block.Common, CommonRegister.VERSIONR);
            if (version == W5500Layout.Version) break;
        }
        if (version != W5500Layout.Version)
        {
            return Fail(W5500ResetReason.VersionMismatch, "VERSIONR (0x0039) read 0x" + Hex(version) + ", expected 0x04: not a W5500, or an SPI wiring/mode fault"
                + (version == 0x00 ? " (0x00: MISO stuck low or no chip)" : version == 0xFF ? " (0xFF: MISO floating)" : string.Empty) + ".", out reason, out detail);
        }

        // B8 steps 2-5: ping block (B11 #9; SIPR stays 0), interrupts masked while configuring, SHAR.
        _bus.WriteByte(W5500Block.Common, CommonRegister.MR, ModeBits.PB);
        _bus.WriteByte(W5500Block.Common, CommonRegister.SIMR, 0);
        _bus.Write(W5500Block.Common, CommonRegister.SHAR, _macBytes);

        // B11 #6: sockets 1-7 give up their 2 KiB first, so the total never exceeds 16 KiB, then socket 0
        // takes all 16 KiB of each memory. RXBUF_SIZE and TXBUF_SIZE are adjacent: one burst per socket.
        _bufferSizes[0] = 0;
        _bufferSizes[1] = 0;
        for (int socket = 1; socket < W5500Layout.Sockets; socket++)
        {
            _bus.Write(W5500Block.SocketRegisters(socket), SocketRegister.RXBUF_SIZE, _bufferSizes);
        }
        _bufferSizes[0] = W5500Layout.BufferSizeKib;
        _bufferSizes[1] = W5500Layout.BufferSizeKib;
        _bus.Write(W5500Block.Socket0Registers, SocketRegister.RXBUF_SIZE, _bufferSizes);

        // Only RECV and SEND_OK reach INTn (Sn_IMR resets to 0xFF).
        _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.IMR, SocketInterrupt.RECV | SocketInterrupt.SEND_OK);

        if (!TryOpenSocket(closeFirst: false, out reason, out detail)) return false;

        _bus.WriteByte(W5500Block.Common, CommonRegister.SIMR, 0x01);
        byte phy = _bus.ReadByte(W5500Block.Common, CommonRegister.PHYCFGR);
        PhyConfiguration = phy;
        LinkUp = (phy & PhyConfigBits.LNK) != 0;
        long now = _clockMs();
        _nextWatchdogMs = now + _options.WatchdogIntervalMs;
        _nextLinkPollMs = now + _options.LinkPollIntervalMs;
        Faulted = false;
        LogInitialised(_logger, LinkUp, phy);
        reason = W5500ResetReason.None;
        detail = string.Empty;
        return true;
    }

    /// <summary>
    /// Socket 0 into MACRAW (B6): CLOSE (when asked) until Sn_SR reads CLOSED, Sn_MR, OPEN until Sn_SR reads
    /// MACRAW (Linux never checks; we do), every command polled back to 0. Then the pointers are read back
    /// rather than assumed, and stale Sn_IR bits cleared.
    /// </summary>
    private bool TryOpenSocket(bool closeFirst, out W5500ResetReason reason, out string detail)
    {
        if (closeFirst)
        {
            if (!IssueCommand(SocketCommand.CLOSE)) return Fail(W5500ResetReason.CommandStuck, "Sn_CR did not clear after CLOSE.", out reason, out detail);
            if (!WaitSocketStatus(SocketStatus.CLOSED, out byte closed))
            {
                return Fail(W5500ResetReason.SocketNotOpen, "Sn_SR read 0x" + Hex(closed) + " after CLOSE, expected 0x00.", out reason, out detail);
            }
        }
        _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.MR, SocketMode);
        if (!IssueCommand(SocketCommand.OPEN)) return Fail(W5500ResetReason.CommandStuck, "Sn_CR did not clear after OPEN.", out reason, out detail);
        if (!WaitSocketStatus(SocketStatus.MACRAW, out byte status))
        {
            return Fail(W5500ResetReason.SocketNotOpen, "Sn_SR read 0x" + Hex(status) + " after OPEN, expected 0x42 (MACRAW).", out reason, out detail);
        }

        _bus.Read(W5500Block.Socket0Registers, SocketRegister.TX_FSR, _pointerBlock);
        _txPointer = BinaryPrimitives.ReadUInt16BigEndian(_pointerBlock.AsSpan(SocketRegister.TX_WR - SocketRegister.TX_FSR));
        ushort readPointer = BinaryPrimitives.ReadUInt16BigEndian(_pointerBlock.AsSpan(SocketRegister.RX_RD - SocketRegister.TX_FSR));
        ResetReceiveState();
        _rxPointer = readPointer;
        _rxReleased = readPointer;
        ResetTransmitState();
        _bus.WriteByte(W5500Block.Socket0Registers, SocketRegister.IR, 0xFF);
        reason = W5500ResetReason.None;
        detail = string.Empty;
        return true;
    }

    private bool WaitSocketStatus(byte wanted, out byte status)
    {
        status = _bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.SR);
        for (int i = 1; i < _options.SocketStatusPollLimit && status != wanted; i++)
        {
            _sleepMs(PollSleepMs);
            status = _bus.ReadByte(W5500Block.Socket0Registers, SocketRegister.SR);
        }
        return status == wanted;
    }

    private bool Fail(W5500ResetReason why, string message, out W5500ResetReason reason, out string detail)
    {
        reason = why;
        detail = message;
        Faulted = true;
        LogInitialiseFailed(_logger, why, message);
        return false;
    }

    private static string Hex(byte value) => value.ToString("X2", CultureInfo.InvariantCulture);
}
