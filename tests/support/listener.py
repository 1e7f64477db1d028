"""An SSRF canary: a TCP socket on 127.0.0.1 that records every connection made to it. If the server (or one of
its query processes) ever connected out, a test holding one would see it."""

from __future__ import annotations

import socket
import threading
import time


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and records every connection (an SSRF canary)."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()


def assert_no_connection(canary: Listener) -> None:
    time.sleep(0.3)  # a connection attempt made while the request ran has been accepted by now
    assert canary.connections == [], f"the server connected out: {canary.connections[:1]}"
