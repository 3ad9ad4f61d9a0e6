using System.IO;
using Embedded.Drivers.Enc28j60;
using Embedded.Drivers.W5500;
using Embedded.Net.Time;
using Microsoft.Extensions.Logging;

namespace Embedded.Device;

/// <summary>
/// Field diagnostics for a board's chip: watches the driver after every loop pass and logs each link
/// change ("link down" / "link up") and each chip re-initialisation with its reason, so a journal shows
/// when a cable was pulled or the chip browned out. Reads two fields per pass and allocates nothing
/// unless something changed.
/// </summary>
public sealed partial class ChipDiagnosticsService : IService
{
    private readonly IChipHealth _driver;
    private readonly string _where;
    private readonly ILogger _logger;
    private bool _linkUp;
    private long _reinitialisations;
    private long _linkDowns;
    private long _linkUps;

    /// <summary>Watches <paramref name="driver"/>, naming it <paramref name="where"/> in log lines.</summary>
    public ChipDiagnosticsService(IChipHealth driver, string where, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(logger);
        _driver = driver;
        _where = where;
        _logger = logger;
        _linkUp = driver.LinkUp;
        _reinitialisations = driver.Reinitialisations;
        if (!_linkUp) LogLinkDownAtStart(_logger, _where);
    }

    /// <inheritdoc/>
    public string Name => "Chip";

    /// <summary>Link downs seen since start-up.</summary>
    public long LinkDowns => _linkDowns;

    /// <summary>Link ups seen since start-up (not counting the state at start-up).</summary>
    public long LinkUps => _linkUps;

    /// <inheritdoc/>
    public bool Run(Instant now)
    {
        long resets = _driver.Reinitialisations;
        if (resets != _reinitialisations)
        {
            _reinitialisations = resets;
            LogChipReset(_logger, _where, _driver.LastResetReason, resets);
        }
        bool up = _driver.LinkUp;
        if (up == _linkUp) return false;
        _linkUp = up;
        if (up)
        {
            _linkUps++;
            LogLinkUp(_logger, _where);
        }
        else
        {
            _linkDowns++;
            LogLinkDown(_logger, _where);
        }
        return false; // nothing for the stack: the driver already refuses frames while the link is down
    }

    /// <inheritdoc/>
    public Instant RunAt(Instant now) => Instant.Never; // link and reset changes come with chip activity, which wakes the loop

    /// <inheritdoc/>
    public void ReportCounters(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("counter Chip.LinkDowns " + _linkDowns.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine("counter Chip.LinkUps " + _linkUps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine("counter Chip.Reinitialisations " + _reinitialisations.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "link down on {Where}")]
    private static partial void LogLinkDown(ILogger logger, string where);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "link up on {Where}")]
    private static partial void LogLinkUp(ILogger logger, string where);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "link down on {Where} at start-up: check the cable")]
    private static partial void LogLinkDownAtStart(ILogger logger, string where);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "chip reset on {Where}: {Reason} (re-initialisation {Count})")]
    private static partial void LogChipReset(ILogger logger, string where, string reason, long count);
}

/// <summary>What field diagnostics read of a chip's driver: the link, and how often and why it was re-initialised.</summary>
public interface IChipHealth
{
    /// <summary>The PHY's link state as the driver last saw it.</summary>
    bool LinkUp { get; }

    /// <summary>Re-initialisations since start-up.</summary>
    long Reinitialisations { get; }

    /// <summary>Why the last re-initialisation happened, as a fixed string (no formatting per read).</summary>
    string LastResetReason { get; }
}

/// <summary>The ENC28J60 driver's health.</summary>
public sealed class Enc28j60ChipHealth(Enc28j60Device driver) : IChipHealth
{
    /// <inheritdoc/>
    public bool LinkUp => driver.LinkUp;

    /// <inheritdoc/>
    public long Reinitialisations => driver.Counters.Reinitialisations;

    /// <inheritdoc/>
    public string LastResetReason => EnumNames<Enc28j60ResetReason>.Of(driver.Counters.LastResetReason);
}

/// <summary>The W5500 driver's health.</summary>
public sealed class W5500ChipHealth(W5500Device driver) : IChipHealth
{
    /// <inheritdoc/>
    public bool LinkUp => driver.LinkUp;

    /// <inheritdoc/>
    public long Reinitialisations => driver.Counters.Reinitialisations;

    /// <inheritdoc/>
    public string LastResetReason => EnumNames<W5500ResetReason>.Of(driver.Counters.LastResetReason);
}

/// <summary>Reset reasons as fixed strings, so /status and the log name them without formatting an enum.</summary>
public static class ResetReasonNames
{
    /// <summary>The name of <paramref name="reason"/> (for example "ChipStateLost"), or "Unknown".</summary>
    public static string Of(Enc28j60ResetReason reason) => EnumNames<Enc28j60ResetReason>.Of(reason);
}

/// <summary>An enum's names built once, looked up without allocating.</summary>
/// <typeparam name="T">An enum whose values are small non-negative integers.</typeparam>
public static class EnumNames<T>
    where T : struct, Enum
{
    private static readonly string[] Names = BuildNames();

    /// <summary>The name of <paramref name="value"/>, or "Unknown".</summary>
    public static string Of(T value)
    {
        int index = IndexOf(value);
        return (uint)index < (uint)Names.Length ? Names[index] : "Unknown";
    }

    // Reads the int behind the enum without boxing it (Convert.ToInt32 would box on every call).
    private static int IndexOf(T value) => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() == sizeof(int)
        ? System.Runtime.CompilerServices.Unsafe.As<T, int>(ref value) : -1;

    private static string[] BuildNames()
    {
        T[] values = Enum.GetValues<T>();
        int max = 0;
        foreach (T value in values) max = Math.Max(max, IndexOf(value));
        var names = new string[max + 1];
        for (int i = 0; i < names.Length; i++) names[i] = "Unknown";
        foreach (T value in values)
        {
            int index = IndexOf(value);
            if (index >= 0) names[index] = value.ToString();
        }
        return names;
    }
}
