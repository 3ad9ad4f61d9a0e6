namespace Embedded.Net.Http.Client;

public sealed partial class HttpResponseReader
{
    private enum ChunkStep : byte
    {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        Trailer,
    }

    /// <summary>Where the chunked decoder stands between calls (a byte-at-a-time machine outside chunk data).</summary>
    private struct ChunkState
    {
        public ChunkStep Step;
        public int Digits;
        public long Size;
        public int ExtensionBytes;
        public int TrailerBytes;
        public int TrailerLine;
        public bool SawCr;
    }

    /// <summary>A chunk size has at most this many hex digits (2^60 bytes), so the size never overflows.</summary>
    private const int MaxChunkSizeDigits = 15;

    private ChunkState _chunk;

    /// <summary>chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 7.1); chunk data goes to the sink in place.</summary>
    private HttpReadStatus Chunked(ReadOnlySpan<byte> data, IHttpBodySink sink)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_chunk.Step == ChunkStep.Data)
            {
                int take = (int)Math.Min(_chunk.Size, data.Length - i);
                Deliver(data.Slice(i, take), sink);
                _chunk.Size -= take;
                i += take;
                if (_chunk.Size == 0) _chunk.Step = ChunkStep.DataCr;
                continue;
            }
            HttpResponseProblem problem = ChunkByte(data[i++]);
            if (problem != HttpResponseProblem.None) return Fail(problem);
            if (_phase == Phase.Complete) return i < data.Length ? Fail(HttpResponseProblem.ExtraBytes) : Status;
        }
        return Status;
    }

    /// <summary>One byte of framing: size line, the CRLF after data, or the trailer section.</summary>
    private HttpResponseProblem ChunkByte(byte b)
    {
        switch (_chunk.Step)
        {
            case ChunkStep.Size:
                int digit = HexValue(b);
                if (digit >= 0)
                {
                    if (++_chunk.Digits > MaxChunkSizeDigits) return HttpResponseProblem.ChunkSize;
                    _chunk.Size = (_chunk.Size << 4) | (uint)digit;
                    return HttpResponseProblem.None;
                }
                if (_chunk.Digits == 0) return HttpResponseProblem.ChunkSize;
                if (_chunk.Size > _limits.MaxBodyBytes - _bodyBytes) return HttpResponseProblem.BodyTooLarge;
                if (b == '\r')
                {
                    _chunk.Step = ChunkStep.SizeLf;
                    return HttpResponseProblem.None;
                }
                if (b is (byte)';' or (byte)' ' or (byte)'\t')
                {
                    _chunk.Step = ChunkStep.Extension; // chunk-ext (RFC 9112 7.1.1): skipped, bounded
                    _chunk.ExtensionBytes = 1;
                    return HttpResponseProblem.None;
                }
                return HttpResponseProblem.ChunkSize;
            case ChunkStep.Extension:
                if (b == '\r')
                {
                    _chunk.Step = ChunkStep.SizeLf;
                    return HttpResponseProblem.None;
                }
                if (b == '\n' || ++_chunk.ExtensionBytes > _limits.MaxChunkExtensionBytes) return HttpResponseProblem.ChunkSize;
                return HttpResponseProblem.None;
            case ChunkStep.SizeLf:
                if (b != '\n') return HttpResponseProblem.ChunkSize;
                _chunk.Step = _chunk.Size == 0 ? ChunkStep.Trailer : ChunkStep.Data;
                _chunk.Digits = 0;
                return HttpResponseProblem.None;
            case ChunkStep.DataCr:
                if (b != '\r') return HttpResponseProblem.ChunkFraming;
                _chunk.Step = ChunkStep.DataLf;
                return HttpResponseProblem.None;
            case ChunkStep.DataLf:
                if (b != '\n') return HttpResponseProblem.ChunkFraming;
                _chunk.Step = ChunkStep.Size;
                _chunk.Size = 0;
                return HttpResponseProblem.None;
            default:
                return TrailerByte(b);
        }
    }

    /// <summary>trailer-section = *( field-line CRLF ), then CRLF: skipped within a byte bound; CR and LF only as a pair.</summary>
    private HttpResponseProblem TrailerByte(byte b)
    {
        if (b == '\n')
        {
            if (!_chunk.SawCr) return HttpResponseProblem.ChunkFraming;
            _chunk.SawCr = false;
            if (_chunk.TrailerLine == 0) _phase = Phase.Complete;
            _chunk.TrailerLine = 0;
            return HttpResponseProblem.None;
        }
        if (_chunk.SawCr) return HttpResponseProblem.ChunkFraming;
        if (++_chunk.TrailerBytes > _limits.MaxTrailerBytes) return HttpResponseProblem.ChunkFraming;
        if (b == '\r') _chunk.SawCr = true;
        else _chunk.TrailerLine++;
        return HttpResponseProblem.None;
    }

    private static int HexValue(byte b)
    {
        if ((uint)(b - '0') <= 9) return b - '0';
        int lower = b | 0x20;
        return (uint)(lower - 'a') <= 5 ? lower - 'a' + 10 : -1;
    }
}
