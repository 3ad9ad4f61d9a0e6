using Xunit;
using System.Text;
using Embedded.Net.Http.Tests.Support;
using Embedded.Net.Sockets;
using Embedded.Net.Time;

namespace Embedded.Net.Http.Tests.Server;

/// <summary>
/// Steady state allocates nothing: after a warm-up, 10,000 keep-alive requests (constant page, streamed bytes,
/// rendered status page in JSON and HTML, 404, HEAD) through both stacks and the server, measured with
/// GC.GetAllocatedBytesForCurrentThread around a client loop that itself allocates nothing.
/// </summary>
[Collection(Embedded.Net.Http.Tests.AllocationMeasurementCollection.Name)]
public sealed class AllocationTests
{
    /// <summary>An allocation-free keep-alive client: preallocated requests and buffer, an incremental response reader.</summary>
    private sealed class LoopClient
    {
        private readonly HttpNet _net;
        private readonly SocketHandle _socket;
        private readonly byte[][] _requests;
        private readonly bool[] _isHead;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _length;

        public LoopClient(HttpNet net, TestClient connected, string[] requests)
        {
            _net = net;
            _socket = connected.Socket;
            _requests = new byte[requests.Length][];
            _isHead = new bool[requests.Length];
            for (int i = 0; i < requests.Length; i++)
            {
                _requests[i] = Encoding.ASCII.GetBytes(requests[i]);
                _isHead[i] = requests[i].StartsWith("HEAD", StringComparison.Ordinal);
            }
        }

        public long BodyBytes { get; private set; }

        public int Failures { get; private set; }

        /// <summary>Sends request <paramref name="n"/> (mod the table) and steps until its whole response is read; returns its status.</summary>
        public int RoundTrip(int n)
        {
            int which = n % _requests.Length;
            byte[] request = _requests[which];
            if (_net.A.Tcp.Send(_socket, request, out int sent) != SocketError.Success || sent != request.Length)
            {
                Failures++;
                return 0;
            }
            for (int step = 0; step < 10_000; step++)
            {
                _net.Step(Duration.FromMilliseconds(50));
                while (_length < _buffer.Length && _net.A.Tcp.Receive(_socket, _buffer.AsSpan(_length), out int received) == SocketError.Success && received > 0)
                    _length += received;
                int status = TryTake(_isHead[which]);
                if (status != 0) return status;
            }
            Failures++;
            return 0;
        }

        private int TryTake(bool head)
        {
            ReadOnlySpan<byte> data = _buffer.AsSpan(0, _length);
            int end = data.IndexOf("\r\n\r\n"u8);
            if (end < 0) return 0;
            int status = ((data[9] - '0') * 100) + ((data[10] - '0') * 10) + (data[11] - '0');
            long length = 0;
            int at = data.Slice(0, end).IndexOf("Content-Length: "u8);
            if (at >= 0)
            {
                for (int i = at + 16; i < end && data[i] != '\r'; i++) length = (length * 10) + (data[i] - '0');
            }
            if (head) length = 0;
            int total = end + 4 + (int)length;
            if (_length < total) return 0;
            BodyBytes += length;
            _buffer.AsSpan(total, _length - total).CopyTo(_buffer);
            _length -= total;
            return status;
        }
    }

    [Fact]
    public void Ten_thousand_keep_alive_requests_allocate_nothing()
    {
        var net = new HttpNet();
        TestClient connected = net.Connect();
        const string Host = "Host: 192.0.2.2\r\n";
        var client = new LoopClient(net, connected,
        [
            "GET / HTTP/1.1\r\n" + Host + "\r\n",
            "GET /bytes/3000 HTTP/1.1\r\n" + Host + "User-Agent: test\r\n\r\n",
            "GET /status?format=json HTTP/1.1\r\n" + Host + "\r\n",
            "GET /missing HTTP/1.1\r\n" + Host + "\r\n",
            "HEAD /bytes/100 HTTP/1.1\r\n" + Host + "\r\n",
            "GET /status HTTP/1.1\r\n" + Host + "\r\n",
            "GET /bytes/1 HTTP/1.1\r\n" + Host + "\r\n",
        ]);
        int[] expected = [200, 200, 200, 404, 200, 200, 200];

        for (int i = 0; i < 700; i++) Assert.Equal(expected[i % expected.Length], client.RoundTrip(i));

        int wrong = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            if (client.RoundTrip(i) != expected[i % expected.Length]) wrong++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, wrong);
        Assert.Equal(0, client.Failures);
        Assert.Equal(0, allocated);
        Assert.Equal(1, net.Server.Counters[HttpCounter.ConnectionsAccepted]);
        Assert.Equal(10_700, net.Server.Counters[HttpCounter.Responses]);
    }
}
