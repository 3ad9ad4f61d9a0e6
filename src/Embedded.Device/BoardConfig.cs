using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Embedded.Net.Iface.Filter;
using Embedded.Net.Wire;

namespace Embedded.Device;

/// <summary>
/// A board described as data (<c>boards/NAME/board.json</c>, DESIGN.md section 6): the chip, its SPI bus,
/// chip select, clock and mode, the INT and RESET GPIOs, an optional MAC, and whether the chip is emulated.
/// </summary>
public sealed class BoardConfig
{
    /// <summary>The fastest SPI clock the ENC28J60 accepts (datasheet: 20 MHz).</summary>
    public const int Enc28j60MaxClockHz = 20_000_000;

    /// <summary>The fastest SPI clock the W5500 accepts (datasheet headline: 80 MHz; chips.md B1).</summary>
    public const int W5500MaxClockHz = 80_000_000;

    /// <summary>The board file this came from.</summary>
    public string Path { get; private init; } = string.Empty;

    /// <summary>The board's name (its folder name unless the file gives one).</summary>
    public string Name { get; private init; } = string.Empty;

    /// <summary>The chip, lower case ("enc28j60" or "w5500").</summary>
    public string Chip { get; private init; } = string.Empty;

    /// <summary>True when the chip is the register-level emulator attached to <c>--tap</c>.</summary>
    public bool Emulated { get; private init; }

    /// <summary>The SPI bus number (spidevB.C).</summary>
    public int SpiBus { get; private init; }

    /// <summary>The SPI chip select (spidevB.C).</summary>
    public int ChipSelect { get; private init; }

    /// <summary>The SPI clock in Hz.</summary>
    public int ClockHz { get; private init; }

    /// <summary>The SPI mode (always 0 for the ENC28J60; 0 or 3 for the W5500).</summary>
    public int SpiMode { get; private init; }

    /// <summary>The GPIO wired to INT, or -1 to poll.</summary>
    public int InterruptGpio { get; private init; }

    /// <summary>The GPIO wired to RESET, or -1 for a soft reset.</summary>
    public int ResetGpio { get; private init; }

    /// <summary>The board's MAC address, if the file gives one (<c>--mac</c> overrides it).</summary>
    public MacAddress? Mac { get; private init; }

    /// <summary>Packet filter rules from the optional "filter" array of rule strings (see <see cref="FilterRule"/>), after any --filter.</summary>
    public IReadOnlyList<FilterRule> FilterRules { get; private init; } = [];

    /// <summary>
    /// Resolves <paramref name="nameOrPath"/> (a folder name under <c>boards/</c>, found by searching upward
    /// from the program's directory, or a path to a board.json or its folder) and loads it. On failure
    /// <paramref name="error"/> is one line naming the field and the file.
    /// </summary>
    public static bool TryLoad(string nameOrPath, out BoardConfig board, out string error)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        board = new BoardConfig();
        string? path = Resolve(nameOrPath);
        if (path is null)
        {
            error = "unknown board '" + nameOrPath + "': no boards/" + nameOrPath + "/board.json above " + AppContext.BaseDirectory + " and no such file";
            return false;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = "cannot read the board file '" + path + "': " + e.Message;
            return false;
        }
        return TryParse(text, path, out board, out error);
    }

    /// <summary>Parses and validates board JSON <paramref name="json"/>; <paramref name="path"/> names the file in errors.</summary>
    public static bool TryParse(string json, string path, out BoardConfig board, out string error)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        board = new BoardConfig();
        string where = "board file '" + path + "'";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            error = where + ": not valid JSON: " + e.Message.Split('\n')[0];
            return false;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = where + ": must hold one JSON object";
                return false;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    error = where + ": field '" + property.Name + "' is given more than once";
                    return false;
                }
                if (property.Name is not ("name" or "description" or "chip" or "emulated" or "spiBus" or "chipSelect" or "clockHz" or "spiMode"
                    or "interruptGpio" or "resetGpio" or "mac" or "filter"))
                {
                    error = where + ": unknown field '" + property.Name + "'";
                    return false;
                }
            }

            string fallbackName = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))) ?? path;
            if (!TryString(root, "name", false, where, out string? name, out error)) return false;
            if (!TryString(root, "chip", true, where, out string? chip, out error)) return false;
            if (chip is not ("enc28j60" or "w5500"))
            {
                error = where + ": field 'chip' names unknown chip '" + chip + "' (known: enc28j60, w5500)";
                return false;
            }
            int maxClock = chip == "w5500" ? W5500MaxClockHz : Enc28j60MaxClockHz;
            bool emulated = false;
            if (root.TryGetProperty("emulated", out JsonElement emulatedElement))
            {
                if (emulatedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = where + ": field 'emulated' must be true or false";
                    return false;
                }
                emulated = emulatedElement.GetBoolean();
            }
            if (!TryInt(root, "spiBus", 0, int.MaxValue, where, out int bus, out error)) return false;
            if (!TryInt(root, "chipSelect", 0, int.MaxValue, where, out int chipSelect, out error)) return false;
            if (!TryInt(root, "clockHz", 1, int.MaxValue, where, out int clock, out error)) return false;
            if (clock > maxClock)
            {
                error = where + ": field 'clockHz' is " + clock.ToString(CultureInfo.InvariantCulture) + ", above the " + chip + "'s maximum of "
                    + maxClock.ToString(CultureInfo.InvariantCulture) + " Hz";
                return false;
            }
            if (!TryInt(root, "spiMode", 0, 3, where, out int mode, out error)) return false;
            if (chip == "w5500" && mode is not (0 or 3))
            {
                error = where + ": field 'spiMode' is " + mode.ToString(CultureInfo.InvariantCulture) + "; the w5500 supports SPI modes 0 and 3 only";
                return false;
            }
            if (chip == "enc28j60" && mode != 0)
            {
                error = where + ": field 'spiMode' is " + mode.ToString(CultureInfo.InvariantCulture) + "; the enc28j60 supports SPI mode 0 only";
                return false;
            }
            if (!TryInt(root, "interruptGpio", -1, 1023, where, out int interrupt, out error)) return false;
            if (!TryInt(root, "resetGpio", -1, 1023, where, out int reset, out error)) return false;
            if (interrupt >= 0 && interrupt == reset)
            {
                error = where + ": field 'resetGpio' uses GPIO " + reset.ToString(CultureInfo.InvariantCulture) + ", already the interruptGpio";
                return false;
            }
            MacAddress? mac = null;
            if (root.TryGetProperty("mac", out _))
            {
                if (!TryString(root, "mac", true, where, out string? macText, out error)) return false;
                if (!MacAddress.TryParse(macText!, out MacAddress parsed) || !parsed.IsUnicast)
                {
                    error = where + ": field 'mac' needs a unicast MAC address like 02:00:00:00:00:02 (got '" + macText + "')";
                    return false;
                }
                mac = parsed;
            }

            if (!TryFilter(root, where, out List<FilterRule> filterRules, out error)) return false;

            board = new BoardConfig
            {
                FilterRules = filterRules,
                Path = path,
                Name = name ?? fallbackName,
                Chip = chip,
                Emulated = emulated,
                SpiBus = bus,
                ChipSelect = chipSelect,
                ClockHz = clock,
                SpiMode = mode,
                InterruptGpio = interrupt,
                ResetGpio = reset,
                Mac = mac,
            };
            error = string.Empty;
            return true;
        }
    }

    /// <summary>The optional "filter" field: an array of rule strings, each parsed as --filter parses one.</summary>
    private static bool TryFilter(JsonElement root, string where, out List<FilterRule> rules, out string error)
    {
        rules = [];
        error = string.Empty;
        if (!root.TryGetProperty("filter", out JsonElement array)) return true;
        if (array.ValueKind != JsonValueKind.Array)
        {
            error = where + ": field 'filter' must be an array of rule strings like \"drop tcp port 80\"";
            return false;
        }
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                error = where + ": field 'filter' must hold only strings";
                return false;
            }
            if (!FilterRule.TryParse(item.GetString(), out FilterRule rule, out string ruleError))
            {
                error = where + ": " + ruleError;
                return false;
            }
            rules.Add(rule);
        }
        return true;
    }

    private static string? Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return System.IO.Path.GetFullPath(nameOrPath);
        if (Directory.Exists(nameOrPath) && File.Exists(System.IO.Path.Combine(nameOrPath, "board.json")))
        {
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(nameOrPath, "board.json"));
        }
        if (nameOrPath.Length == 0 || nameOrPath.Contains('/', StringComparison.Ordinal) || nameOrPath is "." or "..") return null;
        for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "boards", nameOrPath, "board.json");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static bool TryString(JsonElement root, string field, bool required, string where, out string? value, out string error)
    {
        value = null;
        error = string.Empty;
        if (!root.TryGetProperty(field, out JsonElement element))
        {
            if (required) error = where + ": field '" + field + "' is missing";
            return !required;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            error = where + ": field '" + field + "' must be a string";
            return false;
        }
        value = element.GetString();
        return true;
    }

    private static bool TryInt(JsonElement root, string field, int min, int max, string where, out int value, out string error)
    {
        value = 0;
        error = string.Empty;
        if (!root.TryGetProperty(field, out JsonElement element))
        {
            error = where + ": field '" + field + "' is missing";
            return false;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out value) || value < min || value > max)
        {
            error = where + ": field '" + field + "' needs a whole number from " + min.ToString(CultureInfo.InvariantCulture) + " to "
                + max.ToString(CultureInfo.InvariantCulture) + " (got " + element.GetRawText() + ")";
            return false;
        }
        return true;
    }
}
