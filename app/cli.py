"""`salga`: the operator's command line.

Commands act as the database owner (migrations, seeding, issuing tokens) and
print one clear line on error with a non-zero exit.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import psycopg
import typer
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from app import dbadmin, localdev
from app.audit import service as audit
from app.config import ConfigError, get_settings
from app.demo import seed_all
from app.errors import DomainError
from app.identity import service as identity
from app.tickets import service as tickets

T = TypeVar("T")

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
municipality_cli = typer.Typer(no_args_is_help=True, help="Municipalities (tenants).")
user_cli = typer.Typer(no_args_is_help=True, help="Users and their roles.")
cli.add_typer(municipality_cli, name="municipality")
cli.add_typer(user_cli, name="user")
audit_cli = typer.Typer(no_args_is_help=True, help="The audit trail's hash chain.")
cli.add_typer(audit_cli, name="audit")
person_cli = typer.Typer(no_args_is_help=True, help="Data subjects (POPIA).")
retention_cli = typer.Typer(no_args_is_help=True, help="The retention schedule (POPIA s14).")
cli.add_typer(person_cli, name="person")
cli.add_typer(retention_cli, name="retention")

USER_ERRORS = (DomainError, ConfigError, psycopg.Error, ValueError, OSError)


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
    language: Annotated[str, typer.Option(help="a language code: en, zu, af, xh ...")] = "en",
    password: Annotated[str | None, typer.Option(
        help="Local/demo use: set a password instead of emailing an invitation")] = None,
) -> None:
    """Create a person through Auth with a profile in a municipality; prints the user id.

    Without --password, Auth emails an invitation (locally: to the local mailbox).
    """
    user_id = run(with_owner_connection(lambda conn: identity.add_user(
        conn, email=email, role=role, municipality_code=municipality, phone=phone,
        full_name=name, language=language, password=password)))
    typer.echo(str(user_id))


team_cli = typer.Typer(no_args_is_help=True, help="Teams: create, staff, service area.")
cli.add_typer(team_cli, name="team")
sla_cli = typer.Typer(no_args_is_help=True, help="SLA policies (hours per category).")
cli.add_typer(sla_cli, name="sla")


@team_cli.command("add")
def team_add(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    name: Annotated[str, typer.Option(help='e.g. "Water crew north"')],
    categories: Annotated[str, typer.Option(help="Comma list, e.g. water,sanitation")],
    default: Annotated[bool, typer.Option(help="Default team for these categories")] = False,
    saps: Annotated[bool, typer.Option(help="A SAPS desk (GBV reports)")] = False,
) -> None:
    """Create a team; prints its id."""
    from app.setup.cli import add_team
    typer.echo(str(run(add_team(municipality=municipality, name=name, default=default,
                                categories=[c.strip() for c in categories.split(",") if c.strip()],
                                saps=saps))))


@team_cli.command("members")
def team_members(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    team: Annotated[str, typer.Option(help="Team name")],
    email: Annotated[list[str], typer.Option(help="A member's sign-in email (repeat)")],
) -> None:
    """Set the team's members (by email; they must be staff of the municipality)."""
    from app.setup.cli import set_members
    for name in run(set_members(municipality=municipality, team=team, emails=email)):
        typer.echo(name)


@team_cli.command("area")
def team_area(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    team: Annotated[str, typer.Option(help="Team name")],
    file: Annotated[Path, typer.Option(help="GeoJSON Polygon, MultiPolygon or Feature")],
) -> None:
    """Set the team's service area from a GeoJSON file."""
    from app.setup.cli import set_area
    run(set_area(municipality=municipality, team=team, path=file))
    typer.echo("service area set")


@sla_cli.command("set")
def sla_set(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    category: Annotated[str, typer.Option(help="water, electricity, roads, ... or gbv")],
    response: Annotated[float, typer.Option(help="Hours to respond")],
    resolution: Annotated[float, typer.Option(help="Hours to resolve")],
    priority: Annotated[str, typer.Option(
        help="any (the category's baseline) | low | normal | high | urgent")] = "any",
) -> None:
    """Set a category's SLA policy (for one priority, or its baseline)."""
    from app.setup.cli import set_sla
    run(set_sla(municipality=municipality, category=category, priority=priority,
                response=response, resolution=resolution))
    typer.echo(f"{category} ({priority}): respond within {response:g} h,"
               f" resolve within {resolution:g} h")


places_cli = typer.Typer(no_args_is_help=True, help="Place names for typed addresses.")
cli.add_typer(places_cli, name="places")


@places_cli.command("import")
def places_import(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    path: Annotated[Path, typer.Argument(help=".geojson (FeatureCollection) or .csv "
                                              "(name,kind,latitude,longitude)")],
) -> None:
    """Add or replace a municipality's places (all or nothing)."""
    from app.places import service as places

    text = path.read_text(encoding="utf-8")
    features = (places.features_from_csv(text) if path.suffix.lower() == ".csv"
                else json.loads(text).get("features", []))

    async def work(conn: AsyncConnection[Any]) -> int:
        found = await identity.municipality(conn, code=municipality)
        return await places.import_places(conn, tenant_id=found["id"], features=features)

    count = run(with_owner_connection(work))
    typer.echo(f"imported {count} place{'s' if count != 1 else ''}")


whatsapp_cli = typer.Typer(no_args_is_help=True, help="The WhatsApp channel.")
cli.add_typer(whatsapp_cli, name="whatsapp")


@whatsapp_cli.command("contents")
def whatsapp_contents() -> None:
    """Create the interactive reply templates (buttons, lists) through Twilio's Content
    API, in every language, and use them from now on."""
    from app.notify.twilio import make_client
    from app.whatsapp import contents

    client = make_client(get_settings())

    async def work(conn: AsyncConnection[Any]) -> int:
        return await contents.create_all(conn, client)

    count = run(with_owner_connection(work))
    typer.echo(f"created {count} interactive template{'s' if count != 1 else ''}")


templates_cli = typer.Typer(no_args_is_help=True, help="The message library.")
cli.add_typer(templates_cli, name="templates")


@templates_cli.command("review")
def templates_review(
    language: Annotated[str, typer.Argument(help="The language to check, e.g. xh")],
    municipality: Annotated[str | None, typer.Option(
        help="A municipality's code: its own texts where it has them")] = None,
) -> None:
    """A CSV of every text beside its English one, for a first-language speaker."""
    from app.identity import repository as identity
    from app.templates import review

    async def work(conn: AsyncConnection[Any]) -> str:
        found = await identity.municipality_by_code(conn, municipality.upper()) \
            if municipality else None
        if municipality and found is None:
            raise ValueError(f"no municipality with code {municipality!r}")
        return await review.sheet(conn, language=language.lower(),
                                  tenant_id=found["id"] if found else None)

    typer.echo(run(with_owner_connection(work)), nl=False)


@cli.command("token")
def token(
    email: str,
    lifetime: Annotated[int, typer.Option(help="Seconds until it expires")] = 3600,
) -> None:
    """Print an access token from a new local Auth session (hook included). Local only."""
    settings = get_settings()
    if not settings.local_mode:
        fail("with SUPABASE_URL set, people sign in through Supabase Auth")
    if not settings.supabase_jwt_secret:
        fail("SUPABASE_JWT_SECRET is not set (run scripts/dev once, or set it)")
    issuer = settings.token_issuer
    typer.echo(run(with_owner_connection(lambda conn: identity.issue_token(
        conn, email=email, secret=settings.supabase_jwt_secret, issuer=issuer,
        lifetime=lifetime))))


@cli.command("mail")
def mail(
    to: Annotated[str | None, typer.Option(help="Only messages to this address")] = None,
    count: Annotated[int, typer.Option(help="How many, newest first")] = 5,
) -> None:
    """Show what the local Auth server sent (invitations, password resets, SMS codes)."""
    from app.authserver.settings import Mailbox

    messages = Mailbox(get_settings().local_mail_dir).messages(to=to, limit=count)
    if not messages:
        typer.echo("no messages")
    for message in messages:
        typer.echo(f"--- {message['sent_at']} to {message['to']}: {message['subject']}")
        typer.echo(message["text"])


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
    from app.config import channel_settings
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


@audit_cli.command("seal")
def audit_seal() -> None:
    """Chain every committed audit entry not yet sealed (pg_cron does it each minute)."""
    sealed = run(with_owner_connection(audit.seal))
    typer.echo(f"sealed {sealed} entries")


@audit_cli.command("verify")
def audit_verify(
    head: Annotated[list[str] | None, typer.Option(
        help="A head recorded earlier, as PARTITION=HASH (repeatable).")] = None,
) -> None:
    """Walk the chain of every audit partition; report the first broken link."""
    heads = dict(item.split("=", 1) for item in head or [] if "=" in item)
    report = run(with_owner_connection(
        lambda conn: audit.verify(conn, expect_heads=heads)))
    for line in report.lines:
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)


open311_cli = typer.Typer(no_args_is_help=True, help="Open311 GeoReport v2 integrations.")
open311_key_cli = typer.Typer(no_args_is_help=True,
                              help="API keys, one per client and municipality.")
open311_cli.add_typer(open311_key_cli, name="key")
cli.add_typer(open311_cli, name="open311")


@open311_key_cli.command("add")
def open311_key_add(
    municipality: Annotated[str, typer.Option(help="Municipality code (the jurisdiction_id)")],
    name: Annotated[str, typer.Option(help='The client, e.g. "FixMyStreet"')],
) -> None:
    """Make an API key for a client; prints it once (only its hash is kept)."""
    from app.errors import DomainError
    from app.open311 import service as open311

    try:
        key = run(with_owner_connection(lambda conn: open311.add_key(
            conn, code=municipality, name=name)))
    except DomainError as exc:
        fail(exc.message)
        raise
    typer.echo(key)


@open311_key_cli.command("revoke")
def open311_key_revoke(
    municipality: Annotated[str, typer.Option(help="Municipality code")],
    name: Annotated[str, typer.Option(help="The client's name")],
) -> None:
    """Revoke a client's key at once."""
    from app.errors import DomainError
    from app.open311 import service as open311

    try:
        run(with_owner_connection(lambda conn: open311.revoke_key(
            conn, code=municipality, name=name)))
    except DomainError as exc:
        fail(exc.message)
        raise
    typer.echo(f"revoked {name}")


@person_cli.command("erase")
def person_erase(
    phone: Annotated[str | None, typer.Option(help="The citizen's phone number (+27...)")] = None,
    email: Annotated[str | None, typer.Option(help="The citizen's sign-in email")] = None,
    user_id: Annotated[str | None, typer.Option(help="The citizen's user id")] = None,
) -> None:
    """Erase a citizen: no name, phone, email or address remains (files removed too)."""
    from app.popia.cli import erase_command

    for line in run(erase_command(phone=phone, email=email, user_id=user_id)):
        typer.echo(line)


@retention_cli.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go")] = False,
) -> None:
    """Apply the retention schedule now (pg_cron runs it nightly) and remove expired files."""
    from app.popia.cli import retention_command

    for line in run(retention_command(dry_run=dry_run)):
        typer.echo(line)




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
