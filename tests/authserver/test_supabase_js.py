"""The real @supabase/supabase-js auth client against the local /auth/v1."""

from __future__ import annotations

from app.authserver.settings import load
from app.config import Settings
from tests.authserver.conftest import js_script
from tests.storage.test_gateway_supabase_js import run_node
from tests.support.server import LiveServer
from tests.support.tenants import PASSWORD, Tenant


def test_supabase_js_signs_a_manager_in_with_a_password_and_a_citizen_with_a_test_otp(
    live_server: LiveServer, settings: Settings, tenant: Tenant,
) -> None:
    phone = "27820000099"  # the tests' fixed-code number (the first is the demo citizen's)
    code = load().test_otp[phone]
    out = run_node(js_script("auth_flows.mjs"), {
        "SUPABASE_URL": live_server.base_url,
        "SUPABASE_ANON_KEY": settings.supabase_anon_key,
        "MANAGER_EMAIL": tenant.emails["manager"],
        "PASSWORD": PASSWORD,
        "TEST_PHONE": f"+{phone}",
        "TEST_CODE": code,
    })
    assert out["password"]["error"] is None
    assert out["password"]["appMetadata"]["tenant_id"] == str(tenant.id)
    assert out["password"]["appMetadata"]["role"] == "manager"
    assert out["getUser"] == {"error": None, "email": tenant.emails["manager"]}
    assert out["refresh"] == {"error": None, "rotated": True, "role": "manager"}
    assert out["wrongPassword"]["code"] == "invalid_credentials"
    assert out["wrongPassword"]["status"] == 400
    assert out["signOut"] is None
    # supabase-js turns Auth's 403 session_not_found into AuthSessionMissingError.
    assert out["afterSignOut"]["message"] == "Auth session missing!", out["afterSignOut"]
    assert out["otpSent"] is None
    assert out["wrongOtp"]["code"] == "otp_expired"
    assert out["otp"]["error"] is None and out["otp"]["phone"] == phone
    assert out["otp"]["amr"] == "otp"
