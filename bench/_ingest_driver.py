"""One driver process of the ingest benchmark: a share of the judges posting marks over HTTP.

Each judge has its own keep-alive HTTP connection (an aiohttp session limited to one
connection) and its bearer token, and sends its marks one at a time, every time to a
(competitor, aspect) it has not marked yet, so ``base_version`` 0 is always right.

The coordinator (bench/ingest.py) writes one step a line on stdin:
``{"label", "rate", "seconds", "start"}`` — the whole run's offered marks per second (all
drivers together), how long, and the wall-clock time to begin. Mark number m of the step is
due at ``start + m / rate`` and belongs to judge ``m % judges``; a judge whose previous mark is
still unanswered sends the next one late, as a tablet's outbox would. Nothing is sent after
the step's end. Once every answer of the step is in, the driver prints one JSON line: a record
per request ``[judge, key, competitor_id, aspect, value, due, sent, done, status, detail]``
(times: wall clock, seconds) and the CPU seconds this process used during the step.
An empty line ends the process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import aiohttp

TIMEOUT = 30  # seconds; an unanswered request is recorded with status 0 (outcome unknown)


class Judge:
    def __init__(self, spec: dict, cells: list, values: dict, run: str, url: str):
        self.index = spec["index"]
        self.headers = {"Authorization": f"Bearer {spec['token']}", "Content-Type": "application/json"}
        self.competitors = spec["competitors"]  # this judge's competitor ids, in the order it marks them
        self.aspects = cells
        self.values = values
        self.next = 0  # this judge's next cell: competitor next // len(aspects), aspect next % len(aspects)
        self.run = run
        self.url = url
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1, force_close=False),
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        )

    @property
    def exhausted(self) -> bool:
        return self.next >= len(self.competitors) * len(self.aspects)

    def body(self) -> tuple[str, dict]:
        number = self.next
        self.next += 1
        aspect = self.aspects[number % len(self.aspects)]
        competitor = self.competitors[number // len(self.aspects)]
        choices = self.values[aspect]
        value = choices[(self.index + number) % len(choices)]
        key = f"{self.run}-j{self.index}-{number}"
        return key, {"competitor_id": competitor, "aspect": aspect, "value": value, "idempotency_key": key, "base_version": 0}

    async def post(self, due: float, offset: float, records: list) -> None:
        key, body = self.body()
        sent = time.perf_counter()
        status, detail = 0, ""
        try:
            async with self.session.post(self.url, data=json.dumps(body), headers=self.headers) as response:
                status = response.status
                text = await response.text()
            try:
                answer = json.loads(text)
                detail = answer.get("version") if status in (200, 201) else answer.get("error", {}).get("code", "")
            except ValueError:
                detail = text[:200]
        except Exception as err:  # timeouts, refused or reset connections: the outcome is unknown
            detail = f"{type(err).__name__}: {err}"[:200]
        done = time.perf_counter()
        records.append([self.index, key, body["competitor_id"], body["aspect"], body["value"], due, sent + offset, done + offset,
                        status, detail])


async def judge_step(judge: Judge, position: int, judges: int, rate: float, start: float, end: float, offset: float,
                     records: list) -> None:
    m = position
    while True:
        due = start + m / rate
        if due >= end or judge.exhausted:
            return
        delay = due - (time.perf_counter() + offset)
        if delay > 0:
            await asyncio.sleep(delay)
        elif time.perf_counter() + offset >= end:
            return  # fell behind: what is left of the step is not sent
        await judge.post(due, offset, records)
        m += judges


async def main(args) -> None:
    spec = json.loads(open(args.spec, encoding="utf-8").read())
    judges = [Judge(j, spec["aspects"], spec["values"], spec["run"], spec["url"]) for j in spec["judges"]]
    total = spec["judges_total"]
    offset = time.time() - time.perf_counter()  # wall clock = perf_counter + offset, for comparing processes
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    print("ready", flush=True)
    try:
        while True:
            line = (await reader.readline()).strip()
            if not line:
                break
            step = json.loads(line)
            records: list = []
            cpu = time.process_time()
            end = step["start"] + step["seconds"]
            await asyncio.gather(*(judge_step(j, j.index, total, step["rate"], step["start"], end, offset, records) for j in judges))
            print(json.dumps({"label": step["label"], "records": records, "cpu": time.process_time() - cpu}), flush=True)
    finally:
        await asyncio.gather(*(j.session.close() for j in judges))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    asyncio.run(main(parser.parse_args()))
