"""A lean HTTP/1.1 load generator, run in its own process by the benches.

Raw asyncio sockets (uvloop when installed), keep-alive connections, no HTTP
library: a few microseconds of CPU per request, so the figures measure the
server and not the client. It reports its own CPU time beside the results.

Input (a JSON file named on the command line):
  {"host": "127.0.0.1", "port": 8000, "seconds": 5, "rate": null (or per connection/s),
   "connections": [[request, ...], ...]}   one list per connection, cycled
  request = {"method": "GET", "path": "/x", "headers": {...}, "body": "..."}
Output (stdout, JSON): requests, errors, rps, p50/p95/p99 ms, statuses, cpu.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any


def encode(request: dict[str, Any], host: str) -> bytes:
    body = request.get("body", "").encode()
    lines = [f"{request.get('method', 'GET')} {request['path']} HTTP/1.1", f"Host: {host}",
             f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (request.get("headers") or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def connection(spec: dict[str, Any], requests: list[bytes], deadline: float,
                     latencies: list[float], statuses: dict[int, int]) -> int:
    """Closed loop (next request when the answer is in), or open loop at `rate` per
    second per connection, where latency counts from when the request was due."""
    errors, i = 0, 0
    interval = 1.0 / spec["rate"] if spec.get("rate") else 0.0
    next_due = time.perf_counter()
    reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
    try:
        while time.perf_counter() < deadline:
            if interval:
                next_due += interval
                await asyncio.sleep(max(0.0, next_due - interval - time.perf_counter()))
                if time.perf_counter() >= deadline:
                    break
            started = next_due - interval if interval else time.perf_counter()
            try:
                writer.write(requests[i % len(requests)])
                status = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
                continue
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            errors += status >= 400
            i += 1
    finally:
        writer.close()
    return errors


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    host = f"{spec['host']}:{spec['port']}"
    conns = [[encode(r, host) for r in reqs] for reqs in spec["connections"]]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    deadline = started + float(spec["seconds"])
    errors = sum(await asyncio.gather(*(connection(spec, c, deadline, latencies, statuses)
                                        for c in conns)))
    elapsed = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    ordered = sorted(latencies)
    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "connections": len(conns), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(ordered, 50) * 1000, 2),
            "p95_ms": round(percentile(ordered, 95) * 1000, 2),
            "p99_ms": round(percentile(ordered, 99) * 1000, 2),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "generator_cpu_s": round(cpu, 2),
            "generator_cpu_pct_of_core": round(100 * cpu / elapsed, 1),
            "generator_cpu_us_per_request": round(1e6 * cpu / max(1, len(latencies)), 1)}


def main() -> None:
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(run(spec))))


if __name__ == "__main__":
    main()
