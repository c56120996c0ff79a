"""Demo municipality and one user per role (idempotent)."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from app.config import get_settings
from app.identity import service

DEMO_CODE = "DEMO"
# Local only: the demo people sign in with this password (with SUPABASE_URL set
# they are invited by email instead). The demo citizen's phone has a fixed
# code in supabase/config.toml [auth.sms.test_otp].
DEMO_PASSWORD = "salga-demo-password"
DEMO_WHATSAPP = "+27210000001"
DEMO_USERS = (
    ("admin@demo.salga.example", "admin", "Thandi Admin", None),
    ("manager@demo.salga.example", "manager", "Pieter Manager", None),
    ("worker@demo.salga.example", "field_worker", "Sipho Worker", "+27821110001"),
    ("saps@demo.salga.example", "saps_liaison", "Lerato Liaison", "+27821110002"),
    ("citizen@demo.salga.example", "citizen", "Nomsa Citizen", "+27821110003"),
)


async def seed(conn: AsyncConnection[Any]) -> list[str]:
    """Create the demo municipality and its users; returns lines for the console."""
    municipality = await service.add_municipality(
        conn, code=DEMO_CODE, name="Demo Local Municipality", province="WC",
        contact_email="info@demo.salga.example", whatsapp_number=DEMO_WHATSAPP,
    )
    lines = [f"municipality {municipality['code']} {municipality['id']}"]
    password = DEMO_PASSWORD if get_settings().local_mode else None
    for email, role, name, phone in DEMO_USERS:
        user_id = await service.add_user(
            conn, email=email, role=role, municipality_code=DEMO_CODE, phone=phone,
            full_name=name, password=password,
        )
        lines.append(f"{role:<13} {email} {user_id}")
    lines.append(f"password (local) {password}" if password else "invitations sent by email")
    return lines
