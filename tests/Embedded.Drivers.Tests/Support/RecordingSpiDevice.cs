using System.Device.Spi;

namespace Embedded.Drivers.Tests.Support;

/// <summary>
/// The shape Moq can mock. Moq 4 cannot match span parameters (a ref struct cannot be a generic
/// argument of It.IsAny: CS9244), so <see cref="TransferFullDuplex"/> is sealed here: it copies the
/// write buffer into an array and hands it to the abstract <see cref="Answer"/>, which a
/// <c>Mock&lt;RecordingSpiDevice&gt;</c> sets up and records. The driver sees a real
/// <see cref="SpiDevice"/>; every other abstract member is left to Moq (and verified unused).
/// </summary>
public abstract class RecordingSpiDevice : SpiDevice
{
    /// <summary>Every TransferFullDuplex write buffer, in order.</summary>
    public List<byte[]> Writes { get; } = new();

    /// <summary>Whether <see cref="Writes"/> records (off while a test sets the scene).</summary>
    public bool Recording { get; set; } = true;

    /// <summary>The chip's answer to one CS frame: the read buffer, as long as <paramref name="written"/>.</summary>
    public abstract byte[] Answer(byte[] written);

    /// <inheritdoc/>
    public sealed override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length) throw new ArgumentException("TransferFullDuplex needs equal lengths (UnixSpiDevice does too).");
        byte[] written = writeBuffer.ToArray();
        if (Recording) Writes.Add(written);
        byte[] answer = Answer(written);
        answer.AsSpan(0, readBuffer.Length).CopyTo(readBuffer);
    }
}
