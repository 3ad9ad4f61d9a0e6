using Embedded.Net.Sockets;
using Embedded.Net.Tests.Support;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp;

public sealed class ConstantSendTests
{
    [Fact]
    public void A_page_larger_than_the_send_ring_is_served_from_its_own_bytes_under_loss()
    {
        var page = new byte[20_000];
        for (int i = 0; i < page.Length; i++) page[i] = (byte)(i % 251);
        var net = new TwoStacks(o => new StackOptions
        {
            Mac = o.Mac, Address = o.Address, PrefixLength = o.PrefixLength,
            TcpSendBufferBytes = 256, TcpReceiveBufferBytes = 4096,
        }, wrap: (d, i) => new Embedded.Net.Phy.FaultInjectorDevice(d, new ManualClockHolder().Clock, 7,
            i == 0 ? new Embedded.Net.Phy.FaultOptions { LossPercent = 10 } : null));
        net.B.Tcp.Listen(80, 2, out var listener);
        net.A.Tcp.Connect(new IpEndpoint(TwoStacks.AddressB, 80), net.Now, out var client);
        SocketHandle server = default;
        Assert.True(net.RunUntil(() => net.B.Tcp.Accept(listener, out server) == SocketError.Success, Duration.FromSeconds(10)));
        Assert.Equal(SocketError.Success, net.B.Tcp.SendConstant(server, page));
        Assert.Equal(SocketError.Success, net.B.Tcp.Send(server, "tail"u8, out int n));
        Assert.Equal(4, n);
        net.B.Tcp.Close(server, net.Now);
        var got = new List<byte>();
        var buffer = new byte[1500];
        Assert.True(net.RunUntil(() =>
        {
            SocketError e;
            while ((e = net.A.Tcp.Receive(client, buffer, out int r)) == SocketError.Success && r > 0) got.AddRange(buffer.AsSpan(0, r).ToArray());
            return e == SocketError.Success && got.Count == page.Length + 4;
        }, Duration.FromSeconds(120)));
        Assert.Equal(page, got.GetRange(0, page.Length).ToArray());
        Assert.Equal("tail"u8.ToArray(), got.GetRange(page.Length, 4).ToArray());
    }

    /// <summary>The fault injectors in these tests do not delay, so any clock will do.</summary>
    private sealed class ManualClockHolder
    {
        public ManualClock Clock { get; } = new();
    }
}
