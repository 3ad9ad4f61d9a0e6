namespace Embedded.Net.Http.Status;

/// <summary>
/// An extra section of the status page, implemented by the host (driver SPI counters, service counters, ...).
/// Called on the network thread while the page renders; must not block or allocate.
/// </summary>
public interface IStatusSection
{
    /// <summary>The section's title and JSON key (for example "spi").</summary>
    string Name { get; }

    /// <summary>Writes the section's name/value pairs with <see cref="StatusSectionWriter.Add(ReadOnlySpan{char}, long)"/>.</summary>
    void WriteStatus(ref StatusSectionWriter writer);
}
