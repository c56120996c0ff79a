"""Regenerates the README's benchmark table from the JSON in bench-results/.

    .venv/bin/python scripts/bench_table.py          # rewrite README.md in place
    .venv/bin/python scripts/bench_table.py --print  # only print the table

The table sits between the `bench-table` markers in README.md; every figure
comes from a saved result (median of its rounds), with the machine and date.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def latest(prefix: str) -> dict[str, Any] | None:
    found = sorted(RESULTS.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(found[-1].read_text()) if found else None


def req(r: dict[str, Any]) -> str:
    return f"{r['rps']:,.0f} req/s (p50 {r['p50_ms']:.1f}, p99 {r['p99_ms']:.1f} ms)"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def tickets_rows(d: dict[str, Any]) -> list[str]:
    rows = [f"| `bench_tickets` ({d['tickets']:,} tickets, {d['concurrency']} connections) "
            f"| ceilings: FastAPI without DB / `select 1` / bare insert "
            f"| {req(d['plain_no_db'])} / {req(d['select_1'])} / {req(d['bare_insert'])} |"]
    sel = d["select_1"]["rps"]
    for key, label in (("get_tickets", "`GET /tickets`"), ("patch_status", "`PATCH status`")):
        before, after = d.get(f"{key}_before"), d.get(f"{key}_after")
        if not before or not after:
            continue
        middle = d.get(f"{key}_stable_only")
        extra = f"; STABLE alone {middle['rps']:,.0f} req/s" if middle else ""
        rows.append(f"| | {label}: before (1 worker x 20 conns, IMMUTABLE) → after "
                    f"(2 x 8, STABLE) | {req(before)} → {req(after)}; "
                    f"x{ratio(after['rps'], before['rps'])}{extra}; after/`select 1` "
                    f"{ratio(after['rps'], sel)} |")
    esc = d.get("escalation") or {}
    if esc:
        rows.append(f"| | escalation sweep | {esc['escalated']:,} overdue tickets in "
                    f"{esc['sweep_s']} s; re-run {esc['idempotent_rerun_escalated']} in "
                    f"{esc['idempotent_rerun_s']} s |")
    gen = d["plain_no_db"]
    rows.append(f"| | load generator's own CPU (at the FastAPI ceiling) | "
                f"{gen['generator_cpu_pct_of_core']}% of a core, "
                f"{gen['generator_cpu_us_per_request']} µs per request |")
    return rows


def per_delivery(r: dict[str, Any]) -> str:
    """Server CPU microseconds per delivered frame (core share / deliveries per second)."""
    return f"{1e4 * r['server_cpu_pct_of_core'] / r['rps']:.1f}" if r["rps"] else "-"


def realtime_rows(d: dict[str, Any]) -> list[str]:
    b, a, s = d["before"], d["after"], d["supabase_published"]
    return [f"| `bench_realtime` ({d['clients']:,} clients, {d['rate_per_s']:.0f} commits/s) "
            f"| commit-to-receipt p50 / p95 / p99: before (per-client encoding, deflate) → "
            f"after (encoded once, no deflate) | {b['p50_ms']} / {b['p95_ms']} / {b['p99_ms']} "
            f"→ {a['p50_ms']} / {a['p95_ms']} / {a['p99_ms']} ms; {a['rps']:,.0f} msg/s; "
            f"server CPU per delivery {per_delivery(b)} → {per_delivery(a)} µs, "
            f"clients {a['generator_cpu_pct_of_core']}% (Supabase published: "
            f"{s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} ms) |"]


def storage_rows(d: dict[str, Any]) -> list[str]:
    before = (f"before ({d['before_ref']}, body read whole) {d['upload_before_mb_per_s']} → "
              if d.get("before_ref") else "")
    return [f"| `bench_storage` ({d['size_kb']:,} KiB bodies, {d['connections']} connections) "
            f"| upload vs bare insert of the same body vs plain file writes "
            f"| {before}{d['upload_mb_per_s']} vs {d['bare_insert_mb_per_s']} vs "
            f"{d['plain_write_mb_per_s']} MB/s (ratios {d['upload_vs_bare_insert']} / "
            f"{d['upload_vs_plain_write']}) |",
            f"| | signed URLs | {req(d['signed_urls'])} |"]


def whatsapp_rows(d: dict[str, Any]) -> list[str]:
    w, b, o = d["webhook"], d["bare_insert"], d["outbox"]
    return [f"| `bench_whatsapp` ({d['concurrency']} connections) | signed webhook (whole "
            f"conversations) vs bare insert | {req(w)} vs {req(b)} (ratio "
            f"{d['webhook_vs_bare_insert']}) |",
            f"| | outbox drain against the Twilio stand-in | {o['sent_per_s']} msg/s "
            f"(per-sender limit off) |"]


def ocr_rows(d: dict[str, Any]) -> list[str]:
    p, pdf = d["seconds_per_upright_page"], d["seconds_per_pdf_page"]
    return [f"| `bench_ocr` (300-dpi A4) | seconds per upright page: before (despeckle "
            f"and orientation on every page) → after (each only when the reading is poor) "
            f"| {p['before']} → {p['after']} s (target ≤ "
            f"{d['target_seconds_per_upright_page']} s); {d['pdf_pages']}-page PDF per page "
            f"{pdf['before']} → {pdf['after']} s (pages in parallel) |"]


def day_rows(d: dict[str, Any]) -> list[str]:
    rows = []
    for route, r in d["routes"].items():
        rows.append(f"| {'`bench_day`' if not rows else ''} | {route} | {r['rps']:,.1f} req/s, "
                    f"p50 {r['p50_ms']} / p95 {r['p95_ms']} / p99 {r['p99_ms']} ms, "
                    f"{r['errors']} errors |")
    rows.append(f"| | saturates first | {d['saturates_first']} |")
    return rows


def table() -> str:
    sources = [(latest("bench_tickets_"), tickets_rows), (latest("bench_realtime_"),
               realtime_rows), (load("bench_storage"), storage_rows), (load("bench_whatsapp"),
               whatsapp_rows), (load("bench_ocr"),
               ocr_rows), (load("bench_day"), day_rows)]
    found = [(d, f) for d, f in sources if d]
    if not found:
        return "(no results in bench-results/ yet: run the benches)"
    machine = found[0][0].get("machine") or {}
    dates = sorted(d["at"][:10] for d, _ in found)
    lines = [f"Measured {dates[0]} to {dates[-1]} on {machine.get('cpus', '?')} CPUs "
             f"({machine.get('cpu_model') or 'unknown model'}), "
             f"{machine.get('memory_gib', '?')} GiB, shared with other work "
             f"(load average {machine.get('load_average_at_start', '?')} at the start): read "
             "absolute figures as orders of magnitude and the ratios, measured side by side "
             "in one run (medians of 3), as the result.", "",
             "| bench | what | figure |", "| --- | --- | --- |"]
    for data, rows in found:
        lines += rows(data)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--print", action="store_true")
    args = parser.parse_args()
    text = table()
    if args.print:
        print(text)
        return
    readme = ROOT / "README.md"
    content = readme.read_text()
    if START not in content:
        raise SystemExit(f"README.md has no {START} marker")
    head, rest = content.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    print("README.md benchmark table regenerated")


if __name__ == "__main__":
    main()
