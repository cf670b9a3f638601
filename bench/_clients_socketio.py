"""Board connections for the fan-out benchmark: many python-socketio AsyncClients in one process.

Prints "ready" once every client is connected and watching, then records (version, arrival time)
for every "standings" message and writes them as JSON when it has them all or time runs out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time

import socketio

logging.getLogger("engineio.client").setLevel(logging.ERROR)  # "packet queue is empty" at the end


async def board(url: str, received: list, ready: asyncio.Event, watching: list, n: int) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    mine: list = []
    received.append(mine)

    @client.on("standings")
    def standings(payload):
        mine.append((payload["version"], time.time()))

    for attempt in range(20):
        try:
            await client.connect(url, transports=["websocket"], wait_timeout=30)
            break
        except Exception:
            await asyncio.sleep(0.2 * (attempt + 1))
    else:
        raise SystemExit(f"could not connect to {url}")
    state = await client.call("watch", {"event": "podium-2026", "skill": "cnc-milling"}, timeout=60)
    board.base = state["version"]  # nothing is marked until every board watches
    watching.append(client)
    if len(watching) == n:
        ready.set()
    return client


async def main(args) -> None:
    received: list = []
    ready = asyncio.Event()
    watching: list = []
    clients = []
    for start in range(0, args.clients, 25):  # connect in small waves, not all at once
        batch = [board(args.url, received, ready, watching, args.clients) for _ in range(start, min(args.clients, start + 25))]
        clients += await asyncio.gather(*batch)
    await ready.wait()
    print("ready", flush=True)
    deadline = time.time() + args.timeout
    while time.time() < deadline:  # until every board has the last version, or the time is up
        if all(arrivals and arrivals[-1][0] >= board.base + args.count for arrivals in received):
            break
        await asyncio.sleep(0.1)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(received, out)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


if __name__ == "__main__":
    from bench._clients import arguments

    asyncio.run(main(arguments()))
    sys.exit(0)
