namespace Embedded.Fuzz.Tests;

/// <summary>The checked-in seed corpus, as copied next to the harness (corpus/TARGET/*.bin).</summary>
public static class CorpusFiles
{
    /// <summary>The corpus folder next to the test assembly.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>The seed files of <paramref name="target"/>, sorted.</summary>
    public static string[] Of(string target)
    {
        string folder = Path.Combine(Root, target);
        if (!Directory.Exists(folder)) return [];
        string[] files = Directory.GetFiles(folder, "*.bin");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>Every target name, as xunit theory data.</summary>
    public static TheoryData<string> TargetNames()
    {
        var data = new TheoryData<string>();
        foreach (IFuzzTarget target in FuzzTargets.All()) data.Add(target.Name);
        return data;
    }
}
