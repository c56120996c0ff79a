"""The real @supabase/supabase-js (Node) against the local /storage/v1 gateway."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from app.config import Settings
from tests.storage.conftest import Tickets
from tests.support.server import LiveServer
from tests.support.tenants import Tenant

SCRIPT = Path(__file__).parent / "js" / "storage_scenarios.mjs"


def run_node(script: Path, env: dict[str, str]) -> dict[str, Any]:
    # Node 20 has WebSocket (which supabase-js's realtime client wants) behind a flag.
    done = subprocess.run(["node", "--experimental-websocket", str(script)],
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_supabase_js_uploads_reads_signs_and_is_refused_as_supabase_would(
    live_server: LiveServer, settings: Settings, tenant: Tenant, other_tenant: Tenant,
    tickets: Tickets,
) -> None:
    out = run_node(SCRIPT, {
        "SUPABASE_URL": live_server.base_url,
        "SUPABASE_ANON_KEY": settings.supabase_anon_key,
        "CITIZEN_TOKEN": tenant.tokens["citizen"],
        "OTHER_CITIZEN_TOKEN": other_tenant.tokens["citizen"],
        "MANAGER_TOKEN": tenant.tokens["manager"],
        "SAPS_TOKEN": tenant.tokens["saps_liaison"],
        "TENANT_ID": str(tenant.id),
        "CITIZEN_ID": str(tenant.users["citizen"]),
        "TICKET_ID": str(tickets.ordinary),
        "SENSITIVE_TICKET_ID": str(tickets.sensitive),
    })
    assert out["ownUpload"]["error"] is None and out["ownUpload"]["key"].startswith("evidence/")
    assert out["ownDownload"] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]
    assert out["ticketUpload"]["error"] is None
    # Not yet checked after upload: staff do not get it (its uploader does).
    assert out["managerReadsTicketEvidence"]["statusCode"] == "404"
    assert out["crossTenantRead"]["statusCode"] == "404"
    assert out["crossTenantWrite"]["statusCode"] == "403"
    assert out["sapsUpload"]["error"] is None and out["sapsRead"] == 8
    assert out["managerReadsGbv"]["statusCode"] == "404"
    assert out["managerSignsGbv"]["statusCode"] == "404"
    assert out["signedUrl"].startswith(f"{live_server.base_url}/storage/v1/object/sign/evidence/")
    assert out["signedFetch"] == {"status": 200, "bytes": 12}
    assert out["signedExpired"]["status"] == 400
    assert out["signedExpired"]["body"]["message"] == "jwt expired"
    assert out["duplicate"]["statusCode"] == "409"
    assert out["upsert"]["error"] is None and out["afterUpsert"] == "image/jpeg"
    assert out["wrongType"]["statusCode"] == "415"
    assert out["tooLarge"]["statusCode"] == "413"
    assert out["signedUploadUrl"] == {"ok": True, "error": None}
    assert out["signedUpload"]["error"] is None
    assert out["signedUpload"]["key"].startswith("documents/")
    assert len(out["listed"]) >= 1
    assert len(out["removed"]) == 1
