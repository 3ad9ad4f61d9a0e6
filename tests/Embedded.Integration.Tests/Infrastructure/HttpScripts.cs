namespace Embedded.Integration.Tests.Infrastructure;

/// <summary>The Python peers of the HTTP tests, run inside the namespace.</summary>
public static class HttpScripts
{
    /// <summary>
    /// Slowloris: argv = clients seconds. Opens CLIENTS connections to 192.0.2.2:80 and, once a second for
    /// SECONDS, sends each one the next byte of an endless request head; a connection the server closes (or
    /// resets) is counted and opened again at once. Prints "started" once all are open, then at the end
    /// "clients C opened O closed_by_server S status_408 T rounds R" and exits 0.
    /// </summary>
    public const string Slowloris = """
import socket, sys, time
clients, seconds = int(sys.argv[1]), float(sys.argv[2])
head = b'GET / HTTP/1.1\r\nHost: 192.0.2.2\r\nX-Slow: ' + b'a' * 4096
server = ('192.0.2.2', 80)
opened = closed = status_408 = rounds = 0
def connect():
    global opened
    s = socket.create_connection(server, timeout=5)
    s.setblocking(False)
    opened += 1
    return [s, 0]
conns = [connect() for _ in range(clients)]
print('started', flush=True)
end = time.monotonic() + seconds
while time.monotonic() < end and rounds < 1000:
    rounds += 1
    for entry in conns:
        s, offset = entry
        alive = True
        try:
            data = s.recv(4096)
            if data.startswith(b'HTTP/1.1 408'):
                status_408 += 1
            if not data:
                alive = False
        except BlockingIOError:
            pass
        except OSError:
            alive = False
        if alive:
            try:
                s.send(head[offset:offset + 1])
                entry[1] = (offset + 1) % len(head)
            except BlockingIOError:
                pass
            except OSError:
                alive = False
        if not alive:
            closed += 1
            s.close()
            try:
                entry[0], entry[1] = connect()
            except OSError as e:
                print('reconnect failed: ' + repr(e), file=sys.stderr, flush=True)
                entry[0], entry[1] = socket.socket(), 0
    time.sleep(max(0.0, min(1.0, end - time.monotonic())))
for s, _ in conns:
    s.close()
print('clients %d opened %d closed_by_server %d status_408 %d rounds %d' % (clients, opened, closed, status_408, rounds), flush=True)
""";
}
