using Embedded.Net.Http.Parsing;
using Embedded.Net.Sockets;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

public sealed partial class HttpServer
{
    /// <summary>
    /// Reading phase: skip the previous request's body, parse, and read more into the slot's buffer.
    /// True when the slot moved on to Responding; false when it waits for data or was closed.
    /// </summary>
    private bool Read(ConnectionSlot slot, Instant now, ref bool work)
    {
        while (true)
        {
            if (slot.Parser.BodyRemaining > 0 && !SkipBody(slot, now, ref work)) return false;
            HttpParseStatus status = _parser.Parse(ref slot.Parser, slot.Receive.AsSpan(0, slot.Filled), now, out HttpRequestHead head);
            if (status == HttpParseStatus.Complete)
            {
                slot.Head = head;
                Counters.Increment(HttpCounter.Requests);
                BeginResponse(slot, now);
                work = true;
                return true;
            }
            if (status == HttpParseStatus.Error)
            {
                slot.Head = default;
                slot.ClearResponse();
                BeginStatus(slot, head.ErrorStatus);
                work = true;
                return true;
            }
            if (slot.Parser.BodyRemaining > 0) return false; // still skipping a body: wait for it
            if (slot.Filled == slot.Receive.Length)
            {
                // Cannot happen while the head limit is the buffer size, but never read into an empty span.
                slot.ClearResponse();
                BeginStatus(slot, 431);
                work = true;
                return true;
            }
            SocketError error = _tcp.Receive(slot.Socket, slot.Receive.AsSpan(slot.Filled), out int received);
            if (error == SocketError.WouldBlock) return false;
            work = true;
            if (error == SocketError.Success && received > 0)
            {
                slot.Filled += received;
                continue;
            }
            // End of stream or an error before a complete request: there is nobody to answer.
            CloseSlot(slot, now, failed: error != SocketError.Success);
            return false;
        }
    }

    /// <summary>Drops the previous request's body from the buffer and the socket; false when the connection ended.</summary>
    private bool SkipBody(ConnectionSlot slot, Instant now, ref bool work)
    {
        if (slot.Filled > 0)
        {
            int inBuffer = HttpRequestParser.ConsumeBody(ref slot.Parser, slot.Filled);
            slot.Consume(inBuffer);
            Counters.Add(HttpCounter.BodyBytesDiscarded, inBuffer);
            if (inBuffer > 0) work = true;
        }
        while (slot.Parser.BodyRemaining > 0)
        {
            int want = (int)Math.Min(_scratch.Length, slot.Parser.BodyRemaining);
            SocketError error = _tcp.Receive(slot.Socket, _scratch.AsSpan(0, want), out int received);
            if (error == SocketError.WouldBlock) return true;
            work = true;
            if (error == SocketError.Success && received > 0)
            {
                HttpRequestParser.ConsumeBody(ref slot.Parser, received);
                Counters.Add(HttpCounter.BodyBytesDiscarded, received);
                continue;
            }
            CloseSlot(slot, now, failed: error != SocketError.Success);
            return false;
        }
        return true;
    }

    /// <summary>Lingering phase: drop what the client sends until it closes, the linger time ends, or the slot is needed.</summary>
    private void Linger(ConnectionSlot slot, Instant now, ref bool work)
    {
        while (true)
        {
            SocketError error = _tcp.Receive(slot.Socket, _scratch, out int received);
            if (error == SocketError.Success && received > 0)
            {
                work = true;
                continue;
            }
            if (error == SocketError.WouldBlock)
            {
                if (!slot.Evicting && now < slot.LingerUntil) return;
                if (!slot.Evicting) Counters.Increment(HttpCounter.LingerTimeouts);
            }
            work = true;
            CloseSlot(slot, now, failed: error is not SocketError.Success and not SocketError.WouldBlock);
            return;
        }
    }

    /// <summary>The request view of the head a slot is answering.</summary>
    private HttpRequest RequestOf(ConnectionSlot slot, Instant now)
        => new(this, slot.Index, slot.Receive.AsSpan(0, slot.Head.HeadLength), slot.Head, now, slot.HandlerState, slot.RouteLength);
}
