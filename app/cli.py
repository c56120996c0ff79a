"""`salga`: the operator's command line.

Commands act as the database owner (migrations, seeding, issuing tokens) and
print one clear line on error with a non-zero exit.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Annotated, Any, TypeVar

import psycopg
import typer
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin, localdev
from app.config import ConfigError, get_settings
from app.demo import seed_all
from app.identity import service as identity
from app.tickets import service as tickets

T = TypeVar("T")

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
municipality_cli = typer.Typer(no_args_is_help=True, help="Municipalities (tenants).")
user_cli = typer.Typer(no_args_is_help=True, help="Users and their roles.")
cli.add_typer(municipality_cli, name="municipality")
cli.add_typer(user_cli, name="user")

USER_ERRORS = (identity.IdentityError, ConfigError, psycopg.Error, ValueError, OSError)


def fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine, turning anything a user can cause into one line and exit 1."""
    try:
        return asyncio.run(coro)
    except USER_ERRORS as exc:
        detail = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
        fail(detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__)
        raise  # unreachable: fail() exits


async def with_owner_connection(work: Callable[[AsyncConnection[Any]], Awaitable[T]]) -> T:
    """One committed transaction as the database owner."""
    url = get_settings().database_url
    conn = await AsyncConnection.connect(url, row_factory=dict_row)
    async with conn, conn.transaction():
        return await work(conn)


@cli.command("init-local")
def init_local() -> None:
    """Generate local development secrets into .local/secrets.env (once)."""
    written = localdev.ensure_local_secrets()
    typer.echo("wrote .local/secrets.env" if written else ".local/secrets.env already exists")


@cli.command("db-upgrade")
def db_upgrade(
    database: Annotated[str | None, typer.Option(help="Database name on the same server")] = None,
    create: Annotated[bool, typer.Option(help="Create the database if missing")] = False,
) -> None:
    """Apply the local platform (local mode only) and all migrations."""
    settings = get_settings()
    url = settings.database_url
    if database:
        url = dbadmin.with_database(url, database)
        if create:
            run_sync(functools.partial(dbadmin.create_database, settings.database_url, database))
    run_sync(functools.partial(dbadmin.prepare, url, local_platform=settings.local_mode))
    typer.echo("database is at the latest migration")


def run_sync(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except USER_ERRORS as exc:
        fail(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        raise


@municipality_cli.command("add")
def municipality_add(
    code: Annotated[str, typer.Option(help="Short code, e.g. CPT")],
    name: Annotated[str, typer.Option(help='e.g. "City of Cape Town"')],
    province: Annotated[str, typer.Option(help="EC FS GP KZN LP MP NC NW WC")],
    email: Annotated[str | None, typer.Option(help="Contact email")] = None,
    whatsapp: Annotated[str | None, typer.Option(help="WhatsApp sender number")] = None,
) -> None:
    """Add (or update) a municipality; prints its id."""
    row = run(with_owner_connection(lambda conn: identity.add_municipality(
        conn, code=code, name=name, province=province, contact_email=email,
        whatsapp_number=whatsapp)))
    typer.echo(str(row["id"]))


@user_cli.command("add")
def user_add(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    role: Annotated[str, typer.Option(help=" | ".join(identity.ROLES))],
    email: Annotated[str | None, typer.Option(help="Sign-in email")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone, any common format")] = None,
    name: Annotated[str | None, typer.Option(help="Full name")] = None,
    language: Annotated[str, typer.Option(help="en | zu | af")] = "en",
) -> None:
    """Create an auth user with a profile in a municipality; prints the user id."""
    user_id = run(with_owner_connection(lambda conn: identity.add_user(
        conn, email=email, role=role, municipality_code=municipality, phone=phone,
        full_name=name, language=language)))
    typer.echo(str(user_id))


@cli.command("token")
def token(
    email: str,
    lifetime: Annotated[int, typer.Option(help="Seconds until it expires")] = 3600,
) -> None:
    """Print an access token for a user, as Supabase Auth would issue it (hook included)."""
    settings = get_settings()
    if not settings.supabase_jwt_secret:
        fail("SUPABASE_JWT_SECRET is not set (run scripts/dev once, or set it)")
    issuer = f"{(settings.supabase_url or settings.public_base_url).rstrip('/')}/auth/v1"
    typer.echo(run(with_owner_connection(lambda conn: identity.issue_token(
        conn, email=email, secret=settings.supabase_jwt_secret, issuer=issuer,
        lifetime=lifetime))))


@cli.command("rotate-keys")
def rotate_keys(
    batch_size: Annotated[int, typer.Option(help="Values re-encrypted per transaction")] = 500,
    max_batches: Annotated[int | None, typer.Option(help="Stop after this many batches")] = None,
) -> None:
    """Re-encrypt every encrypted column under ENCRYPTION_KEY_CURRENT (resumable)."""
    from app.keys.cli import rotate_command

    run(rotate_command(batch_size=batch_size, max_batches=max_batches))


@cli.command("worker")
def worker(
    once: Annotated[bool, typer.Option(help="Stop when every queue is empty")] = False,
) -> None:
    """Send queued WhatsApp notifications and fetch citizens' photos (runs until stopped)."""
    from app.whatsapp.settings import channel_settings
    from app.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    done = run(run_worker(get_settings(), channel_settings(), once=once))
    typer.echo(f"worker stopped after {done} item(s)")


@cli.command("demo")
def demo() -> None:
    """Seed the demo municipality with users and data (safe to run again)."""
    for line in run(with_owner_connection(seed_all)):
        typer.echo(line)


@cli.command("escalate")
def escalate() -> None:
    """Escalate every ticket past its SLA deadline (pg_cron does this every minute)."""
    count = run(with_owner_connection(tickets.escalate_overdue))
    typer.echo(f"escalated {count} ticket{'s' if count != 1 else ''}")


@cli.command("doctor")
def doctor(
    online: Annotated[bool, typer.Option(help="Also try the Twilio credentials")] = False,
) -> None:
    """Check configuration, database, migrations, cron jobs, storage and Twilio."""
    from app.observability.doctor import run_checks

    checks = run_checks(get_settings(), online=online)
    for check in checks:
        mark = "ok  " if check.ok else "warn" if check.warning else "FAIL"
        typer.echo(f"{mark}  {check.name:<18} {check.detail}")
    if any(not c.ok and not c.warning for c in checks):
        raise typer.Exit(1)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
