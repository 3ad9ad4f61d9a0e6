using System.IO;
using Microsoft.Extensions.Logging;

namespace Embedded.Device;

/// <summary>
/// A minimal <see cref="ILogger"/> that writes one line per message to stderr, prefixed by the level
/// ("info: ..."). A disabled level costs one comparison; nothing is allocated for it.
/// </summary>
public sealed class StderrLogger : ILogger
{
    private readonly LogLevel _minimum;
    private readonly TextWriter _output;
    private readonly object _gate = new();

    /// <summary>A logger that writes messages at <paramref name="minimum"/> and above to <paramref name="output"/> (stderr by default).</summary>
    public StderrLogger(LogLevel minimum, TextWriter? output = null)
    {
        _minimum = minimum;
        _output = output ?? Console.Error;
    }

    /// <summary>True when <paramref name="logLevel"/> is written.</summary>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    /// <summary>Scopes are not supported; returns null.</summary>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <summary>Writes one line for an enabled message (with the exception's message, if any).</summary>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel)) return;
        string message = formatter(state, exception);
        lock (_gate)
        {
            _output.Write(Prefix(logLevel));
            _output.Write(message);
            if (exception is not null)
            {
                _output.Write(": ");
                _output.Write(exception.Message);
            }
            _output.WriteLine();
            _output.Flush();
        }
    }

    private static string Prefix(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce: ",
        LogLevel.Debug => "dbug: ",
        LogLevel.Information => "info: ",
        LogLevel.Warning => "warn: ",
        LogLevel.Error => "fail: ",
        _ => "crit: ",
    };
}
