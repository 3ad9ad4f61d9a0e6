using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Embedded.Net.Phy;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Tests.Phy;

public sealed class PcapWriterDeviceTests
{
    private const long EpochMicroseconds = 1_700_000_000_123_456; // 2023-11-14T22:13:20.123456Z

    [Fact]
    public void Global_header_is_written_on_construction()
    {
        var stream = new MemoryStream();
        _ = new PcapWriterDevice(new LoopbackDevice(TestFrames.MacA), stream, new ManualClock());
        Assert.Equal(
            new byte[]
            {
                0xd4, 0xc3, 0xb2, 0xa1, // magic, little-endian
                2, 0, 4, 0, // version 2.4
                0, 0, 0, 0, // thiszone
                0, 0, 0, 0, // sigfigs
                0xff, 0xff, 0, 0, // snaplen 65535
                1, 0, 0, 0, // LINKTYPE_ETHERNET
            },
            stream.ToArray());
    }

    [Fact]
    public void Records_hold_clock_timestamps_lengths_and_the_frame_bytes()
    {
        var clock = new ManualClock(new Instant(EpochMicroseconds));
        var stream = new MemoryStream();
        var loopback = new LoopbackDevice(TestFrames.MacA, queueFrames: 4, mtu: 70_000);
        var pcap = new PcapWriterDevice(loopback, stream, clock);

        byte[] small = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 7);
        byte[] huge = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 8, payloadLength: 66_000 - EthernetFrame.HeaderLength);
        Assert.True(pcap.TryTransmit(small));
        clock.Advance(Duration.FromMicroseconds(900_000)); // crosses a second boundary
        var buffer = new byte[70_014];
        Assert.True(pcap.TryReceive(buffer, out int length));
        Assert.Equal(small.Length, length);
        Assert.True(pcap.TryTransmit(huge));
        loopback.LinkUp = false;
        Assert.False(pcap.TryTransmit(small)); // refused: not captured
        pcap.Flush();
        Assert.Equal(3, pcap.FramesWritten);

        byte[] file = stream.ToArray();
        int at = PcapWriterDevice.GlobalHeaderLength;
        at = ExpectRecord(file, at, 1_700_000_000, 123_456, small);
        at = ExpectRecord(file, at, 1_700_000_001, 23_456, small);
        at = ExpectRecord(file, at, 1_700_000_001, 23_456, huge);
        Assert.Equal(file.Length, at);
    }

    [Fact]
    public void Mode_selects_the_directions_captured()
    {
        var stream = new MemoryStream();
        var pcap = new PcapWriterDevice(new LoopbackDevice(TestFrames.MacA), stream, new ManualClock(), PcapMode.Receive);
        byte[] frame = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 1);
        pcap.TryTransmit(frame);
        pcap.TryReceive(new byte[1514], out _);
        Assert.Equal(1, pcap.FramesWritten);
        Assert.Equal(PcapWriterDevice.GlobalHeaderLength + PcapWriterDevice.RecordHeaderLength + frame.Length, stream.Length);
    }

    [Fact]
    public void A_failing_stream_is_counted_not_thrown()
    {
        var stream = new FailingStream();
        var pcap = new PcapWriterDevice(new LoopbackDevice(TestFrames.MacA), stream, new ManualClock());
        stream.Fail = true;
        Assert.True(pcap.TryTransmit(TestFrames.Make(TestFrames.MacB, TestFrames.MacA, 1)));
        Assert.Equal(1, pcap.WriteFailures);
        Assert.Equal(0, pcap.FramesWritten);
        Assert.Throws<ArgumentException>(() => new PcapWriterDevice(new LoopbackDevice(TestFrames.MacA), new MemoryStream(new byte[1], writable: false), new ManualClock()));
    }

    [Fact]
    public void Tshark_reads_the_capture_back()
    {
        string tshark = FindTshark();
        string path = Path.Combine(Path.GetTempPath(), "embedded-phy-" + Guid.NewGuid().ToString("N") + ".pcap");
        var expected = new List<byte[]>();
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var clock = new ManualClock(new Instant(EpochMicroseconds));
                InMemoryLink link = InMemoryLink.CreatePair(TestFrames.MacA, TestFrames.MacB);
                var pcap = new PcapWriterDevice(link.A, file, clock);
                var buffer = new byte[1514];
                for (int i = 0; i < 5; i++)
                {
                    byte[] sent = TestFrames.Make(TestFrames.MacB, TestFrames.MacA, i, payloadLength: 46 + (i * 100));
                    Assert.True(pcap.TryTransmit(sent));
                    expected.Add(sent);
                    clock.Advance(Duration.FromMilliseconds(10));
                    byte[] reply = TestFrames.Make(TestFrames.MacA, TestFrames.MacB, 100 + i);
                    Assert.True(link.B.TryTransmit(reply));
                    Assert.True(pcap.TryReceive(buffer, out _));
                    expected.Add(reply);
                    clock.Advance(Duration.FromMilliseconds(10));
                }
                pcap.Flush();
                Assert.Equal(10, pcap.FramesWritten);
            }

            string[] lines = RunTshark(tshark, path);
            Assert.Equal(expected.Count, lines.Length);
            for (int i = 0; i < lines.Length; i++)
            {
                string[] fields = lines[i].Split('\t');
                Assert.Equal(3, fields.Length);
                Assert.Equal(expected[i].Length.ToString(CultureInfo.InvariantCulture), fields[0]);
                string source = (i % 2 == 0 ? TestFrames.MacA : TestFrames.MacB).ToString();
                Assert.Equal(source, fields[1]);
                long micros = EpochMicroseconds + (i * 10_000L);
                string time = (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
                Assert.StartsWith(time, fields[2], StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int ExpectRecord(byte[] file, int at, uint seconds, uint microseconds, byte[] frame)
    {
        ReadOnlySpan<byte> record = file.AsSpan(at);
        int captured = Math.Min(frame.Length, PcapWriterDevice.SnapLength);
        Assert.Equal(seconds, BinaryPrimitives.ReadUInt32LittleEndian(record));
        Assert.Equal(microseconds, BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(4)));
        Assert.Equal((uint)captured, BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(8)));
        Assert.Equal((uint)frame.Length, BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(12)));
        Assert.True(record.Slice(16, captured).SequenceEqual(frame.AsSpan(0, captured)));
        return at + PcapWriterDevice.RecordHeaderLength + captured;
    }

    private static string FindTshark()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, "tshark");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("tshark is not installed, so the capture cannot be cross-checked: install it (apt-get install -y tshark).");
        return string.Empty;
    }

    private static string[] RunTshark(string tshark, string path)
    {
        var start = new ProcessStartInfo(tshark)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-r", path, "-T", "fields", "-e", "frame.len", "-e", "eth.src", "-e", "frame.time_epoch" })
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "tshark did not finish within 60 s");
        Assert.True(process.ExitCode == 0, "tshark failed: " + error.Result);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private sealed class FailingStream : MemoryStream
    {
        public bool Fail { get; set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Fail) throw new IOException("disk full");
            base.Write(buffer);
        }
    }
}
