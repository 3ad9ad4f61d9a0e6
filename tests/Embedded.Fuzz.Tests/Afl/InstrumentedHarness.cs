namespace Embedded.Fuzz.Tests.Afl;

/// <summary>
/// A copy of the harness and the stack's assemblies in a temporary folder, instrumented for AFL by the harness's
/// own <c>instrument</c> mode (SharpFuzz's library API). The test's own assemblies stay uninstrumented.
/// </summary>
public sealed class InstrumentedHarness : IDisposable
{
    /// <summary>Copies and instruments (only when afl-fuzz is installed; the tests are skipped otherwise).</summary>
    public InstrumentedHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "embedded-fuzz-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        HarnessDirectory = Path.Combine(Root, "harness");
        if (AflFuzz.SkipReason is not null) return;
        Directory.CreateDirectory(HarnessDirectory);
        foreach (string file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(HarnessDirectory, Path.GetFileName(file)), overwrite: true);
        }
        InstrumentResult = Instrumentation.Run(HarnessDirectory);
    }

    /// <summary>The temporary folder (deleted on dispose).</summary>
    public string Root { get; }

    /// <summary>The instrumented copy of the harness.</summary>
    public string HarnessDirectory { get; }

    /// <summary>The instrument step's exit code (0 = done).</summary>
    public int InstrumentResult { get; } = -1;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
