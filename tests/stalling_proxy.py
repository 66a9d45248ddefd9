"""A TCP proxy on 127.0.0.1 in front of a server on 127.0.0.1, in a process of its own so the
app's threads never delay it. SIGUSR1 holds every byte, both ways, for STALL seconds, then
lets them through, as a Redis coming back from a long fork or a network hiccup would: clients
see a connection that accepts and then says nothing.

    python tests/stalling_proxy.py UPSTREAM_PORT STALL_SECONDS   (prints the port it listens on)
"""

import signal
import socket
import sys
import threading

HOST = "127.0.0.1"


def main(upstream_port: int, stall_seconds: float):
    flowing = threading.Event()
    flowing.set()

    def stall(*_):
        flowing.clear()
        timer = threading.Timer(stall_seconds, flowing.set)
        timer.daemon = True
        timer.start()

    def pump(source, target):
        try:
            while data := source.recv(65536):
                flowing.wait()
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    signal.signal(signal.SIGUSR1, stall)
    listener = socket.create_server((HOST, 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection((HOST, upstream_port), timeout=5)
        upstream.settimeout(None)
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=pump, args=(source, target), daemon=True).start()


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
