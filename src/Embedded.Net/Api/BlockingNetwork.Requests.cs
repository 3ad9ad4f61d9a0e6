using System.Threading;
using Embedded.Net.Sockets;
using Embedded.Net.Time;
using Embedded.Net.Wire;

namespace Embedded.Net.Api;

public sealed partial class BlockingNetwork
{
    private enum Operation : byte
    {
        Listen,
        Connect,
        Accept,
        Send,
        Receive,
        Shutdown,
        Close,
        Abort,
        OpenDatagram,
        SendTo,
        ReceiveFrom,
    }

    private enum RequestState : byte
    {
        Free,
        Queued,
        Done,
        Cancelled,
    }

    private enum StepResult : byte
    {
        Waiting,
        Progressed,
        Done,
    }

    /// <summary>One preallocated request slot; its monitor is the caller's wait handle. Fields are guarded by <c>lock (this)</c> once queued.</summary>
    private sealed class Request
    {
        public Request(int slot) => Slot = slot;

        public int Slot { get; }
        public RequestState State;
        public Operation Operation;
        public Socket Socket;
        public IpEndpoint Remote;
        public ushort Port;
        public int Backlog;
        public ReadOnlyMemory<byte> Data;
        public Memory<byte> Buffer;
        public bool Started;
        public int Count;
        public SocketError Result;
        public Socket ResultSocket;

        /// <summary>Back to free, dropping every reference to the caller's memory and sockets.</summary>
        public void Clear()
        {
            State = RequestState.Free;
            Socket = default;
            ResultSocket = default;
            Remote = default;
            Data = default;
            Buffer = default;
            Port = 0;
            Backlog = 0;
            Started = false;
            Count = 0;
            Result = SocketError.Success;
        }
    }

    /// <summary>
    /// Network thread, once per loop iteration after the interface's Poll: takes newly queued requests and
    /// carries out every request that can proceed now, completing those that are done. Returns true when
    /// anything happened (then poll again before waiting: data may be queued to send, a window to open).
    /// </summary>
    public bool RunPending(Instant now)
    {
        int self = Environment.CurrentManagedThreadId;
        if (_networkThreadId != self) Volatile.Write(ref _networkThreadId, self);
        TakeSubmitted();
        bool progressed = false;
        int kept = 0;
        for (int i = 0; i < _activeCount; i++)
        {
            Request r = _slots[_active[i]];
            bool finished;
            bool release = false;
            lock (r)
            {
                if (r.State == RequestState.Cancelled)
                {
                    Cleanup(r, now);
                    r.Clear();
                    finished = release = true;
                }
                else
                {
                    StepResult step = Step(r, now);
                    finished = step == StepResult.Done;
                    progressed |= step != StepResult.Waiting;
                    if (finished)
                    {
                        r.State = RequestState.Done;
                        Monitor.PulseAll(r);
                    }
                }
            }
            if (release) Release(r);
            if (!finished) _active[kept++] = _active[i];
        }
        _activeCount = kept;
        return progressed;
    }

    /// <summary>Requests queued or in progress: exact on the network thread, a snapshot from other threads.</summary>
    public int PendingRequests
    {
        get
        {
            lock (_gate) return _activeCount + _submitCount;
        }
    }

    /// <summary>
    /// Network thread, when it is about to stop: every request in flight completes with ConnectionAborted
    /// (an opening connection is aborted) and later calls return InvalidState at once.
    /// </summary>
    public void Stop(Instant now)
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
        TakeSubmitted();
        for (int i = 0; i < _activeCount; i++)
        {
            Request r = _slots[_active[i]];
            bool release = false;
            lock (r)
            {
                Cleanup(r, now);
                if (r.State == RequestState.Cancelled)
                {
                    r.Clear();
                    release = true;
                }
                else
                {
                    r.Result = SocketError.ConnectionAborted;
                    r.ResultSocket = default;
                    r.State = RequestState.Done;
                    Monitor.PulseAll(r);
                }
            }
            if (release) Release(r);
        }
        _activeCount = 0;
    }

    private void TakeSubmitted()
    {
        lock (_gate)
        {
            while (_submitCount > 0)
            {
                _active[_activeCount++] = _submitted[_submitHead];
                _submitHead = (_submitHead + 1) % _submitted.Length;
                _submitCount--;
            }
        }
    }

    /// <summary>Undoes the half-done part of a request nobody waits for any more: an opening connection is aborted.</summary>
    private static void Cleanup(Request r, Instant now)
    {
        if (r.Operation == Operation.Connect && r.Started)
        {
            r.Socket.Abort(now);
            r.Started = false;
        }
    }

    private StepResult Step(Request r, Instant now)
    {
        switch (r.Operation)
        {
            case Operation.Listen:
            {
                Socket s = Socket.CreateStream(_iface);
                SocketError e = s.Bind(r.Port);
                if (e == SocketError.Success) e = s.Listen(r.Backlog);
                return Finish(r, e, e == SocketError.Success ? s : default);
            }
            case Operation.OpenDatagram:
            {
                Socket s = Socket.CreateDatagram(_iface);
                SocketError e = s.Bind(r.Port);
                return Finish(r, e, e == SocketError.Success ? s : default);
            }
            case Operation.Connect:
                return StepConnect(r, now);
        }
        if (!ReferenceEquals(r.Socket.Interface, _iface))
            return Finish(r, r.Socket.Interface is null ? SocketError.InvalidHandle : SocketError.InvalidState, default);
        return StepOnSocket(r, now);
    }

    private static StepResult StepOnSocket(Request r, Instant now)
    {
        SocketError e;
        switch (r.Operation)
        {
            case Operation.Accept:
                e = r.Socket.Accept(out Socket accepted);
                return e == SocketError.WouldBlock ? StepResult.Waiting : Finish(r, e, accepted);
            case Operation.Send:
                return StepSend(r);
            case Operation.Receive:
                e = r.Socket.Receive(r.Buffer.Span, out r.Count);
                return e == SocketError.WouldBlock ? StepResult.Waiting : Finish(r, e, default);
            case Operation.ReceiveFrom:
                e = r.Socket.ReceiveFrom(r.Buffer.Span, out r.Count, out r.Remote);
                return e == SocketError.WouldBlock ? StepResult.Waiting : Finish(r, e, default);
            case Operation.SendTo:
                e = r.Socket.SendTo(r.Data.Span, r.Remote, now);
                return e == SocketError.WouldBlock ? StepResult.Waiting : Finish(r, e, default);
            case Operation.Shutdown:
                return Finish(r, r.Socket.Shutdown(), default);
            case Operation.Close:
                return Finish(r, r.Socket.Close(now), default);
            default:
                return Finish(r, r.Socket.Abort(now), default);
        }
    }

    /// <summary>First visit sends the SYN; later visits watch the handshake; a failed open gives its TCB back.</summary>
    private StepResult StepConnect(Request r, Instant now)
    {
        if (!r.Started)
        {
            Socket s = Socket.CreateStream(_iface);
            SocketError e = s.Connect(r.Remote, now);
            if (e != SocketError.Success) return Finish(r, e, default);
            r.Socket = s;
            r.Started = true;
            return StepResult.Progressed;
        }
        SocketError progress = r.Socket.Connect(r.Remote, now);
        switch (progress)
        {
            case SocketError.WouldBlock:
                return StepResult.Waiting;
            case SocketError.IsConnected:
                r.Started = false;
                return Finish(r, SocketError.Success, r.Socket);
            default:
                r.Socket.Close(now);
                r.Started = false;
                return Finish(r, progress, default);
        }
    }

    private static StepResult StepSend(Request r)
    {
        SocketError e = r.Socket.Send(r.Data.Span.Slice(r.Count), out int n);
        r.Count += n;
        if (e == SocketError.Success && r.Count == r.Data.Length) return Finish(r, SocketError.Success, default);
        if (e is SocketError.Success or SocketError.WouldBlock) return n > 0 ? StepResult.Progressed : StepResult.Waiting;
        return Finish(r, e, default);
    }

    private static StepResult Finish(Request r, SocketError result, Socket socket)
    {
        r.Result = result;
        r.ResultSocket = socket;
        return StepResult.Done;
    }
}
