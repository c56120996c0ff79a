"""`salga` as an operator runs it: real process, real database, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import jwt
import psycopg

from app.config import Settings


def salga(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUPABASE_URL": ""}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_municipality_user_and_token(database_url: str, settings: Settings) -> None:
    code = "C" + uuid.uuid4().hex[:6].upper().translate(str.maketrans("0123456789", "GHIJKLMNOP"))
    made = salga(database_url, "municipality", "add", "--code", code, "--name",
                 "City of Testing", "--province", "wc")
    assert made.returncode == 0, made.stderr
    email = f"mgr.{code.lower()}@test.salga.example"
    user = salga(database_url, "user", "add", "--email", email, "--role", "manager",
                 "--municipality", code, "--phone", "082 555 0101")
    assert user.returncode == 0, user.stderr
    user_id = user.stdout.strip()
    token = salga(database_url, "token", email)
    assert token.returncode == 0, token.stderr
    claims = jwt.decode(token.stdout.strip(), settings.supabase_jwt_secret,
                        algorithms=["HS256"], audience="authenticated")
    assert claims["sub"] == user_id
    assert claims["app_metadata"]["role"] == "manager"
    assert claims["app_metadata"]["tenant_id"] == made.stdout.strip()


def test_errors_are_one_line_and_nonzero(database_url: str) -> None:
    cases = [
        ("user", "add", "--email", "x@y.example", "--role", "manager", "--municipality", "NOPE"),
        ("user", "add", "--email", "x@y.example", "--role", "boss", "--municipality", "NOPE"),
        ("municipality", "add", "--code", "ABC", "--name", "X Y", "--province", "XX"),
        ("token", "nobody@nowhere.example"),
    ]
    for args in cases:
        result = salga(database_url, *args)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


def test_demo_is_idempotent(database_url: str) -> None:
    first = salga(database_url, "demo")
    second = salga(database_url, "demo")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    with psycopg.connect(database_url) as conn:
        backups = conn.execute(
            "select u.email from public.team_members tm join auth.users u on u.id = tm.user_id"
            " join public.teams t on t.id = tm.team_id"
            " join public.municipalities m on m.id = t.tenant_id"
            " where m.code = 'DEMO' and t.is_saps and tm.is_backup").fetchall()
    assert backups == [("saps.backup@demo.salga.example",)]  # a missed child case has one
