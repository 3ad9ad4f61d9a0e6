using System.Security.Cryptography;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp;

public sealed class TcpSmokeTests
{
    [Fact]
    public void Connect_exchange_and_close_between_two_stacks()
    {
        var net = new TwoStacks();
        Assert.Equal(SocketError.Success, net.B.Tcp.Listen(80, 4, out var listener));
        Assert.Equal(SocketError.Success, net.A.Tcp.Connect(new IpEndpoint(TwoStacks.AddressB, 80), net.Now, out var client));
        SocketHandle server = default;
        Assert.True(net.RunUntil(() => net.B.Tcp.Accept(listener, out server) == SocketError.Success, Duration.FromSeconds(5)));
        Assert.True(net.RunUntil(() => net.A.Tcp.GetState(client) == TcpState.Established, Duration.FromSeconds(5)));

        var data = RandomNumberGenerator.GetBytes(1 << 20);
        var received = new MemoryStreamSink();
        int sent = 0;
        var buffer = new byte[4096];
        bool ok = net.RunUntil(() =>
        {
            if (sent < data.Length && net.A.Tcp.Send(client, data.AsSpan(sent), out int n) == SocketError.Success) sent += n;
            while (net.B.Tcp.Receive(server, buffer, out int r) == SocketError.Success && r > 0) received.Write(buffer.AsSpan(0, r));
            return received.Length == data.Length;
        }, Duration.FromSeconds(60));
        Assert.True(ok, $"received {received.Length} of {data.Length}, sent {sent}");
        Assert.True(received.ToArray().AsSpan().SequenceEqual(data));

        net.A.Tcp.Close(client, net.Now);
        Assert.True(net.RunUntil(() => net.B.Tcp.Receive(server, buffer, out int r) == SocketError.Success && r == 0, Duration.FromSeconds(5)));
        net.B.Tcp.Close(server, net.Now);
        Assert.True(net.RunUntil(() => net.B.Tcp.InUse == 0, Duration.FromSeconds(5)));
        Assert.True(net.RunUntil(() => net.A.Tcp.InUse == 0, Duration.FromSeconds(120)));
    }

    private sealed class MemoryStreamSink
    {
        private readonly System.IO.MemoryStream _stream = new();
        public long Length => _stream.Length;
        public void Write(ReadOnlySpan<byte> data) => _stream.Write(data);
        public byte[] ToArray() => _stream.ToArray();
    }
}
