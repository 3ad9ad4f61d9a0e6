using Embedded.Net.Http.Parsing;
using Embedded.Net.Sockets;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

/// <summary>Where a connection slot is in its life.</summary>
public enum HttpSlotPhase : byte
{
    /// <summary>No connection.</summary>
    Free,
    /// <summary>Waiting for (or reading) a request head, or skipping the previous request's body.</summary>
    Reading,
    /// <summary>Queueing a response as the send ring drains.</summary>
    Responding,
    /// <summary>Response queued, our side shut down: dropping what the client still sends until it closes.</summary>
    Lingering,
    /// <summary>The handler deferred its answer (<see cref="HttpResponse.SetDeferred"/>): asked again on every poll.</summary>
    Deferred,
}

/// <summary>
/// One connection's state, allocated once: the receive buffer for the request head (and pipelined bytes after it),
/// the response-header buffer, the parser state and the progress of the response being sent.
/// </summary>
internal sealed class ConnectionSlot
{
    public ConnectionSlot(int index, int receiveBytes, int headerBytes)
    {
        Index = index;
        Receive = new byte[receiveBytes];
        Header = new byte[headerBytes];
    }

    public int Index { get; }

    /// <summary>Request bytes from the current head's first byte; <see cref="Filled"/> of them are valid.</summary>
    public byte[] Receive { get; }

    /// <summary>The response head (and the short body of a status-only response).</summary>
    public byte[] Header { get; }

    public HttpSlotPhase Phase;
    public SocketHandle Socket;
    public int Filled;
    public bool Evicting;
    public HttpParserState Parser;
    public HttpRequestHead Head;
    public long Requests;
    public Instant LingerUntil;

    // The response in progress.
    public ResponseKind Body;
    public int Status;
    public int HeaderLength;
    public int HeaderSent;
    public HttpHandler? Handler;
    public long HandlerState;
    public int RouteLength;
    public ReadOnlyMemory<byte> Constant;
    public long BodyLength;
    public long BodySent;
    public bool HeadOnly;
    public bool CloseAfter;
    public bool Rendered;
    public int LastSendQueue;     // the connection's send queue when last looked at while responding; -1: not yet
    public Instant ProgressAt;    // when that queue last moved: a response that stops moving is a client not reading

    public void Open(SocketHandle socket)
    {
        Phase = HttpSlotPhase.Reading;
        Socket = socket;
        Filled = 0;
        Evicting = false;
        Requests = 0;
        ClearResponse();
    }

    public void Release()
    {
        Phase = HttpSlotPhase.Free;
        Socket = default;
        Filled = 0;
        Parser = default;
        Head = default;
        ClearResponse();
    }

    public void ClearResponse()
    {
        Body = ResponseKind.None;
        Status = 0;
        HeaderLength = HeaderSent = 0;
        Handler = null;
        HandlerState = 0;
        RouteLength = 0;
        Constant = default;
        BodyLength = BodySent = 0;
        HeadOnly = CloseAfter = Rendered = false;
        LastSendQueue = -1;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front of the receive buffer (a finished head, a skipped body).</summary>
    public void Consume(int count)
    {
        if (count >= Filled)
        {
            Filled = 0;
            return;
        }
        Receive.AsSpan(count, Filled - count).CopyTo(Receive);
        Filled -= count;
    }
}
