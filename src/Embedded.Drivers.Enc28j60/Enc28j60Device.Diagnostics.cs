using Embedded.Drivers.Spi;
namespace Embedded.Drivers.Enc28j60;

// Direct access for diagnostics, self-tests and bring-up on a new board. Not for the packet path.
public sealed partial class Enc28j60Device
{
    /// <summary>Reads one control register (selecting its bank). For diagnostics: the driver does not need it.</summary>
    public byte ReadRegister(Enc28j60Register register)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _bus.Purpose = SpiPurpose.Control;
        return _bus.ReadRegister(register);
    }

    /// <summary>
    /// Reads buffer memory from <paramref name="address"/> (RBM; inside the receive ring the pointer
    /// wraps from ERXND to ERXST). Bursts longer than the SPI transfer limit are split.
    /// </summary>
    public void ReadBufferMemory(ushort address, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(address, (ushort)BufferLayout.MemorySize);
        _bus.Purpose = SpiPurpose.Control;
        _bus.WritePair(Enc28j60Register.ERDPTL, address);
        _bus.ReadBuffer(destination);
        _readPointer = UnknownPointer;
    }

    /// <summary>
    /// Writes buffer memory at <paramref name="address"/> (WBM; wraps 0x1FFF to 0x0000). Bursts longer
    /// than the SPI transfer limit are split. Writing into the receive ring while receiving corrupts it
    /// (the watchdog then recovers); writing while a frame is in flight is refused.
    /// </summary>
    public void WriteBufferMemory(ushort address, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(address, (ushort)BufferLayout.MemorySize);
        if (_transmitInFlight) throw new InvalidOperationException("A frame is in flight: the datasheet forbids touching buffer memory it is sending from. Wait for WaitForActivity/TryTransmit to complete it.");
        _bus.Purpose = SpiPurpose.Control;
        _bus.WritePair(Enc28j60Register.EWRPTL, address);
        _bus.WriteBuffer(ReadOnlySpan<byte>.Empty, data);
        _writePointer = UnknownPointer;
    }
}
