using Embedded.Net.Storage;

namespace Embedded.Net.Tests.Storage;

public sealed class SendQueueTests
{
    private static readonly byte[] Page = CreatePage();

    private static byte[] CreatePage()
    {
        var page = new byte[3000];
        for (int i = 0; i < page.Length; i++) page[i] = (byte)(i * 13);
        return page;
    }

    [Fact]
    public void Mixed_copied_and_constant_chunks_read_back_in_order_across_discards()
    {
        var q = new SendQueue(new ByteRing(64), 4);
        var expected = new List<byte>();
        Assert.Equal(10, q.Enqueue(Enumerable.Range(0, 10).Select(i => (byte)i).ToArray()));
        expected.AddRange(Enumerable.Range(0, 10).Select(i => (byte)i));
        Assert.True(q.EnqueueConstant(Page));
        expected.AddRange(Page);
        Assert.Equal(5, q.Enqueue(new byte[] { 200, 201, 202, 203, 204 }));
        expected.AddRange(new byte[] { 200, 201, 202, 203, 204 });
        Assert.Equal(expected.Count, q.Count);
        Assert.Equal(64 - 15, q.Free); // constant bytes use no ring space

        var all = new byte[q.Count];
        Assert.Equal(all.Length, q.Peek(0, all));
        Assert.Equal(expected.ToArray(), all);

        var rng = new System.Random(5);
        int consumed = 0;
        while (q.Count > 0)
        {
            int offset = rng.Next(0, q.Count);
            var window = new byte[rng.Next(1, 1500)];
            int n = q.Peek(offset, window);
            Assert.Equal(Math.Min(window.Length, q.Count - offset), n);
            Assert.Equal(expected.GetRange(consumed + offset, n).ToArray(), window.AsSpan(0, n).ToArray());
            int drop = Math.Min(q.Count, rng.Next(1, 700));
            q.Discard(drop);
            consumed += drop;
        }
        Assert.Equal(64, q.Free);
    }

    [Fact]
    public void Chunk_table_bounds_constant_chunks_and_contiguous_copies_share_one_chunk()
    {
        var q = new SendQueue(new ByteRing(16), 2);
        Assert.Equal(4, q.Enqueue(new byte[4]));
        Assert.Equal(4, q.Enqueue(new byte[4])); // extends the same chunk
        Assert.True(q.EnqueueConstant(Page));
        Assert.False(q.EnqueueConstant(Page));
        Assert.Equal(0, q.Free); // a copy would need a third chunk
        Assert.Equal(0, q.Enqueue(new byte[1]));
        q.Discard(8);
        Assert.True(q.CanQueueConstant);
        Assert.Equal(1, q.Enqueue(new byte[1]));
    }
}
