"""Board connections for the fan-out benchmark: many light Socket.IO clients in one process.

Each board is an asyncio protocol on one TCP connection that speaks just enough WebSocket
(RFC 6455) and Engine.IO 4 / Socket.IO 5 to be a board: upgrade, open, connect the namespace,
``watch`` the skill (with an ack), answer pings, and for every ``standings`` event record
(version, arrival time). Frames are cut from the byte stream and the version is found in the
raw bytes, with no message objects and no JSON decoding of 3-4 KB per message: a message
costs the harness a few microseconds, so that on a 2-core machine the CPU goes to the server
being measured. Podium and the bare baseline are measured with these same clients.

Prints "ready" once every client is connected and watching, then writes the arrivals as JSON
when every board has the last version or time runs out.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import sys
import time
from urllib.parse import urlsplit

VERSION = re.compile(rb'"version":\s*(\d+)')
STANDINGS = b'42["standings"'
ACK = b"431"


def client_frame(text: str) -> bytes:
    """One masked text frame (clients must mask; these are all short)."""
    data = text.encode()
    assert len(data) < 126
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


PONG = client_frame("3")


class Board(asyncio.Protocol):
    def __init__(self, host: str, path: str):
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self.buffer = bytearray()
        self.upgraded = False
        self.arrivals: list[tuple[int, float]] = []
        self.base = 0
        self.watching = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        if not self.watching.done():
            self.watching.set_exception(ConnectionError(f"closed before watching: {exc}"))

    def data_received(self, data: bytes) -> None:
        now = time.time()
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buffer.startswith(b"HTTP/1.1 101"):
                self.watching.set_exception(ConnectionError(bytes(buffer[:200]).decode(errors="replace")))
                self.transport.close()
                return
            del buffer[: end + 4]
            self.upgraded = True
        start = 0
        size = len(buffer)
        while size - start >= 2:
            length = buffer[start + 1] & 0x7F
            head = 2
            if length == 126:
                if size - start < 4:
                    break
                length = int.from_bytes(buffer[start + 2 : start + 4], "big")
                head = 4
            elif length == 127:
                if size - start < 10:
                    break
                length = int.from_bytes(buffer[start + 2 : start + 10], "big")
                head = 10
            if size - start < head + length:
                break
            opcode = buffer[start] & 0x0F
            payload = bytes(buffer[start + head : start + head + length])
            start += head + length
            if opcode == 0x1:
                self.message(payload, now)
            elif opcode == 0x9:  # WebSocket ping: pong with the same data (never longer than 125)
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            elif opcode == 0x8:
                self.transport.close()
        del buffer[:start]

    def message(self, payload: bytes, now: float) -> None:
        if payload.startswith(STANDINGS):
            self.arrivals.append((int(VERSION.search(payload).group(1)), now))
        elif payload == b"2":  # Engine.IO ping
            self.transport.write(PONG)
        elif payload.startswith(b"0"):  # Engine.IO open: connect the default namespace
            self.transport.write(client_frame("40"))
        elif payload.startswith(b"40"):  # namespace connected: watch the skill, asking for an ack
            self.transport.write(client_frame('421["watch",{"event":"podium-2026","skill":"cnc-milling"}]'))
        elif payload.startswith(ACK) and not self.watching.done():
            self.base = int(VERSION.search(payload).group(1))
            self.watching.set_result(None)


async def connect(url: str) -> Board:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    for attempt in range(20):
        try:
            _, board = await loop.create_connection(
                lambda: Board(parts.netloc, "/socket.io/?EIO=4&transport=websocket"), parts.hostname, parts.port
            )
            await asyncio.wait_for(board.watching, 60)
            return board
        except (OSError, ConnectionError):
            await asyncio.sleep(0.2 * (attempt + 1))
    raise SystemExit(f"could not connect to {url}")


async def main(args) -> None:
    boards: list[Board] = []
    for start in range(0, args.clients, 50):  # connect in small waves, not all at once
        boards += await asyncio.gather(*(connect(args.url) for _ in range(min(50, args.clients - start))))
    print("ready", flush=True)
    deadline = time.time() + args.timeout
    while time.time() < deadline:  # until every board has the last version, or the time is up
        if all(b.arrivals and b.arrivals[-1][0] >= b.base + args.count for b in boards):
            break
        await asyncio.sleep(0.1)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump([b.arrivals for b in boards], out)
    for board in boards:
        board.transport.close()


def arguments(argv=None) -> argparse.Namespace:
    """The client processes' command line (shared with bench/_clients_socketio.py)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--count", type=int, required=True, help="how many marks will be posted")
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--out", required=True)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(arguments()))
    sys.exit(0)
