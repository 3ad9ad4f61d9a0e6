using Embedded.Fuzz;
using Embedded.Fuzz.Corpus;

// The fuzz harness program. Modes:
//   list                         the targets
//   afl TARGET                   run under afl-fuzz (SharpFuzz's fork server; input on stdin)
//   replay TARGET PATH...        run files (or every file of folders) once; exit 1 when one throws
//   instrument DIR               instrument the stack's assemblies in DIR in place (a copy of the build output)
//   corpus DIR                   regenerate the seed corpus under DIR/TARGET/
return args.Length == 0 ? Usage() : args[0] switch
{
    "list" => List(),
    "afl" when args.Length == 2 => Afl(args[1]),
    "replay" when args.Length >= 3 => Replay(args[1], args[2..]),
    "instrument" when args.Length == 2 => Instrumentation.Run(args[1]),
    "corpus" when args.Length == 2 => SeedCorpus.Write(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Embedded.Fuzz list | afl TARGET | replay TARGET PATH... | instrument DIR | corpus DIR");
    return 2;
}

static int List()
{
    foreach (IFuzzTarget target in FuzzTargets.All()) Console.WriteLine(target.Name.PadRight(14) + target.Description);
    return 0;
}

static IFuzzTarget? Target(string name)
{
    IFuzzTarget? target = FuzzTargets.Find(name);
    if (target is null) Console.Error.WriteLine("unknown target '" + name + "' (see: list)");
    return target;
}

static int Afl(string name)
{
    if (!FuzzTargets.Exists(name))
    {
        Console.Error.WriteLine("unknown target '" + name + "' (see: list)");
        return 2;
    }
    byte[] buffer = new byte[64 * 1024];
    IFuzzTarget? target = null;
    SharpFuzz.Fuzzer.Run(stream =>
    {
        // Built inside the fork server: instrumented code must not run before the coverage map exists.
        target ??= FuzzTargets.Find(name)!;
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        target.Run(buffer.AsSpan(0, length));
    });
    return 0;
}

static int Replay(string name, string[] paths)
{
    IFuzzTarget? target = Target(name);
    if (target is null) return 2;
    int files = 0;
    int failures = 0;
    foreach (string path in paths)
    {
        string[] list = Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : [path];
        Array.Sort(list, StringComparer.Ordinal);
        foreach (string file in list)
        {
            files++;
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // replay reports every finding, whatever its type
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                Console.WriteLine("CRASH " + file + ": " + e);
            }
        }
    }
    Console.WriteLine(name + ": " + files + " inputs replayed, " + failures + " crashed");
    return failures == 0 ? 0 : 1;
}
