using Embedded.Net.Phy;

namespace Embedded.Net.Tests.Phy;

public sealed class FrameQueueTests
{
    [Fact]
    public void Frames_come_out_in_order_with_their_lengths()
    {
        var queue = new FrameQueue(4, 100);
        Assert.True(queue.TryEnqueue(new byte[] { 1 }));
        Assert.True(queue.TryEnqueue(new byte[] { 2, 2 }));
        Assert.True(queue.TryEnqueue(new byte[] { 3, 3, 3 }));
        Assert.Equal(3, queue.Count);

        var buffer = new byte[100];
        for (int expected = 1; expected <= 3; expected++)
        {
            Assert.True(queue.TryDequeue(buffer, out int length));
            Assert.Equal(expected, length);
            Assert.All(buffer.AsSpan(0, length).ToArray(), b => Assert.Equal(expected, b));
        }
        Assert.False(queue.TryDequeue(buffer, out int none));
        Assert.Equal(0, none);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Refuses_when_full_and_wraps_around_after_dequeue()
    {
        var queue = new FrameQueue(3, 8);
        var buffer = new byte[8];
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < 3; i++) Assert.True(queue.TryEnqueue(new[] { (byte)(round * 3 + i) }));
            Assert.True(queue.IsFull);
            Assert.False(queue.TryEnqueue(new byte[] { 99 }));
            for (int i = 0; i < 3; i++)
            {
                Assert.True(queue.TryDequeue(buffer, out int length));
                Assert.Equal(1, length);
                Assert.Equal((byte)(round * 3 + i), buffer[0]);
            }
        }
        Assert.Equal(3, queue.Capacity);
    }

    [Fact]
    public void Oversize_frame_is_rejected_and_a_maximum_one_accepted()
    {
        var queue = new FrameQueue(2, 10);
        Assert.False(queue.TryEnqueue(new byte[11]));
        Assert.True(queue.TryEnqueue(new byte[10]));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Dequeue_into_short_buffer_keeps_the_frame_and_reports_its_length()
    {
        var queue = new FrameQueue(2, 10);
        queue.TryEnqueue(new byte[] { 1, 2, 3, 4, 5 });
        Assert.False(queue.TryDequeue(new byte[4], out int needed));
        Assert.Equal(5, needed);
        Assert.Equal(1, queue.Count);
        Assert.True(queue.TryPeek(out ReadOnlySpan<byte> head));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, head.ToArray());
        Assert.True(queue.DropHead());
        Assert.False(queue.DropHead());
        Assert.False(queue.TryPeek(out _));
    }

    [Fact]
    public void Clear_empties_and_footprint_is_exact()
    {
        var queue = new FrameQueue(4, 100);
        queue.TryEnqueue(new byte[5]);
        queue.TryEnqueue(new byte[6]);
        queue.Clear();
        Assert.True(queue.IsEmpty);
        Assert.True(queue.TryEnqueue(new byte[] { 7 }));
        Assert.True(queue.TryDequeue(new byte[100], out int length));
        Assert.Equal(1, length);
        Assert.Equal((4 * 100) + (4 * sizeof(int)), queue.FootprintBytes);
    }

    [Fact]
    public void Bad_sizes_throw_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(int.MaxValue, int.MaxValue));
    }
}
