using Embedded.Net.Http.Client;

namespace Embedded.Net.Http.Tests.Client;

/// <summary>Keeps every body byte, for comparing whole bodies.</summary>
public sealed class CollectingSink : IHttpBodySink
{
    private readonly List<byte> _bytes = [];

    public int Calls { get; private set; }

    public byte[] Bytes => _bytes.ToArray();

    public string Text => System.Text.Encoding.ASCII.GetString(_bytes.ToArray());

    public void OnBody(ReadOnlySpan<byte> data)
    {
        Assert.False(data.IsEmpty, "the reader must never hand an empty span on");
        Calls++;
        foreach (byte b in data) _bytes.Add(b);
    }
}

/// <summary>Checks, without allocating, that byte i of the body is i mod 251 (the server's /bytes/N content).</summary>
public sealed class PatternSink : IHttpBodySink
{
    public long Count { get; private set; }

    public long Mismatches { get; private set; }

    public void Reset()
    {
        Count = 0;
        Mismatches = 0;
    }

    public void OnBody(ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != (byte)((Count + i) % 251)) Mismatches++;
        }
        Count += data.Length;
    }
}
