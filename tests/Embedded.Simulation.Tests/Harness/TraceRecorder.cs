using System.Buffers.Binary;
using System.IO;
using Embedded.Net.Phy;
using Embedded.Net.Time;

namespace Embedded.Simulation.Tests.Harness;

/// <summary>
/// One node's <see cref="ITraceSink"/>: appends every frame its <see cref="TracerDevice"/> sees to a stream
/// shared by all nodes of a simulation, as [node][direction][time µs][length][bytes], so the interleaving
/// across nodes is part of the trace. Optionally also formats a readable line per frame for replays.
/// </summary>
public sealed class TraceRecorder : ITraceSink
{
    private readonly Stream _output;
    private readonly byte _node;
    private readonly string _name;
    private readonly System.Text.StringBuilder? _text;
    private readonly byte[] _header = new byte[14];

    public TraceRecorder(Stream output, int node, string name, System.Text.StringBuilder? text)
    {
        _output = output;
        _node = (byte)node;
        _name = name;
        _text = text;
    }

    public void OnFrame(bool transmitted, Instant at, ReadOnlySpan<byte> frame)
    {
        Span<byte> header = _header;
        header[0] = _node;
        header[1] = transmitted ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header.Slice(2), at.Microseconds);
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(10), frame.Length);
        _output.Write(header);
        _output.Write(frame);
        if (_text is not null) _text.Append(FrameFormatter.Format(at, _name, transmitted, frame)).Append('\n');
    }
}
