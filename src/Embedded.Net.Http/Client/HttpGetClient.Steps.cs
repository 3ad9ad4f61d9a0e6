using Embedded.Net.Api;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Http.Client;

public sealed partial class HttpGetClient
{
    /// <summary>Advances the request as far as it can go now; true when anything happened. Poll the stack too.</summary>
    public bool Poll(Instant now)
    {
        switch (_state)
        {
            case HttpGetState.Idle or HttpGetState.Done:
                return false;
            case HttpGetState.Resolving:
                OnLookup(_resolver!.Check(now, out Ipv4Address address), address, now);
                break;
            case HttpGetState.Connecting:
                CheckConnect(now);
                break;
        }
        if (_state == HttpGetState.Sending) SendRequest(now);
        bool work = _state is HttpGetState.Done;
        if (_state == HttpGetState.Receiving) work |= ReceiveResponse(now);
        if (_state is not (HttpGetState.Idle or HttpGetState.Done) && now >= _deadline)
        {
            Finish(HttpGetError.TimedOut, now);
            return true;
        }
        return work || _state == HttpGetState.Done;
    }

    /// <summary>When the client must be polled again without network activity: its deadline (or the resolver's), Never when idle.</summary>
    public Instant PollAt(Instant now)
    {
        switch (_state)
        {
            case HttpGetState.Idle or HttpGetState.Done:
                return Instant.Never;
            case HttpGetState.Resolving:
                return Instant.Min(_deadline, _resolver!.PollAt(now));
            case HttpGetState.Receiving when (_socket.Readiness(Interest.Read) & Interest.Read) != 0:
                return now;
            case HttpGetState.Connecting when (_socket.Readiness(Interest.Connect) & Interest.Connect) != 0:
                return now;
            case HttpGetState.Sending when (_socket.Readiness(Interest.Write) & Interest.Write) != 0:
                return now;
            default:
                return _deadline;
        }
    }

    private void OnLookup(HostLookup lookup, Ipv4Address address, Instant now)
    {
        switch (lookup)
        {
            case HostLookup.Resolved:
                _resolver!.End();
                _remote = new IpEndpoint(address, _remote.Port);
                OpenConnection(now);
                break;
            case HostLookup.NotFound:
                Finish(HttpGetError.NameNotFound, now);
                break;
            case HostLookup.Failed:
                Finish(HttpGetError.ResolveFailed, now);
                break;
        }
    }

    /// <summary>socket() then connect(): the SYN leaves on the stack's next poll.</summary>
    private void OpenConnection(Instant now)
    {
        _socket = Socket.CreateStream(_iface);
        SocketError result = _socket.Connect(_remote, now);
        if (result != SocketError.Success)
        {
            _socketError = result;
            Finish(MapSocketError(result), now);
            return;
        }
        _state = HttpGetState.Connecting;
    }

    private void CheckConnect(Instant now)
    {
        SocketError progress = _socket.Connect(_remote, now);
        if (progress == SocketError.WouldBlock) return;
        if (progress == SocketError.IsConnected)
        {
            _state = HttpGetState.Sending;
            return;
        }
        _socketError = progress;
        Finish(MapSocketError(progress), now);
    }

    private void SendRequest(Instant now)
    {
        SocketError result = _socket.Send(_request.AsSpan(_requestSent, _requestLength - _requestSent), out int sent);
        if (result == SocketError.WouldBlock) return;
        if (result != SocketError.Success)
        {
            _socketError = result;
            Finish(MapSocketError(result), now);
            return;
        }
        _requestSent += sent;
        if (_requestSent == _requestLength) _state = HttpGetState.Receiving;
    }

    /// <summary>recv() into the reader's buffer, a bounded number of times; the reader streams the body on.</summary>
    private bool ReceiveResponse(Instant now)
    {
        bool work = false;
        for (int i = 0; i < _options.ReceivesPerPoll; i++)
        {
            SocketError result = _socket.Receive(_reader.ReceiveBuffer, out int received);
            if (result == SocketError.WouldBlock) return work;
            work = true;
            HttpReadStatus status;
            if (result != SocketError.Success)
            {
                _socketError = result;
                Finish(MapSocketError(result), now);
                return true;
            }
            long before = _reader.BodyBytes;
            status = received == 0 ? _reader.EndOfStream() : _reader.Advance(received, _sink!);
            Counters.BodyBytes += _reader.BodyBytes - before;
            if (status == HttpReadStatus.Complete)
            {
                Finish(HttpGetError.None, now);
                return true;
            }
            if (status == HttpReadStatus.Malformed)
            {
                Finish(HttpGetError.Malformed, now);
                return true;
            }
        }
        return work;
    }

    /// <summary>close(): graceful after a complete response, a reset after anything else (no half-read data left behind).</summary>
    private void Finish(HttpGetError error, Instant now)
    {
        if (_state == HttpGetState.Resolving) _resolver!.End();
        if (_socket.Role == SocketRole.Connection)
        {
            if (error == HttpGetError.None) _socket.Close(now);
            else _socket.Abort(now);
        }
        _socket = default;
        _sink = null;
        _error = error;
        _state = HttpGetState.Done;
        switch (error)
        {
            case HttpGetError.None:
                Counters.Completed++;
                break;
            case HttpGetError.Malformed:
                Counters.Malformed++;
                break;
            case HttpGetError.NameNotFound or HttpGetError.ResolveFailed:
                Counters.ResolveFailures++;
                break;
            case HttpGetError.TimedOut:
                Counters.TimedOut++;
                break;
            case HttpGetError.Cancelled:
                break;
            default:
                Counters.ConnectionFailures++;
                break;
        }
    }

    private static HttpGetError MapSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => HttpGetError.ConnectionRefused,
        SocketError.TimedOut => HttpGetError.TimedOut,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected => HttpGetError.ConnectionReset,
        SocketError.HostUnreachable or SocketError.AddressNotAvailable => HttpGetError.HostUnreachable,
        _ => HttpGetError.NoSocket,
    };
}
