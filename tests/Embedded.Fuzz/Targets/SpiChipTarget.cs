using System.Buffers.Binary;
using System.Device.Spi;
using Embedded.Fuzz.Inbound;
using Embedded.Hardware.Emulators;
using Embedded.Net.Wire;

namespace Embedded.Fuzz.Targets;

/// <summary>
/// A chip emulator driven by random host behaviour: the input is a list of operations (SPI transactions of
/// any length and content, frames arriving on the cable or through the attached wire, time passing, cable
/// pulls, resets, the chip's own fault injections), as a buggy or hostile driver might issue them. The
/// emulator must log what the datasheet forbids and never throw.
/// </summary>
/// <remarks>
/// Operation byte <c>op</c>: <c>op &amp; 7</c> = 0 write, 1 full-duplex transfer (length byte, then the bytes),
/// 2 one-byte write, 3 a frame on the cable, 4 a frame through the wire and a pump, 5 time (50 µs per unit),
/// 6 cable pulled/plugged, 7 other (<c>(op &gt;&gt; 3) &amp; 7</c>: reset, pump, read, chip-specific injections).
/// Frames are a u16 length (low 11 bits) and the bytes; the input's end reads as zeros.
/// </remarks>
public abstract class SpiChipTarget<TChip> : IFuzzTarget
    where TChip : SpiDevice, IEmulatedChip
{
    /// <summary>Operations one input may perform.</summary>
    public const int MaxOperations = 4096;

    /// <summary>Longest SPI transaction an operation issues.</summary>
    public const int MaxTransaction = 256;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract string Description { get; }

    /// <summary>A chip in its power-on state.</summary>
    protected abstract TChip Create();

    /// <summary>A frame arrives on the cable.</summary>
    protected abstract void ReceiveFrame(TChip chip, ReadOnlySpan<byte> frame);

    /// <summary>Modeled time passes.</summary>
    protected abstract void AdvanceTime(TChip chip, TimeSpan elapsed);

    /// <summary>A pulse on the reset pin.</summary>
    protected abstract void HardwareReset(TChip chip);

    /// <summary>Wires the interrupt output to <paramref name="gpio"/>.</summary>
    protected abstract void ConnectInterrupt(TChip chip, VirtualGpio gpio);

    /// <summary>One of the chip's fault injections or read-outs, chosen by <paramref name="which"/> (0-4), with <paramref name="argument"/>.</summary>
    protected abstract void Special(TChip chip, int which, byte argument);

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input) => RunChip(input);

    /// <summary>Runs <paramref name="input"/> on a fresh chip and returns the chip for inspection.</summary>
    public TChip RunChip(ReadOnlySpan<byte> input)
    {
        TChip chip = Create();
        var wire = new FuzzDevice(MacAddress.FromValue(0x0200_0000_0001));
        var gpio = new VirtualGpio();
        ConnectInterrupt(chip, gpio);
        chip.Attach(wire);
        Span<byte> mosi = stackalloc byte[MaxTransaction];
        Span<byte> miso = stackalloc byte[MaxTransaction];
        var reader = new OperationReader(input);
        for (int i = 0; i < MaxOperations && !reader.AtEnd; i++)
        {
            byte op = reader.Byte();
            switch (op & 7)
            {
                case 0:
                case 1:
                {
                    int length = 1 + reader.Byte();
                    reader.Fill(mosi.Slice(0, length));
                    if ((op & 7) == 0) chip.Write(mosi.Slice(0, length));
                    else chip.TransferFullDuplex(mosi.Slice(0, length), miso.Slice(0, length));
                    break;
                }
                case 2:
                    chip.WriteByte(reader.Byte());
                    break;
                case 3:
                    ReceiveFrame(chip, reader.Frame());
                    break;
                case 4:
                    wire.Inject(reader.Frame());
                    chip.Pump(1);
                    break;
                case 5:
                    AdvanceTime(chip, TimeSpan.FromMicroseconds(50 * reader.Byte()));
                    break;
                case 6:
                    chip.LinkUp = !chip.LinkUp;
                    break;
                default:
                    switch ((op >> 3) & 7)
                    {
                        case 0:
                            HardwareReset(chip);
                            break;
                        case 1:
                            chip.Pump();
                            break;
                        case 2:
                            Touch.All(false, chip.ReadByte(), 0, default, default);
                            break;
                        default:
                            Special(chip, ((op >> 3) & 7) - 3, reader.Byte());
                            break;
                    }
                    break;
            }
        }
        Touch.All(chip.LinkUp, chip.ForbiddenOperations.Count, 0, default, default);
        return chip;
    }

    /// <summary>Reads the operation list; past the end every byte is 0.</summary>
    private ref struct OperationReader(ReadOnlySpan<byte> input)
    {
        private ReadOnlySpan<byte> _rest = input;

        public readonly bool AtEnd => _rest.IsEmpty;

        public byte Byte()
        {
            if (_rest.IsEmpty) return 0;
            byte b = _rest[0];
            _rest = _rest.Slice(1);
            return b;
        }

        public void Fill(scoped Span<byte> destination)
        {
            int n = Math.Min(destination.Length, _rest.Length);
            _rest.Slice(0, n).CopyTo(destination);
            destination.Slice(n).Clear();
            _rest = _rest.Slice(n);
        }

        public ReadOnlySpan<byte> Frame()
        {
            if (_rest.Length < 2) return default;
            int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(_rest) & FrameRecords.MaxFrameLength, _rest.Length - 2);
            ReadOnlySpan<byte> frame = _rest.Slice(2, length);
            _rest = _rest.Slice(2 + length);
            return frame;
        }
    }
}
