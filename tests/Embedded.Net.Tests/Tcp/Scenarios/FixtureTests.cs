using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Tcp.Scenarios;

/// <summary>Every state builder reaches its state with the exact segments it expects.</summary>
public sealed class FixtureTests
{
    [Fact]
    public void Builders_reach_their_states()
    {
        new TcpFixture().Established();
        new TcpFixture().EstablishedActive();
        new TcpFixture().FinWait1();
        new TcpFixture().FinWait2();
        new TcpFixture().Closing();
        new TcpFixture().TimeWait();
        new TcpFixture().CloseWait();
        new TcpFixture().LastAck();
        new TcpFixture().SynSent();
        new TcpFixture().SynReceived();
    }
}
