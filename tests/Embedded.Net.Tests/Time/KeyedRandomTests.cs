using Embedded.Net.Time;

namespace Embedded.Net.Tests.Time;

public sealed class KeyedRandomTests
{
    [Fact]
    public void Same_seed_gives_same_stream_and_hash()
    {
        var a = new KeyedRandom(42);
        var b = new KeyedRandom(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.Equal(a.Hash(1, 2, 3, 4), b.Hash(1, 2, 3, 4));
        Assert.NotEqual(a.Hash(1, 2, 3, 4), a.Hash(1, 2, 3, 5));
        Assert.NotEqual(new KeyedRandom(43).Hash(1, 2, 3, 4), a.Hash(1, 2, 3, 4));
    }

    [Fact]
    public void NextBelow_stays_in_range_and_covers_it()
    {
        var r = new KeyedRandom(7);
        var seen = new bool[10];
        for (int i = 0; i < 1000; i++)
        {
            uint v = r.NextBelow(10);
            Assert.True(v < 10);
            seen[v] = true;
        }
        Assert.DoesNotContain(false, seen);
    }
}
