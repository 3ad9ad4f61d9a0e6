using System.IO;
using System.Text.RegularExpressions;

namespace Embedded.Net.Tests.Docs;

/// <summary>
/// Keeps docs/rfc-requirements.md honest: every test it cites exists as a [Fact] or [Theory], every
/// source file it cites exists, every row's status is one of the documented five and agrees with its
/// evidence, and the summary counts agree with the rows. A renamed or deleted test fails here.
/// </summary>
public sealed partial class RfcTableTests
{
    private const string DocPath = "docs/rfc-requirements.md";
    private const string InProgress = " (in progress)";

    private static readonly string[] Levels = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"];

    private static readonly string[] Statuses = ["Implemented", "Implemented, untested", "Partial", "Not implemented", "N/A"];

    [GeneratedRegex(@"`(Embedded\.[A-Za-z.]+Tests)/([A-Za-z0-9_/]+\.cs): ([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex TestReference();

    [GeneratedRegex(@"`(src/[A-Za-z0-9_./]+\.cs)`")]
    private static partial Regex SourceReference();

    private sealed record Row(string Section, string Id, string Level, string Status, string Evidence, int Line);

    private sealed record Document(List<Row> Rows, Dictionary<string, int[]> Summary);

    [Fact]
    public void Every_cited_test_exists_as_a_fact_or_theory()
    {
        string root = RepositoryRoot();
        Document doc = Load(root);
        var failures = new List<string>();
        int cited = 0;
        foreach (Row row in doc.Rows)
        {
            foreach (Match m in TestReference().Matches(row.Evidence))
            {
                cited++;
                string problem = CheckTest(root, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
                if (problem.Length > 0) failures.Add($"{DocPath}:{row.Line} {row.Section} {row.Id}: {problem}");
            }
        }
        Assert.True(cited > 0, "no test references found: the table format changed and the checker no longer reads it");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_cited_source_file_exists()
    {
        string root = RepositoryRoot();
        var failures = new List<string>();
        foreach (Row row in Load(root).Rows)
        {
            foreach (Match m in SourceReference().Matches(row.Evidence))
            {
                if (!File.Exists(Path.Combine(root, m.Groups[1].Value)))
                    failures.Add($"{DocPath}:{row.Line} {row.Section} {row.Id}: {m.Groups[1].Value} does not exist");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_row_has_a_known_level_and_a_status_its_evidence_supports()
    {
        Document doc = Load(RepositoryRoot());
        var failures = new List<string>();
        var seen = new HashSet<string>();
        foreach (Row row in doc.Rows)
        {
            string where = $"{DocPath}:{row.Line} {row.Section} {row.Id}";
            if (!seen.Add(row.Section + "\n" + row.Id)) failures.Add(where + ": the ID appears twice in its table");
            if (Array.IndexOf(Levels, row.Level) < 0) failures.Add(where + $": level '{row.Level}' is not one of {string.Join(", ", Levels)}");
            string status = BaseStatus(row.Status);
            int tests = TestReference().Matches(row.Evidence).Count;
            int sources = SourceReference().Matches(row.Evidence).Count;
            switch (status)
            {
                case "Implemented" when tests == 0:
                    failures.Add(where + ": Implemented but cites no test (say 'Implemented, untested' and cite the source file)");
                    break;
                case "Implemented, untested" when tests > 0 || sources == 0:
                    failures.Add(where + ": 'Implemented, untested' must cite the source file that implements it and no test");
                    break;
                case "Partial" or "Not implemented" or "N/A" when row.Evidence.Length < 10:
                    failures.Add(where + ": a " + status + " row must say why");
                    break;
                default:
                    if (Array.IndexOf(Statuses, status) < 0) failures.Add(where + $": status '{row.Status}' is not one of {string.Join(", ", Statuses)}");
                    break;
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Summary_counts_match_the_rows()
    {
        Document doc = Load(RepositoryRoot());
        var counted = new Dictionary<string, int[]>();
        foreach (Row row in doc.Rows)
        {
            if (!counted.TryGetValue(row.Section, out int[]? c)) counted[row.Section] = c = new int[6];
            string status = BaseStatus(row.Status);
            int column = status switch
            {
                "Implemented" or "Implemented, untested" => 0,
                "Partial" => 2,
                "Not implemented" => 3,
                _ => 4,
            };
            c[column]++;
            if (status == "Implemented, untested") c[1]++;
            c[5]++;
        }
        Assert.NotEmpty(counted);
        var failures = new List<string>();
        foreach ((string section, int[] expected) in counted)
        {
            if (!doc.Summary.TryGetValue(section, out int[]? actual))
                failures.Add($"the summary has no row for '{section}'");
            else if (!expected.AsSpan().SequenceEqual(actual))
                failures.Add($"summary row '{section}' says {string.Join(" | ", actual)}, the rows give {string.Join(" | ", expected)}");
        }
        foreach (string section in doc.Summary.Keys)
        {
            if (!counted.ContainsKey(section)) failures.Add($"summary row '{section}' has no table (its heading must be '## {section}: ...')");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string BaseStatus(string status)
        => status.EndsWith(InProgress, StringComparison.Ordinal) ? status[..^InProgress.Length] : status;

    /// <summary>Empty when tests/<paramref name="project"/>/<paramref name="path"/> declares the class and a test method of that name.</summary>
    private static string CheckTest(string root, string project, string path, string className, string method)
    {
        string file = Path.Combine(root, "tests", project, path);
        if (!File.Exists(file)) return $"tests/{project}/{path} does not exist";
        string[] lines = File.ReadAllLines(file);
        if (!Array.Exists(lines, l => Regex.IsMatch(l, @"\bclass " + className + @"\b"))) return $"tests/{project}/{path} declares no class {className}";
        var declaration = new Regex(@"\b(void|Task) " + method + @"\(");
        for (int i = 0; i < lines.Length; i++)
        {
            if (!declaration.IsMatch(lines[i])) continue;
            // Walk up over the attribute lines (and comments) that precede the method.
            for (int j = i - 1; j >= 0; j--)
            {
                string above = lines[j].Trim();
                if (above.StartsWith("[Fact", StringComparison.Ordinal) || above.StartsWith("[Theory", StringComparison.Ordinal)) return "";
                if (!(above.StartsWith('[') || above.StartsWith("//", StringComparison.Ordinal) || above.StartsWith("///", StringComparison.Ordinal) || above.Length == 0))
                    break;
            }
            return $"{className}.{method} in tests/{project}/{path} is not a [Fact] or [Theory]";
        }
        return $"tests/{project}/{path} has no test method {method}";
    }

    private static Document Load(string root)
    {
        string[] lines = File.ReadAllLines(Path.Combine(root, DocPath));
        var rows = new List<Row>();
        var summary = new Dictionary<string, int[]>();
        string section = "";
        bool requirementTable = false, summaryTable = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                string heading = line[3..];
                int colon = heading.IndexOf(':', StringComparison.Ordinal);
                section = colon >= 0 ? heading[..colon].Trim() : heading.Trim();
                requirementTable = summaryTable = false;
                continue;
            }
            if (!line.StartsWith('|'))
            {
                requirementTable = summaryTable = false;
                continue;
            }
            string[] cells = line.Trim('|').Split('|');
            for (int c = 0; c < cells.Length; c++) cells[c] = cells[c].Trim();
            if (cells[0] == "ID") { requirementTable = true; continue; }
            if (cells[0] == "RFC" && section == "Summary") { summaryTable = true; continue; }
            if (Array.TrueForAll(cells, c => c.Length > 0 && c.Trim('-', ':').Length == 0)) continue; // the |---| line
            if (requirementTable)
            {
                Assert.True(cells.Length == 5, $"{DocPath}:{i + 1}: a requirement row needs 5 cells (ID, Level, Requirement, Status, Evidence), found {cells.Length}");
                rows.Add(new Row(section, cells[0], cells[1], cells[3], cells[4], i + 1));
            }
            else if (summaryTable)
            {
                Assert.True(cells.Length == 7, $"{DocPath}:{i + 1}: a summary row needs 7 cells, found {cells.Length}");
                var counts = new int[6];
                for (int c = 0; c < 6; c++)
                {
                    Assert.True(int.TryParse(cells[c + 1], out counts[c]), $"{DocPath}:{i + 1}: '{cells[c + 1]}' is not a count");
                }
                summary[cells[0]] = counts;
            }
        }
        return new Document(rows, summary);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln")) && File.Exists(Path.Combine(dir.FullName, DocPath))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find Embedded.sln with " + DocPath + " above " + AppContext.BaseDirectory);
    }
}
