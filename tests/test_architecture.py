"""The shape ARCHITECTURE.md describes holds: no package cycles, services free of FastAPI,
one error convention, and every file, SQL object and test the document names exists."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
DOC = (ROOT / "ARCHITECTURE.md").read_text()
CODE_SPANS = re.findall(r"`([^`\n]+)`", DOC)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_package_graph_has_no_cycle() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_graph"), "--json"],
                         capture_output=True, text=True, check=False)
    figures = json.loads(out.stdout)
    assert figures["cycles"] == [], figures["cycles"]
    assert out.returncode == 0


def test_services_repositories_and_schemas_never_import_fastapi() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for name in ("service.py", "repository.py", "schemas.py")
        for path in APP.rglob(name)
        if any(module.split(".")[0] in {"fastapi", "starlette"}
               for module in imported_modules(path))
    ]
    assert offenders == []


def test_nothing_raises_httpexception_by_hand() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in APP.rglob("*.py")
                 if "HTTPException" in p.read_text()]
    assert offenders == [], "raise a DomainError (app/errors.py) instead"


# The local Supabase stand-ins (Storage, Realtime, Auth) act for any JWT holder (anon and
# service keys included), as Supabase's own servers do, so they carry raw claims; domain
# services take a Caller.
SUPABASE_STANDINS = {"storage", "realtime", "authserver"}


def test_services_take_a_typed_caller_not_claims() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in APP.rglob("service.py")
                 if p.parent.name not in SUPABASE_STANDINS
                 and re.search(r"\bclaims: (dict|Mapping)", p.read_text())]
    assert offenders == []


def test_every_file_and_test_the_document_names_exists() -> None:
    missing = []
    for span in CODE_SPANS:
        token = span.split()[0]
        match = re.fullmatch(r"((?:app|migrations|tests|scripts|supabase)/[\w./-]+)(?:::(\w+))?",
                             token)
        if not match or "NNNN" in token:
            continue
        path = ROOT / match.group(1)
        if not path.exists():
            missing.append(match.group(1))
        elif match.group(2) and not re.search(rf"def {match.group(2)}\b", path.read_text()):
            missing.append(token)
    assert missing == []


def sql_objects() -> tuple[set[str], set[str], set[tuple[str, str]]]:
    functions, relations, policies = set(), set(), set()
    for span in CODE_SPANS:
        policy = re.fullmatch(r'"([^"]+)" on (\w+\.\w+)', span)
        if policy:
            policies.add((policy.group(1), policy.group(2)))
        elif re.fullmatch(r"(public|private|storage|realtime|auth)\.\w+\(\)", span):
            functions.add(span[:-2])
        elif re.fullmatch(r"(public|private|storage|realtime|auth)\.\w+", span):
            relations.add(span)
    return functions, relations, policies


async def test_every_sql_object_the_document_names_exists(db: AsyncConnection[Any]) -> None:
    functions, relations, policies = sql_objects()
    assert functions and relations and policies, "the rules index names SQL objects"
    missing = []
    for name in sorted(functions):
        schema, fn = name.split(".")
        cur = await db.execute("select 1 from pg_proc p join pg_namespace n on n.oid ="
                               " p.pronamespace where n.nspname = %s and p.proname = %s",
                               (schema, fn))
        if await cur.fetchone() is None:
            missing.append(name + "()")
    for name in sorted(relations):
        cur = await db.execute("select to_regclass(%s) as found", (name,))
        row = await cur.fetchone()
        if row is None or row["found"] is None:
            missing.append(name)
    for policy, table in sorted(policies):
        schema, tab = table.split(".")
        cur = await db.execute("select 1 from pg_policies where schemaname = %s and"
                               " tablename = %s and policyname = %s", (schema, tab, policy))
        if await cur.fetchone() is None:
            missing.append(f'"{policy}" on {table}')
    assert missing == []


def test_one_image_pipeline_strips_metadata_for_every_channel() -> None:
    strippers = sorted(str(p.relative_to(ROOT)) for p in APP.rglob("*.py")
                       if re.search(r"getexif|\.save\(", p.read_text()))
    assert strippers == ["app/media/pipeline.py"]
