namespace Embedded.Fuzz;

/// <summary>
/// Adds AFL's edge-coverage instrumentation to the code under test with SharpFuzz's library API (no dotnet
/// tool needed): the stack, the HTTP server, the network services (DHCP, DNS, mDNS) and the chip emulators, in place, in a copy of the build output.
/// The harness itself and the BCL stay uninstrumented, so coverage means coverage of our code.
/// </summary>
public static class Instrumentation
{
    /// <summary>The assemblies whose code the fuzzer should see.</summary>
    public static readonly string[] Assemblies = ["Embedded.Net.dll", "Embedded.Net.Http.dll", "Embedded.Net.Services.dll", "Embedded.Hardware.Emulators.dll"];

    /// <summary>Instruments <see cref="Assemblies"/> found in <paramref name="directory"/>; returns the process exit code.</summary>
    public static int Run(string directory)
    {
        int done = 0;
        foreach (string name in Assemblies)
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine("instrument: " + path + " not found");
                return 1;
            }
            string prefix = Path.GetFileNameWithoutExtension(name);
            SharpFuzz.Fuzzer.Instrument(path, type => type.StartsWith(prefix, StringComparison.Ordinal), SharpFuzz.Options.Value);
            done++;
            Console.WriteLine("instrumented " + path);
        }
        return done == Assemblies.Length ? 0 : 1;
    }
}
