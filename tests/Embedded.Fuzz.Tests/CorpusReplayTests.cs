using Embedded.Fuzz.Inbound;
using Embedded.Fuzz.Targets;
using Embedded.Net.Http;
using Embedded.Net.Sockets.Tcp;

namespace Embedded.Fuzz.Tests;

/// <summary>Every seed (and every regression input) of every target runs without an exception, and the seeds reach deep state.</summary>
public sealed class CorpusReplayTests
{
    [Theory]
    [MemberData(nameof(CorpusFiles.TargetNames), MemberType = typeof(CorpusFiles))]
    public void Every_seed_runs_without_an_exception(string name)
    {
        IFuzzTarget target = FuzzTargets.Find(name)!;
        string[] files = CorpusFiles.Of(name);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            Exception? thrown = Record.Exception(() => target.Run(input));
            Assert.True(thrown is null, Path.GetFileName(file) + ": " + thrown);
        }
    }

    [Fact]
    public void The_inbound_harness_is_deterministic()
    {
        // Same input, same run: every frame the stack sends is identical across two fresh sessions.
        var target = new InboundPathTarget();
        int frames = 0;
        foreach (string file in CorpusFiles.Of("inbound"))
        {
            byte[] input = File.ReadAllBytes(file);
            List<byte[]> first = target.RunSession(input, recordTransmissions: true).Device.Sent;
            List<byte[]> second = target.RunSession(input, recordTransmissions: true).Device.Sent;
            Assert.Equal(first.Count, second.Count);
            for (int i = 0; i < first.Count; i++) Assert.True(first[i].AsSpan().SequenceEqual(second[i]), Path.GetFileName(file) + " frame " + i);
            frames += first.Count;
        }
        Assert.True(frames > 50, "frames sent: " + frames);
    }

    [Fact]
    public void Chip_seeds_move_frames_through_the_emulators()
    {
        var enc = new Enc28j60SpiTarget();
        var received = enc.RunChip(File.ReadAllBytes(Path.Combine(CorpusFiles.Root, "enc28j60-spi", "init-receive.bin")));
        Assert.True(received.FramesStored >= 1, "ENC28J60 frames stored: " + received.FramesStored + ", forbidden: " + string.Join(", ", received.ForbiddenOperations.Recent()));
        var sent = enc.RunChip(File.ReadAllBytes(Path.Combine(CorpusFiles.Root, "enc28j60-spi", "init-transmit.bin")));
        Assert.True(sent.FramesTransmitted >= 1, "ENC28J60 frames transmitted: " + sent.FramesTransmitted + ", forbidden: " + string.Join(", ", sent.ForbiddenOperations.Recent()));
        var w5500 = new W5500SpiTarget();
        var opened = w5500.RunChip(File.ReadAllBytes(Path.Combine(CorpusFiles.Root, "w5500-spi", "open-receive.bin")));
        Assert.True(opened.CommandsExecuted >= 2, "W5500 commands: " + opened.CommandsExecuted + ", forbidden: " + string.Join(", ", opened.ForbiddenOperations.Recent()));
        var transmitted = w5500.RunChip(File.ReadAllBytes(Path.Combine(CorpusFiles.Root, "w5500-spi", "open-transmit.bin")));
        Assert.True(transmitted.CommandsExecuted >= 2, "W5500 commands: " + transmitted.CommandsExecuted + ", forbidden: " + string.Join(", ", transmitted.ForbiddenOperations.Recent()));
    }

    [Fact]
    public void Inbound_seeds_reach_http_responses_echo_data_and_the_closing_states()
    {
        var target = new InboundPathTarget();
        long responses = 0;
        long echoed = 0;
        var states = new HashSet<TcpState>();
        foreach (string file in CorpusFiles.Of("inbound"))
        {
            InboundSession session = target.RunSession(File.ReadAllBytes(file));
            responses += session.Server.Counters[HttpCounter.Responses];
            echoed += session.EchoedBytes;
            states.UnionWith(session.StatesSeen);
        }
        Assert.True(responses >= 6, "HTTP responses: " + responses);
        Assert.True(echoed >= 1500, "echoed bytes: " + echoed);
        // SYN-RECEIVED lives in the SYN queue and CLOSE-WAIT lasts only until the echo service closes within the same poll, so neither shows in the table between polls.
        foreach (TcpState state in new[] { TcpState.Established, TcpState.FinWait1, TcpState.FinWait2, TcpState.LastAck, TcpState.TimeWait })
            Assert.Contains(state, states);
    }
}
