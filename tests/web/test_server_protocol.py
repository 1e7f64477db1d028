"""The served HTTP protocol keeps request bodies sent with an HTTP/2 upgrade offer (as JDK clients send)."""

from __future__ import annotations

import socket
import time

import pytest

BODY = b"query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
HEAD = (b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        b"HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\nAccept: application/sparql-results+json\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(BODY))


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = int(next(line for line in lines if line.lower().startswith(b"content-length")).split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    return int(lines[0].split()[1]), body


@pytest.mark.parametrize("split", [False, True], ids=["one-packet", "body-in-pieces"])
def test_post_with_h2c_upgrade_offer_keeps_its_body(mini_server: str, split: bool) -> None:
    port = int(mini_server.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for _ in range(2):  # and the connection stays usable
            if split:
                sock.sendall(HEAD)
                time.sleep(0.05)
                sock.sendall(BODY[:7])
                time.sleep(0.05)
                sock.sendall(BODY[7:])
            else:
                sock.sendall(HEAD + BODY)
            status, body = read_response(sock)
            assert status == 200, body
            assert b'"boolean":true' in body
