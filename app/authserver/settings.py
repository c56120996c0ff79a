"""What the local Auth server reads from `supabase/config.toml`, its rate limits and mailbox."""

from __future__ import annotations

import json
import re
import threading
import time
import tomllib
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.config import ROOT

CONFIG_TOML = ROOT / "supabase" / "config.toml"


@dataclass(frozen=True)
class AuthConfig:
    """The `[auth]` settings the Supabase CLI would give a local Auth server."""

    site_url: str = "http://127.0.0.1:8000"
    jwt_expiry: int = 3600
    enable_signup: bool = True
    email_confirmations: bool = False
    sms_signup: bool = True
    test_otp: dict[str, str] = field(default_factory=dict)
    otp_expiry: int = 300
    otp_length: int = 6
    max_frequency: int = 5
    refresh_reuse_interval: int = 10
    sign_in_limit: int = 30      # sign-ins and sign-ups per IP per 5 minutes
    verify_limit: int = 30       # OTP / token verifications per IP per 5 minutes
    sms_limit: int = 30          # SMS sent per hour (all numbers)
    email_limit: int = 30        # emails sent per hour (local mailbox)
    password_min_length: int = 6


def load(path: Path = CONFIG_TOML, **overrides: Any) -> AuthConfig:
    data = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {})
    sms, email = data.get("sms", {}), data.get("email", {})
    limits = data.get("rate_limit", {})
    values: dict[str, Any] = {
        "site_url": data.get("site_url", AuthConfig.site_url),
        "jwt_expiry": int(data.get("jwt_expiry", AuthConfig.jwt_expiry)),
        "enable_signup": bool(data.get("enable_signup", True)),
        "email_confirmations": bool(email.get("enable_confirmations", False)),
        "sms_signup": bool(sms.get("enable_signup", True)),
        "test_otp": {re.sub(r"\D", "", str(k)): str(v)
                     for k, v in sms.get("test_otp", {}).items()},
        "otp_expiry": int(sms.get("otp_expiry", email.get("otp_expiry", 300))),
        "max_frequency": _seconds(sms.get("max_frequency", "5s")),
        "refresh_reuse_interval": int(data.get("refresh_token_reuse_interval", 10)),
        "sign_in_limit": int(limits.get("sign_in_sign_ups", 30)),
        "verify_limit": int(limits.get("token_verifications", 30)),
        "sms_limit": int(limits.get("sms_sent", 30)),
        "email_limit": int(limits.get("email_sent", 30)),
        "password_min_length": int(data.get("minimum_password_length", 6)),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return AuthConfig(**values)


def _seconds(text: Any) -> int:
    match = re.fullmatch(r"(\d+)\s*([smh]?)", str(text).strip())
    if not match:
        return 5
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


class RateLimiter:
    """Sliding windows per key, in memory (as the Auth server keeps them)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str, *, limit: int, window: float) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def hit(self, key: str) -> None:
        with self._lock:
            self._hits[key].append(time.monotonic())

    def count(self, key: str, *, window: float) -> int:
        now = time.monotonic()
        with self._lock:
            return sum(1 for t in self._hits.get(key, ()) if t > now - window)


class Mailbox:
    """The local mail catcher: one JSON file per message under `.local/mail`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def send(self, *, to: str, subject: str, text: str, kind: str = "email") -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        sent = datetime.now(UTC)
        message = {"id": uuid.uuid4().hex, "kind": kind, "to": to, "subject": subject,
                   "text": text, "sent_at": sent.isoformat()}
        path = self.root / f"{sent.strftime('%Y%m%dT%H%M%S%f')}-{message['id'][:8]}.json"
        path.write_text(json.dumps(message, indent=1), encoding="utf-8")
        return path

    def messages(self, *, to: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        if not self.root.exists():
            return []
        found = []
        for path in sorted(self.root.glob("*.json"), reverse=True):
            try:
                message = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if to is None or str(message.get("to", "")).lower() == to.lower():
                found.append(message)
            if len(found) >= limit:
                break
        return found
