namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>One namespace, TAP and running device shared by the tests of a class; torn down even when start-up fails.</summary>
public sealed class DeviceFixture : IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly DeviceProcess _device;

    /// <summary>Creates the namespace and TAP and starts the device (waits for "ready").</summary>
    public DeviceFixture()
    {
        _namespace = NetworkNamespace.Create();
        try
        {
            _device = DeviceProcess.Start(_namespace);
        }
        catch
        {
            _namespace.Dispose();
            throw;
        }
    }

    /// <summary>The namespace the device runs in.</summary>
    public NetworkNamespace Namespace => _namespace;

    /// <summary>The running device.</summary>
    public DeviceProcess Device => _device;

    /// <summary>Stops the device (SIGTERM, then kill) and deletes the namespace.</summary>
    public void Dispose()
    {
        try
        {
            _device.Dispose();
        }
        finally
        {
            _namespace.Dispose();
        }
    }
}
