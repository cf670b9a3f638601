"""Board connections for the fan-out benchmark: many light Socket.IO clients in one process.

Each board speaks the Engine.IO 4 / Socket.IO 5 wire protocol over one aiohttp websocket: open,
connect the namespace, ``watch`` the skill (with an ack), answer pings, and for every
``standings`` event record (version, arrival time). The version is read from the raw frame
with a regular expression instead of decoding 3-4 KB of JSON per message, so the measuring
side costs little CPU: the board server, not the harness, is what is measured. Podium and the
bare baseline are measured with these same clients.

Prints "ready" once every client is connected and watching, then writes the arrivals as JSON
when every board has the last version or time runs out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time

import aiohttp

VERSION = re.compile(rb'"version":\s*(\d+)')
STANDINGS = b'42["standings"'


class Board:
    def __init__(self, session: aiohttp.ClientSession, url: str):
        self.session, self.url = session, url
        self.arrivals: list[tuple[int, float]] = []
        self.base = 0
        self.ws = None

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        for attempt in range(20):
            try:
                self.ws = await self.session.ws_connect(ws_url, max_msg_size=0, autoping=True)
                break
            except aiohttp.ClientError:
                await asyncio.sleep(0.2 * (attempt + 1))
        else:
            raise SystemExit(f"could not connect to {ws_url}")
        opened = await self.ws.receive_str()
        assert opened.startswith("0"), opened
        await self.ws.send_str("40")
        connected = await self.ws.receive_str()
        assert connected.startswith("40"), connected
        await self.ws.send_str('421["watch",{"skill":"cnc-milling"}]')
        while True:
            message = await self.ws.receive_str()
            if message.startswith("431"):
                self.base = int(VERSION.search(message.encode()).group(1))
                return
            if message == "2":
                await self.ws.send_str("3")

    async def listen(self) -> None:
        async for message in self.ws:
            data = message.data.encode() if message.type == aiohttp.WSMsgType.TEXT else message.data
            if data == b"2":
                await self.ws.send_str("3")
            elif data.startswith(STANDINGS):
                self.arrivals.append((int(VERSION.search(data).group(1)), time.time()))


async def main(args) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        boards = [Board(session, args.url) for _ in range(args.clients)]
        for start in range(0, len(boards), 50):  # connect in small waves, not all at once
            await asyncio.gather(*(b.connect() for b in boards[start : start + 50]))
        listeners = [asyncio.create_task(b.listen()) for b in boards]
        print("ready", flush=True)
        deadline = time.time() + args.timeout
        while time.time() < deadline:  # until every board has the last version, or the time is up
            if all(b.arrivals and b.arrivals[-1][0] >= b.base + args.count for b in boards):
                break
            await asyncio.sleep(0.1)
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump([b.arrivals for b in boards], out)
        for task in listeners:
            task.cancel()
        await asyncio.gather(*(b.ws.close() for b in boards), return_exceptions=True)


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
