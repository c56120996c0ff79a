"""What every bench shares: servers in their own processes, the lean load
generator in another, CPU accounting for both, medians, and saving results."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its (live) children, from /proc."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


class Server:
    """uvicorn in its own process (`workers` processes with `pool` connections each)."""

    def __init__(self, app_args: list[str], *, url: str, pool: int = 20, workers: int = 1,
                 env: dict[str, str] | None = None, deflate: bool = False,
                 cwd: Path = ROOT) -> None:
        self.port = free_port()
        environ = {**os.environ, "DATABASE_URL": url, "DB_POOL_MAX": str(pool),
                   "SUPABASE_URL": "", "LOG_LEVEL": "WARNING", **(env or {})}
        args = [str(ROOT / ".venv/bin/uvicorn"), *app_args, "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "warning", "--no-access-log",
                "--ws-ping-interval", "0",
                "--ws-per-message-deflate", "true" if deflate else "false"]
        if workers > 1:
            args += ["--workers", str(workers)]
            # /metrics adds up the workers, as scripts/dev serves them
            self.metrics_dir = tempfile.TemporaryDirectory(prefix="salga-metrics-")
            environ["PROMETHEUS_MULTIPROC_DIR"] = self.metrics_dir.name
        self.proc = subprocess.Popen(args, env=environ, cwd=cwd)
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            self.stop()
            raise SystemExit("server did not start")

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load(server: Server, connections: list[list[dict[str, Any]]], seconds: float,
         *, rate: float | None = None) -> dict[str, Any]:
    """Drive `server` with the lean generator in its own process; adds server CPU.
    `rate`: requests per second per connection (open loop); None: as fast as answered."""
    spec = {"host": "127.0.0.1", "port": server.port, "seconds": seconds,
            "connections": connections, "rate": rate}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
    try:
        before = server.cpu()
        out = subprocess.run([sys.executable, str(ROOT / "scripts/loadgen.py"), fh.name],
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            raise SystemExit(f"the load generator failed: {out.stderr.strip()[-2000:]}")
        used = server.cpu() - before
    finally:
        os.unlink(fh.name)
    result: dict[str, Any] = json.loads(out.stdout)
    result["server_cpu_pct_of_core"] = round(100 * used / max(result["seconds"], 0.001), 1)
    return result


def same(request: dict[str, Any], connections: int) -> list[list[dict[str, Any]]]:
    return [[request] for _ in range(connections)]


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over rounds (and the rounds themselves)."""
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms", "generator_cpu_pct_of_core",
            "server_cpu_pct_of_core", "generator_cpu_us_per_request")
    found: dict[str, Any] = {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}
    found["errors"] = sum(r["errors"] for r in runs)
    found["rounds"] = [{k: r[k] for k in ("rps", "p50_ms", "p99_ms", "errors")} for r in runs]
    return found


def machine() -> dict[str, Any]:
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024 // 1024
    except OSError:
        pass
    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    return {"cpus": os.cpu_count(), "memory_gib": mem, "cpu_model": model,
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def save(name: str, report: dict[str, Any]) -> Path:
    report = {"bench": name, "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": machine(), **report}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"saved {path.relative_to(ROOT)}")
    return path


def ceilings(url: str, *, connections: int, seconds: float, pool: int = 20
             ) -> dict[str, dict[str, Any]]:
    """One round of the three ceilings on the bare app."""
    server = Server(["--app-dir", "scripts", "bench_bare_app:app"], url=url, pool=pool)
    try:
        load(server, same({"path": "/plain"}, connections), 1)  # warm-up
        return {
            "plain_no_db": load(server, same({"path": "/plain"}, connections), seconds),
            "select_1": load(server, same({"path": "/bare"}, connections), seconds),
            "bare_insert": load(server, same({"method": "POST", "path": "/insert",
                                              "headers": {"Content-Type": "text/plain"},
                                              "body": "x" * 200}, connections), seconds),
        }
    finally:
        server.stop()


def load_many(server: Server, mixes: dict[str, tuple[list[list[dict[str, Any]]], float]],
              seconds: float) -> dict[str, dict[str, Any]]:
    """Several open-loop generators at once (one process each): name -> (connections,
    rate per connection). Adds the server's CPU over the whole window to each result."""
    procs, files = {}, []
    before = server.cpu()
    started = time.perf_counter()
    for name, (connections, rate) in mixes.items():
        spec = {"host": "127.0.0.1", "port": server.port, "seconds": seconds,
                "connections": connections, "rate": rate}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(spec, fh)
        files.append(fh.name)
        procs[name] = subprocess.Popen([sys.executable, str(ROOT / "scripts/loadgen.py"),
                                        fh.name], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    results = {name: json.loads(proc.communicate()[0]) for name, proc in procs.items()}
    used = server.cpu() - before
    elapsed = time.perf_counter() - started
    for name in files:
        os.unlink(name)
    for result in results.values():
        result["server_cpu_pct_of_core"] = round(100 * used / elapsed, 1)
    return results


def checkout(ref: str, into: Path) -> Path:
    """The app/ of an earlier commit (and our local secrets) in `into`, for a
    before/after in one run; the server started with cwd=`into` imports it."""
    archive = subprocess.run(["git", "archive", ref, "app"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (into / ".local").mkdir(exist_ok=True)
    secrets = ROOT / ".local" / "secrets.env"
    if secrets.exists():
        (into / ".local" / "secrets.env").write_bytes(secrets.read_bytes())
    return into
