"""`scripts/bench_storage`: gateway upload throughput vs plain writes, signing, OCR per page."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from app import dbadmin
from app.config import ROOT, Settings
from app.identity import service as identity
from app.localdev import ensure_local_secrets
from app.main import create_app


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import uvicorn
    from psycopg import AsyncConnection
    from psycopg.rows import dict_row

    base = Settings(supabase_url="", environment="test")
    name = f"salga_bench_{uuid.uuid4().hex[:8]}"
    dbadmin.create_database(base.database_url, name)
    url = dbadmin.with_database(base.database_url, name)
    try:
        dbadmin.prepare(url, local_platform=True)
        settings = Settings(supabase_url="", environment="test", database_url=url)
        async with await AsyncConnection.connect(url, row_factory=dict_row) as conn:
            await identity.add_municipality(conn, code="BENCH", name="Bench", province="GP")
            uid = await identity.add_user(conn, email="bench@bench.example", role="citizen",
                                          municipality_code="BENCH")
            token = await identity.issue_token(conn, email="bench@bench.example",
                                               secret=settings.supabase_jwt_secret)
            cur = await conn.execute("select tenant_id from public.profiles where id = %s",
                                     (uid,))
            tenant = (await cur.fetchone())["tenant_id"]  # type: ignore[index]
            await conn.commit()
        port = 18000 + os.getpid() % 1000
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1",
                                               port=port, log_level="warning"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        try:
            return await measure(args, f"http://127.0.0.1:{port}", token, f"{tenant}/{uid}")
        finally:
            server.should_exit = True
            await task
    finally:
        dbadmin.drop_database(base.database_url, name)


async def measure(args: argparse.Namespace, base: str, token: str, folder: str) -> dict[str, Any]:
    payload = os.urandom(args.size_kb * 1024)
    payload = b"\x89PNG\r\n\x1a\n" + payload[8:]
    headers = {"Authorization": f"Bearer {token}", "content-type": "image/png"}
    total_mb = len(payload) * args.uploads / 2**20
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        start = time.perf_counter()
        paths = []
        for _ in range(args.uploads):
            path = f"{folder}/{uuid.uuid4()}.png"
            r = await client.post(f"/storage/v1/object/documents/{path}", content=payload,
                                  headers=headers)
            r.raise_for_status()
            paths.append(path)
        gateway_s = time.perf_counter() - start
        with tempfile.TemporaryDirectory(dir=ROOT / ".local") as tmp:
            start = time.perf_counter()
            for i in range(args.uploads):
                target = Path(tmp) / f"{i}.png"
                with open(target, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
            plain_s = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(args.signs):
            r = await client.post(f"/storage/v1/object/sign/documents/{paths[i % len(paths)]}",
                                  json={"expiresIn": 60}, headers=headers)
            r.raise_for_status()
        sign_s = time.perf_counter() - start
    ocr_s = ocr_seconds_per_page(args.pages)
    return {
        "uploads": args.uploads, "size_kb": args.size_kb,
        "gateway_mb_per_s": round(total_mb / gateway_s, 2),
        "plain_write_mb_per_s": round(total_mb / plain_s, 2),
        "gateway_vs_plain_ratio": round((total_mb / gateway_s) / (total_mb / plain_s), 4),
        "signed_urls_per_s": round(args.signs / sign_s, 1),
        "ocr_pages": args.pages, "ocr_seconds_per_300dpi_page": round(ocr_s, 2),
    }


def ocr_seconds_per_page(pages: int) -> float:
    import io

    from PIL import Image, ImageDraw, ImageFont

    from app.ocr import pages as ocr_pages

    page = Image.new("RGB", (2480, 3508), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    lines = ["Stellenbosch Local Municipality", "Account holder: T Mokoena",
             f"Statement date: {date.today():%d %B %Y}", "Service address: 12 Dorp Street",
             "Stellenbosch, 7600", "Water 342.10", "Amount due: R 1 546.65"]
    for i, line in enumerate(lines * 3):
        draw.text((200, 200 + i * 110), line, fill="black", font=font)
    buf = io.BytesIO()
    page.save(buf, format="PNG")
    start = time.perf_counter()
    for _ in range(pages):
        ocr_pages.document_text(buf.getvalue())
    return (time.perf_counter() - start) / pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--signs", type=int, default=300)
    parser.add_argument("--pages", type=int, default=2)
    args = parser.parse_args()
    ensure_local_secrets()
    result = asyncio.run(run(args))
    for key, value in result.items():
        print(f"{key:>30}: {value}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    target = out / f"storage-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"saved {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
