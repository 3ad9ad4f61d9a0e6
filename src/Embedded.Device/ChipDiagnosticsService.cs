using System.IO;
using Embedded.Drivers.Enc28j60;
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
    private readonly Enc28j60Device _driver;
    private readonly string _where;
    private readonly ILogger _logger;
    private bool _linkUp;
    private long _reinitialisations;
    private long _linkDowns;
    private long _linkUps;

    /// <summary>Watches <paramref name="driver"/>, naming it <paramref name="where"/> in log lines.</summary>
    public ChipDiagnosticsService(Enc28j60Device driver, string where, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(where);
        ArgumentNullException.ThrowIfNull(logger);
        _driver = driver;
        _where = where;
        _logger = logger;
        _linkUp = driver.LinkUp;
        _reinitialisations = driver.Counters.Reinitialisations;
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
        long resets = _driver.Counters.Reinitialisations;
        if (resets != _reinitialisations)
        {
            _reinitialisations = resets;
            LogChipReset(_logger, _where, ResetReasonNames.Of(_driver.Counters.LastResetReason), resets);
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

/// <summary>Reset reasons as fixed strings, so /status and the log name them without formatting an enum.</summary>
public static class ResetReasonNames
{
    private static readonly string[] Names = BuildNames();

    /// <summary>The name of <paramref name="reason"/> (for example "ChipStateLost"), or "Unknown".</summary>
    public static string Of(Enc28j60ResetReason reason) => (uint)reason < (uint)Names.Length ? Names[(int)reason] : "Unknown";

    private static string[] BuildNames()
    {
        Enc28j60ResetReason[] values = Enum.GetValues<Enc28j60ResetReason>();
        int max = 0;
        foreach (Enc28j60ResetReason value in values) max = Math.Max(max, (int)value);
        var names = new string[max + 1];
        for (int i = 0; i < names.Length; i++) names[i] = "Unknown";
        foreach (Enc28j60ResetReason value in values) names[(int)value] = value.ToString();
        return names;
    }
}
