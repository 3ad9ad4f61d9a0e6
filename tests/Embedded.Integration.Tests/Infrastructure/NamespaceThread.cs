using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>
/// Runs code on a thread of its own that has entered a test namespace (setns), so the test process can
/// open the namespace's TAP itself. A descriptor keeps the namespace it was opened in, so the TAP stays
/// usable from any thread afterwards.
/// </summary>
public static partial class NamespaceThread
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Runs <paramref name="action"/> inside <paramref name="ns"/> and returns its result (or rethrows).</summary>
    public static T Run<T>(NetworkNamespace ns, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle original = File.OpenHandle("/proc/thread-self/ns/net");
                using SafeFileHandle target = File.OpenHandle("/run/netns/" + ns.Name);
                if (SetNs(target, CloneNewNet) != 0) throw new IOException("setns into " + ns.Name + " failed: errno " + Marshal.GetLastPInvokeError());
                try
                {
                    result = action();
                }
                finally
                {
                    _ = SetNs(original, CloneNewNet);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(30))) throw new TimeoutException("the namespace thread did not finish in 30 s");
        if (failure is not null) throw new InvalidOperationException("failed inside namespace " + ns.Name + ": " + failure.Message, failure);
        return result;
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(SafeFileHandle fd, int nsType);
}
