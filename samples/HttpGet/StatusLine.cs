using System.Text;

namespace HttpGet;

/// <summary>The first line of the response as the server sent it (up to 256 characters), for printing.</summary>
internal sealed class StatusLine
{
    private readonly StringBuilder _text = new();
    private bool _complete;

    /// <summary>Takes received bytes until the first line ends.</summary>
    public void Take(ReadOnlySpan<byte> received)
    {
        foreach (byte b in received)
        {
            if (_complete) return;
            if (b == '\n' || _text.Length >= 256) _complete = true;
            else if (b != '\r') _text.Append((char)b);
        }
    }

    public override string ToString() => _text.ToString();
}
