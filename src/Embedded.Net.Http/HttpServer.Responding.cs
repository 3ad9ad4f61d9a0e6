using Embedded.Net.Http.Parsing;
using Embedded.Net.Sockets;
using Embedded.Net.Sockets.Tcp;
using Embedded.Net.Time;

namespace Embedded.Net.Http;

public sealed partial class HttpServer
{
    /// <summary>Longest "Content-Length: N\r\n\r\n" appended to a rendered response's head.</summary>
    private const int ContentLengthLineBytes = 32;

    /// <summary>Routes a complete request and prepares its response (405 and 404 without a handler).</summary>
    private void BeginResponse(ConnectionSlot slot, Instant now)
    {
        slot.ClearResponse();
        slot.HeadOnly = slot.Head.Method == HttpRequestMethod.Head;
        slot.CloseAfter = !slot.Head.KeepAlive || slot.Evicting;
        // A client that sent "Expect: 100-continue" may never send the body after a final status (RFC 9110 10.1.1),
        // so the body's framing is unknowable: close rather than risk reading the next request as body.
        if (slot.Head.ContentLength > 0 && RequestOf(slot, now).TryGetHeader("Expect"u8, out _)) slot.CloseAfter = true;
        if (slot.Head.Method == HttpRequestMethod.Other)
        {
            BeginStatus(slot, 405);
            return;
        }
        ReadOnlySpan<byte> buffer = slot.Receive.AsSpan(0, slot.Head.HeadLength);
        HttpHandler? handler = Routes.Find(slot.Head.PathIn(buffer), out int routeLength);
        if (handler is null)
        {
            BeginStatus(slot, 404);
            return;
        }
        slot.Handler = handler;
        slot.RouteLength = routeLength;
        HttpRequest request = RequestOf(slot, now);
        HttpResponse response = default;
        handler.OnRequest(in request, ref response);
        slot.HandlerState = response.HandlerState;
        if (response.Kind == ResponseKind.Deferred)
        {
            if (response.CloseConnection) slot.CloseAfter = true;
            slot.Phase = HttpSlotPhase.Deferred;
            return;
        }
        ApplyResponse(slot, ref response);
    }

    /// <summary>Deferred phase: asks the handler again; true once it answered (the slot is responding).</summary>
    private bool Resume(ConnectionSlot slot, Instant now, ref bool work)
    {
        if (_tcp.GetState(slot.Socket) == TcpState.Closed)
        {
            work = true;
            CloseSlot(slot, now, failed: true);
            return false;
        }
        HttpRequest request = RequestOf(slot, now);
        HttpResponse response = default;
        response.HandlerState = slot.HandlerState;
        slot.Handler!.OnResume(in request, ref response);
        slot.HandlerState = response.HandlerState;
        if (response.Kind is ResponseKind.None or ResponseKind.Deferred) return false;
        work = true;
        ApplyResponse(slot, ref response);
        return true;
    }

    /// <summary>Turns the handler's response into the head in the slot's buffer and starts responding (500 when it is unusable).</summary>
    private void ApplyResponse(ConnectionSlot slot, ref HttpResponse response)
    {
        if (response.CloseConnection) slot.CloseAfter = true;
        bool valid = response.Status is >= 200 and <= 599 && response.ContentType.IndexOfAny(HttpChars.NotInFieldValue) < 0;
        if (!valid || response.Kind == ResponseKind.None)
        {
            BeginStatus(slot, 500);
            return;
        }
        if (response.Kind == ResponseKind.Status)
        {
            BeginStatus(slot, response.Status);
            return;
        }
        bool noContent = response.Status is 204 or 304;
        slot.Body = noContent ? ResponseKind.None : response.Kind;
        slot.Status = response.Status;
        slot.Constant = response.Constant;
        slot.BodyLength = response.Length;
        long contentLength = noContent ? -2 : response.Kind == ResponseKind.Rendered ? -1 : response.Length;
        bool fits = WriteHead(slot, response.Status, response.ContentType, response.NoStore, contentLength)
            && (response.Kind != ResponseKind.Rendered || slot.HeaderLength + ContentLengthLineBytes <= slot.Header.Length);
        if (!fits)
        {
            slot.ClearResponse();
            slot.CloseAfter = true;
            BeginStatus(slot, 500);
            return;
        }
        slot.Phase = HttpSlotPhase.Responding;
    }

    /// <summary>A status-only response with a short text body ("404 Not Found\n") held in the header buffer.</summary>
    private void BeginStatus(ConnectionSlot slot, int status)
    {
        if (HttpStatusText.ClosesConnection(status)) slot.CloseAfter = true;
        slot.Body = ResponseKind.Status;
        slot.Status = status;
        slot.Handler = null;
        bool noContent = status is 204 or 304;
        ReadOnlySpan<byte> reason = HttpStatusText.ReasonPhrase(status);
        int bodyLength = noContent ? 0 : 3 + 1 + reason.Length + 1;
        WriteHead(slot, status, noContent ? default : "text/plain"u8, false, noContent ? -2 : bodyLength);
        if (!slot.HeadOnly && bodyLength > 0)
        {
            var w = new ResponseHeaderWriter(slot.Header, slot.HeaderLength);
            w.AppendNumber(status);
            w.Append(" "u8);
            w.Append(reason);
            w.Append("\n"u8);
            slot.HeaderLength = w.Length; // options validation keeps the longest status response within the buffer
        }
        slot.Phase = HttpSlotPhase.Responding;
    }

    /// <summary>
    /// Writes the status line and headers. <paramref name="contentLength"/> -1 leaves the head open for a rendered
    /// body's length; -2 means no Content-Length at all (204, 304).
    /// </summary>
    private static bool WriteHead(ConnectionSlot slot, int status, ReadOnlySpan<byte> contentType, bool noStore, long contentLength)
    {
        var w = new ResponseHeaderWriter(slot.Header);
        w.StatusLine(status);
        if (!contentType.IsEmpty) w.Header("Content-Type"u8, contentType);
        if (status == 405) w.Header("Allow"u8, "GET, HEAD"u8);
        if (noStore) w.Header("Cache-Control"u8, "no-store"u8);
        if (slot.CloseAfter) w.Header("Connection"u8, "close"u8);
        else if (slot.Head.Version == HttpVersion.Http10) w.Header("Connection"u8, "keep-alive"u8);
        if (contentLength >= 0) w.ContentLengthAndEnd(contentLength);
        else if (contentLength == -2) w.Append("\r\n"u8);
        slot.HeaderLength = w.Length;
        slot.HeaderSent = 0;
        return !w.Overflow;
    }

    /// <summary>Responding phase: queue what the send ring takes. True when the response is fully queued (the slot moved on).</summary>
    private bool Respond(ConnectionSlot slot, Instant now, ref bool work)
    {
        if (_tcp.GetState(slot.Socket) == TcpState.Closed)
        {
            work = true;
            CloseSlot(slot, now, failed: true);
            return false;
        }
        if (slot.Body == ResponseKind.Rendered)
        {
            if (!slot.Rendered && !RenderAndSend(slot, now, ref work)) return false;
        }
        else
        {
            if (!SendHead(slot, now, ref work)) return false;
            if (!slot.HeadOnly && slot.Body == ResponseKind.Constant && !SendConstantBody(slot, now, ref work)) return false;
            if (!slot.HeadOnly && slot.Body == ResponseKind.Streamed && !StreamBody(slot, now, ref work)) return false;
        }
        FinishResponse(slot, now);
        work = true;
        return true;
    }

    private bool SendHead(ConnectionSlot slot, Instant now, ref bool work)
    {
        while (slot.HeaderSent < slot.HeaderLength)
        {
            SocketError error = _tcp.Send(slot.Socket, slot.Header.AsSpan(slot.HeaderSent, slot.HeaderLength - slot.HeaderSent), out int sent);
            if (error == SocketError.WouldBlock) return false;
            work = true;
            if (error != SocketError.Success)
            {
                CloseSlot(slot, now, failed: true);
                return false;
            }
            slot.HeaderSent += sent;
            Counters.Add(HttpCounter.HeaderBytesSent, sent);
        }
        return true;
    }

    private bool SendConstantBody(ConnectionSlot slot, Instant now, ref bool work)
    {
        if (slot.BodySent == slot.BodyLength) return true;
        SocketError error = _tcp.SendConstant(slot.Socket, slot.Constant);
        if (error == SocketError.WouldBlock) return false; // the connection's chunk table is full: wait for ACKs
        work = true;
        if (error != SocketError.Success)
        {
            CloseSlot(slot, now, failed: true);
            return false;
        }
        slot.BodySent = slot.BodyLength;
        Counters.Add(HttpCounter.BodyBytesSent, slot.BodyLength);
        return true;
    }

    /// <summary>Asks the handler for as many body bytes as the send ring has room for, and queues them.</summary>
    private bool StreamBody(ConnectionSlot slot, Instant now, ref bool work)
    {
        while (slot.BodySent < slot.BodyLength)
        {
            int free = _tcp.SendFree(slot.Socket);
            if (free <= 0) return false;
            int want = (int)Math.Min(Math.Min(free, _scratch.Length), slot.BodyLength - slot.BodySent);
            HttpRequest request = RequestOf(slot, now);
            int written = slot.Handler!.WriteBody(in request, slot.BodySent, _scratch.AsSpan(0, want));
            if (written <= 0 || written > want)
            {
                HandlerFault(slot, now, ref work);
                return false;
            }
            SocketError error = _tcp.Send(slot.Socket, _scratch.AsSpan(0, written), out int sent);
            if (error == SocketError.WouldBlock) return false;
            work = true;
            if (error != SocketError.Success)
            {
                CloseSlot(slot, now, failed: true);
                return false;
            }
            slot.BodySent += sent; // a short send is asked for again from BodySent: WriteBody is repeatable by offset
            Counters.Add(HttpCounter.BodyBytesSent, sent);
        }
        return true;
    }

    /// <summary>
    /// A rendered body: once the send queue is empty (the whole ring is free), render into the scratch buffer, finish the
    /// head with the length, and queue both at once, so the scratch buffer is free again when this returns.
    /// </summary>
    private bool RenderAndSend(ConnectionSlot slot, Instant now, ref bool work)
    {
        if (_tcp.SendQueue(slot.Socket) > 0) return false;
        int free = _tcp.SendFree(slot.Socket);
        int room = Math.Max(0, Math.Min(_scratch.Length, free - slot.HeaderLength - ContentLengthLineBytes));
        HttpRequest request = RequestOf(slot, now);
        int length = Math.Clamp(slot.Handler!.Render(in request, _scratch.AsSpan(0, room)), 0, room);
        var w = new ResponseHeaderWriter(slot.Header, slot.HeaderLength);
        w.ContentLengthAndEnd(length);
        slot.HeaderLength = w.Length;
        slot.BodyLength = length;
        slot.Rendered = true;
        work = true;
        SocketError error = _tcp.Send(slot.Socket, slot.Header.AsSpan(0, slot.HeaderLength), out int sent);
        if (error == SocketError.Success && sent == slot.HeaderLength && !slot.HeadOnly && length > 0)
        {
            Counters.Add(HttpCounter.HeaderBytesSent, sent);
            error = _tcp.Send(slot.Socket, _scratch.AsSpan(0, length), out sent);
            if (error == SocketError.Success && sent == length)
            {
                Counters.Add(HttpCounter.BodyBytesSent, sent);
                return true;
            }
        }
        else if (error == SocketError.Success && sent == slot.HeaderLength)
        {
            Counters.Add(HttpCounter.HeaderBytesSent, sent);
            return true;
        }
        // The ring was empty, so this means the connection failed (or a ring smaller than the head): give up on it.
        HandlerFault(slot, now, ref work);
        return false;
    }

    /// <summary>A promised body cannot be delivered: reset the connection (the client sees a truncated response, not a wrong one).</summary>
    private void HandlerFault(ConnectionSlot slot, Instant now, ref bool work)
    {
        Counters.Increment(HttpCounter.HandlerFaults);
        _tcp.Abort(slot.Socket, now);
        slot.Release();
        Counters.Increment(HttpCounter.ConnectionsFailed);
        work = true;
    }

    /// <summary>The response is queued: close (shut down and linger) or go back to reading the next, maybe pipelined, request.</summary>
    private void FinishResponse(ConnectionSlot slot, Instant now)
    {
        CountStatus(slot.Status);
        slot.Requests++;
        if (slot.CloseAfter)
        {
            _tcp.Shutdown(slot.Socket);
            slot.Phase = HttpSlotPhase.Lingering;
            slot.LingerUntil = now + Options.LingerTimeout;
            slot.Handler = null;
            return;
        }
        slot.Consume(slot.Head.HeadLength);
        _parser.Next(ref slot.Parser, now);
        slot.Head = default;
        slot.ClearResponse();
        slot.Phase = HttpSlotPhase.Reading;
    }

    private void CountStatus(int status)
    {
        Counters.Increment(HttpCounter.Responses);
        Counters.Increment(status switch
        {
            < 300 => HttpCounter.Status2xx,
            < 400 => HttpCounter.Status3xx,
            < 500 => HttpCounter.Status4xx,
            _ => HttpCounter.Status5xx,
        });
        switch (status)
        {
            case 400: Counters.Increment(HttpCounter.BadRequest); break;
            case 404: Counters.Increment(HttpCounter.NotFound); break;
            case 405: Counters.Increment(HttpCounter.MethodNotAllowed); break;
            case 408: Counters.Increment(HttpCounter.RequestTimeout); break;
            case 413: Counters.Increment(HttpCounter.ContentTooLarge); break;
            case 414: Counters.Increment(HttpCounter.UriTooLong); break;
            case 431: Counters.Increment(HttpCounter.HeaderFieldsTooLarge); break;
            case 500: Counters.Increment(HttpCounter.InternalServerError); break;
            case 501: Counters.Increment(HttpCounter.NotImplemented); break;
            case 505: Counters.Increment(HttpCounter.VersionNotSupported); break;
        }
    }
}
