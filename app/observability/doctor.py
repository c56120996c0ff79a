"""`salga doctor`: is this installation able to run? One line per check, and
what to do about each failure."""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from app.config import ROOT, Settings

CRON_JOBS = ("salga-escalate-overdue", "salga-audit-partitions")
MIN_FREE_BYTES = 200 * 1024 * 1024
ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # not fatal: works, but something is missing


def configuration(settings: Settings) -> Check:
    problems = settings.problems()
    if problems:
        return Check("configuration", False, "; ".join(problems), warning=settings.is_development)
    return Check("configuration", True, f"{settings.environment}, "
                 + ("local Storage/Realtime" if settings.local_mode else settings.supabase_url))


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from app.dbadmin import alembic_config
    heads = ScriptDirectory.from_config(alembic_config("postgresql://unused")).get_heads()
    return ",".join(sorted(heads))


def database(settings: Settings) -> list[Check]:
    try:
        conn = psycopg.connect(settings.database_url, connect_timeout=5)
    except psycopg.Error as exc:
        return [Check("database", False, f"cannot connect ({str(exc).strip().splitlines()[0]});"
                      " check DATABASE_URL and that the server runs (scripts/db start)")]
    with conn:
        version = conn.execute("show server_version").fetchone()
        checks = [Check("database", True, f"PostgreSQL {version[0] if version else '?'}")]
        checks.append(migrations(conn))
        checks.append(cron(conn))
    return checks


def migrations(conn: psycopg.Connection) -> Check:
    want = head_revision()
    try:
        row = conn.execute("select string_agg(version_num, ',' order by version_num)"
                           " from alembic.alembic_version").fetchone()
    except psycopg.Error:
        conn.rollback()
        return Check("migrations", False, "no migrations applied; run"
                     " `alembic upgrade head` (locally: scripts/db migrate)")
    have = row[0] if row else None
    if have != want:
        return Check("migrations", False, f"database at {have}, code at {want};"
                     " run `alembic upgrade head`")
    return Check("migrations", True, f"at head ({want})")


def cron(conn: psycopg.Connection) -> Check:
    installed = conn.execute("select 1 from pg_extension where extname = 'pg_cron'").fetchone()
    if not installed:
        return Check("cron jobs", False, "pg_cron is not installed here: run `salga escalate`"
                     " every minute yourself (or enable pg_cron)", warning=True)
    try:
        rows = conn.execute("select jobname, active from cron.job where jobname = any(%s)",
                            (list(CRON_JOBS),)).fetchall()
    except psycopg.Error:
        conn.rollback()
        return Check("cron jobs", False, "cannot read cron.job (pg_cron runs in another"
                     " database?)", warning=True)
    found = {name: active for name, active in rows}
    missing = [j for j in CRON_JOBS if j not in found]
    inactive = [j for j, active in found.items() if not active]
    if missing or inactive:
        return Check("cron jobs", False, f"missing {missing or '-'}, inactive {inactive or '-'};"
                     " re-run the migrations in the cron database")
    return Check("cron jobs", True, ", ".join(CRON_JOBS))


def storage(settings: Settings) -> Check:
    if not settings.local_mode:
        return Check("storage directory", True, "Supabase Storage (no local directory)")
    path = Path(settings.local_storage_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".doctor-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return Check("storage directory", False, f"{path} is not writable ({exc.strerror})")
    free = shutil.disk_usage(path).free
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if free < MIN_FREE_BYTES:
        return Check("storage directory", False, f"{shown}: only {free // 2**20} MiB free;"
                     " uploads will be refused with 507")
    return Check("storage directory", True, f"{shown}, {free // 2**30} GiB free")


def twilio(settings: Settings, *, online: bool) -> Check:
    sid, token = settings.twilio_account_sid, settings.twilio_auth_token
    if not ACCOUNT_SID.match(sid or ""):
        return Check("twilio", False, "TWILIO_ACCOUNT_SID is missing or not AC + 32 hex digits;"
                     " WhatsApp sends will fail", warning=settings.is_development)
    if not token:
        return Check("twilio", False, "TWILIO_AUTH_TOKEN is missing: webhooks cannot be"
                     " verified", warning=settings.is_development)
    if not online:
        return Check("twilio", True, f"credentials present for {sid[:6]}… (--online to try them)")
    from twilio.base.exceptions import TwilioException

    from app.notify.twilio import make_client
    try:
        account = make_client(settings, timeout=10).api.v2010.accounts(sid).fetch()
    except (TwilioException, OSError) as exc:
        return Check("twilio", False, f"Twilio refused the credentials: {exc}")
    return Check("twilio", True, f"account {sid[:6]}… is {account.status}")


def run_checks(settings: Settings, *, online: bool = False) -> list[Check]:
    return [configuration(settings), *database(settings), storage(settings),
            twilio(settings, online=online)]
