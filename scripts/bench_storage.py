"""Benchmark body for scripts/bench_storage (run that, not this).

Upload MB/s through the local /storage/v1 gateway (lean generator in its own
process, keep-alive, upsert to one path per connection) beside its ceilings in
the same run: the bare insert endpoint with the same body, and plain file
writes; signed URLs per second. Medians of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import benchlib  # noqa: E402
from psycopg import AsyncConnection  # noqa: E402
from psycopg.rows import dict_row  # noqa: E402

from app import dbadmin  # noqa: E402
from app.config import Settings  # noqa: E402
from app.identity import service as identity  # noqa: E402
from app.localdev import ensure_local_secrets  # noqa: E402


async def citizen(url: str, secret: str) -> tuple[str, str]:
    async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
        await identity.add_municipality(conn, code="BENCH", name="Bench", province="GP")
        uid = await identity.add_user(conn, email="bench@bench.example", role="citizen",
                                      municipality_code="BENCH")
        token = await identity.issue_token(conn, email="bench@bench.example", secret=secret)
        cur = await conn.execute("select tenant_id from public.profiles where id = %s", (uid,))
        tenant = (await cur.fetchone())["tenant_id"]  # type: ignore[index]
        await conn.commit()
    return token, f"{tenant}/{uid}"


def plain_writes(size: int, count: int) -> float:
    payload = b"x" * size
    with tempfile.TemporaryDirectory(dir=ROOT / ".local") as tmp:
        started = time.perf_counter()
        for i in range(count):
            with open(Path(tmp) / f"{i}.png", "wb") as fh:
                fh.write(payload)
        return size * count / 2**20 / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", metavar="GIT_REF",
                        help="also measure uploads with the app of this commit (same run)")
    args = parser.parse_args()
    ensure_local_secrets()
    base = Settings(supabase_url="", environment="development")
    name = f"salga_bench_storage_{uuid.uuid4().hex[:6]}"
    dbadmin.create_database(base.database_url, name)
    url = dbadmin.with_database(base.database_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        _, folder = asyncio.run(citizen(url, base.supabase_jwt_secret))
        # As the service role (how the media pipeline writes): a citizen may not
        # overwrite a file that has not passed its safety check yet (an upsert needs
        # it readable, and RLS hides unchecked files), so repeated uploads of one path
        # measure the gateway's streaming, not that refusal.
        report = measure(url, base.supabase_service_role_key, folder, args)
    finally:
        dbadmin.drop_database(base.database_url, name)
    for key in ("upload", "bare_insert_same_body", "signed_urls"):
        r = report[key]
        print(f"{key:<22} {r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
              f"  server {r['server_cpu_pct_of_core']}%  generator"
              f" {r['generator_cpu_pct_of_core']}%  ({r['errors']} errors)")
    if report["before_ref"]:
        print(f"upload with {report['before_ref']}: {report['upload_before_mb_per_s']} MB/s")
    print(f"upload {report['upload_mb_per_s']} MB/s; bare insert of the same body"
          f" {report['bare_insert_mb_per_s']} MB/s; plain writes"
          f" {report['plain_write_mb_per_s']} MB/s")
    benchlib.save("bench_storage", report)


def measure(url: str, token: str, folder: str, args: argparse.Namespace) -> dict[str, Any]:
    size = args.size_kb * 1024
    body = "x" * size
    auth = {"Authorization": f"Bearer {token}"}
    uploads = [[{"method": "POST", "path": f"/storage/v1/object/evidence/{folder}/c{c}.png",
                 "headers": {**auth, "Content-Type": "image/png", "x-upsert": "true"},
                 "body": body}] for c in range(args.connections)]
    signs = [[{"method": "POST", "path": f"/storage/v1/object/sign/evidence/{folder}/c{c}.png",
               "headers": {**auth, "Content-Type": "application/json"},
               "body": '{"expiresIn": 60}'}] for c in range(args.connections)]
    inserts = [[{"method": "POST", "path": "/insert", "headers": {"Content-Type": "text/plain"},
                 "body": body}] for _ in range(args.connections)]
    rounds: dict[str, list[dict[str, Any]]] = {}
    plain: list[float] = []
    before_dir = tempfile.TemporaryDirectory(prefix="salga-before-") if args.before else None
    for _ in range(args.rounds):
        if before_dir is not None:
            old = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=8,
                                  cwd=benchlib.checkout(args.before, Path(before_dir.name)))
            try:
                benchlib.load(old, uploads, 1)
                rounds.setdefault("upload_before", []).append(
                    benchlib.load(old, uploads, args.seconds))
            finally:
                old.stop()
        api = benchlib.Server(["--factory", "app.main:app_factory"], url=url, pool=8)
        try:
            benchlib.load(api, uploads, 1)
            rounds.setdefault("upload", []).append(benchlib.load(api, uploads, args.seconds))
            rounds.setdefault("signed_urls", []).append(benchlib.load(api, signs, args.seconds))
        finally:
            api.stop()
        bare = benchlib.Server(["--app-dir", "scripts", "bench_bare_app:app"], url=url, pool=8)
        try:
            rounds.setdefault("bare_insert_same_body", []).append(
                benchlib.load(bare, inserts, args.seconds))
        finally:
            bare.stop()
        plain.append(plain_writes(size, 200))
    if before_dir is not None:
        before_dir.cleanup()
    found = {k: benchlib.medians(v) for k, v in rounds.items()}
    mb = size / 2**20
    upload_mb = round(found["upload"]["rps"] * mb, 1)
    insert_mb = round(found["bare_insert_same_body"]["rps"] * mb, 1)
    plain_mb = round(sorted(plain)[len(plain) // 2], 1)
    return {"size_kb": args.size_kb, "connections": args.connections, "seconds": args.seconds,
            "rounds": args.rounds, **found, "upload_mb_per_s": upload_mb,
            "bare_insert_mb_per_s": insert_mb, "plain_write_mb_per_s": plain_mb,
            "before_ref": args.before,
            "upload_before_mb_per_s": round(found["upload_before"]["rps"] * mb, 1)
            if args.before else None,
            "upload_vs_bare_insert": round(upload_mb / (insert_mb or 1), 3),
            "upload_vs_plain_write": round(upload_mb / (plain_mb or 1), 4)}


if __name__ == "__main__":
    main()
