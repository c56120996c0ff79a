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
    if "get_tickets_before" not in d:
        return workspace_rows(d)
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
    rows += sweep_rows(d)
    gen = d["plain_no_db"]
    rows.append(f"| | load generator's own CPU (at the FastAPI ceiling) | "
                f"{gen['generator_cpu_pct_of_core']}% of a core, "
                f"{gen['generator_cpu_us_per_request']} µs per request |")
    return rows


def sweep_rows(d: dict[str, Any]) -> list[str]:
    esc = d.get("escalation") or {}
    if not esc:
        return []
    return [f"| | escalation sweep | {esc['escalated']:,} overdue tickets in "
            f"{esc['sweep_s']} s; re-run {esc['idempotent_rerun_escalated']} in "
            f"{esc['idempotent_rerun_s']} s |"]


WORKSPACE = (("get_tickets", "`GET /tickets` (newest 50)"),
             ("list_overdue_filtered", "list filtered: status + category + SLA breached"),
             ("list_page_2", "the next page (keyset cursor)"),
             ("list_page_a_year_back", "a page a year back (keyset cursor)"),
             ("search_tracking_number", "search `q=` a tracking number"),
             ("search_address", "search `q=` address words"),
             ("stats_30_days", "`GET /stats` (30 days)"),
             ("stats_year", "`GET /stats` (a year)"),
             ("export_30_days", "CSV export, 30 days (1 connection, to the last byte)"),
             ("patch_status", "`PATCH status`"))


def lat(r: dict[str, Any]) -> str:
    return f"p50 {r['p50_ms']:.1f} / p95 {r['p95_ms']:.1f} ms, {r['rps']:,.1f} req/s"


def workspace_rows(d: dict[str, Any]) -> list[str]:
    """The staff workspace at scale: each beside the ceilings, correctness, the check."""
    sel = d["select_1"]
    rows = [f"| `bench_tickets` ({d['tickets']:,} tickets, {d.get('municipalities', 1)} "
            f"municipalities; {d.get('tickets_of_the_measured_municipality', 0):,} in the "
            f"manager's; {d['concurrency']} connections) | ceilings: FastAPI without DB / "
            f"`select 1` | {lat(d['plain_no_db'])} / {lat(sel)} |"]
    for key, label in WORKSPACE:
        if key in d:
            rows.append(f"| | {label} | {lat(d[key])}; x{ratio(d[key]['rps'], sel['rps'])} "
                        f"of `select 1` |")
    for name, e in (d.get("exports") or {}).items():
        rows.append(f"| | {name.replace('_', ' ')} | {e['rows']:,} rows in "
                    f"{e['seconds_to_last_byte']} s ({e['rows_per_s']:,} rows/s; first byte "
                    f"{e['seconds_to_first_byte']} s) |")
    dup = d.get("duplicate_check") or {}
    if dup:
        rows.append("| | duplicate check on filing (PostGIS, SQL) | " + "; ".join(
            f"{k.replace('_', ' ')}: p50 {v['p50_ms']} / p95 {v['p95_ms']} ms"
            for k, v in dup.items()) + " |")
    checks = d.get("correct_at_scale") or {}
    if checks:
        walked = [f"{k.replace('_', ' ')} {v['listed']:,} = SQL {v['sql_count']:,} (oldest "
                  f"{str(v['oldest_listed'])[:10]})" for k, v in checks.items()
                  if isinstance(v, dict) and "listed" in v]
        rows.append(f"| | correct at scale (cursor walk vs SQL count) | "
                    f"{'all equal' if checks.get('all_equal') else 'NOT EQUAL'}: "
                    f"{'; '.join(walked)}; stats overdue now "
                    f"{checks['stats_overdue_now']['api']:,} = SQL; export "
                    f"{checks['export_30_days']['rows']:,} rows = SQL |")
    return rows + sweep_rows(d)


def per_delivery(r: dict[str, Any]) -> str:
    """Server CPU microseconds per delivered frame (core share / deliveries per second)."""
    return f"{1e4 * r['server_cpu_pct_of_core'] / r['rps']:.1f}" if r["rps"] else "-"


def realtime_rows(d: dict[str, Any]) -> list[str]:
    s = d["supabase_published"]
    steps = [(k, label) for k, label in (
        ("before", "per-client encoding, deflate"), ("encoded_once", "encoded once, via ASGI"),
        ("after", "framed once, straight to the sockets")) if k in d]
    figures = " → ".join(f"{d[k]['p50_ms']} / {d[k]['p95_ms']} / {d[k]['p99_ms']} ms"
                         for k, _ in steps)
    cpu = " → ".join(per_delivery(d[k]) for k, _ in steps)
    a = d["after"]
    return [f"| `bench_realtime` ({d['clients']:,} clients, {d['rate_per_s']:.0f} commits/s) "
            f"| commit-to-receipt p50 / p95 / p99: {' → '.join(label for _, label in steps)} "
            f"| {figures}; {a['rps']:,.0f} msg/s; server CPU per delivery {cpu} µs, "
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
    rows = [f"| `bench_whatsapp` ({d['concurrency']} connections) | signed webhook (whole "
            f"conversations, warm server) vs bare insert | {req(w)} vs {req(b)} (ratio "
            f"{d['webhook_vs_bare_insert']}) |"]
    if "webhook_cold" in d:
        rows.append(f"| | the same in a fresh server's first {d['seconds']:g} s | "
                    f"{req(d['webhook_cold'])} (ratio {d['webhook_cold_vs_bare_insert']}) |")
    return [*rows,
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
    rows: list[str] = []
    for route, r in d["routes"].items():
        rows.append(f"| {'`bench_day`' if not rows else ''} | {route} | {r['rps']:,.1f} req/s, "
                    f"p50 {r['p50_ms']} / p95 {r['p95_ms']} / p99 {r['p99_ms']} ms, "
                    f"{r['errors']} errors |")
    rows.append(f"| | saturates first | {d['saturates_first']} |")
    return rows


def table() -> str:
    tickets = sorted((json.loads(p.read_text()) for p in RESULTS.glob("bench_tickets_*.json")),
                     key=lambda d: d["tickets"])
    sources = [*((d, tickets_rows) for d in tickets), (latest("bench_realtime_"),
               realtime_rows), (load("bench_storage"), storage_rows), (load("bench_whatsapp"),
               whatsapp_rows), (load("bench_ocr"),
               ocr_rows), (load("bench_day"), day_rows)]
    found = [(d, f) for d, f in sources if d]
    if not found:
        return "(no results in bench-results/ yet: run the benches)"
    machine = max((d for d, _ in found), key=lambda d: d["at"]).get("machine") or {}
    dates = sorted(d["at"][:16].replace("T", " ") for d, _ in found)
    loads = [d["machine"]["load_average_at_start"][0] for d, _ in found
             if (d.get("machine") or {}).get("load_average_at_start")] or ["?"]
    lines = [f"Measured {dates[0]} to {dates[-1]} UTC on {machine.get('cpus', '?')} CPUs "
             f"({machine.get('cpu_model') or 'unknown model'}), "
             f"{machine.get('memory_gib', '?')} GiB, shared with other work (1-minute load "
             f"average {min(loads)} to {max(loads)} as each bench started): read "
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
