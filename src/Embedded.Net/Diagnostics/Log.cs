using Microsoft.Extensions.Logging;

namespace Embedded.Net.Diagnostics;

/// <summary>The stack's log lines, source-generated: a disabled line costs a level check and nothing else.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Address conflict: MAC {MacValue:x12} claims our IPv4 address")]
    public static partial void AddressConflict(ILogger logger, ulong macValue);
}
