using System.IO;

namespace Embedded.Integration.Tests.Deployment;

/// <summary>Where the deployment tests find the repository's scripts, unit files and published output.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding Embedded.sln, found upward from the test assembly.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("cannot find Embedded.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A path under the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);
}
