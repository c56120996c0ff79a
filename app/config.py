"""One Settings object, read from the environment, `.env` and `.local/secrets.env`.

Local development (no SUPABASE_URL) generates its secrets once into
`.local/secrets.env` (`salga init-local`). Outside development a missing or
placeholder secret stops the app at start-up with a message naming it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.retry import backoff

ROOT = Path(__file__).resolve().parent.parent
LOCAL_DIR = ROOT / ".local"
LOCAL_SECRETS = LOCAL_DIR / "secrets.env"

PLACEHOLDER_PREFIX = "change-me"
REQUIRED_SECRETS = (
    "supabase_jwt_secret",
    "supabase_anon_key",
    "supabase_service_role_key",
    "encryption_key_current",
    "twilio_auth_token",
)


def local_database_url() -> str:
    port = os.environ.get("SALGA_DB_PORT", "54322")
    return f"postgresql://postgres:postgres@127.0.0.1:{port}/postgres"


class ConfigError(RuntimeError):
    """The configuration cannot run: the message says which setting and why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(LOCAL_SECRETS, ROOT / ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: str = "development"
    # Locally: the cluster scripts/dev runs (SALGA_DB_PORT moves it off 54322).
    database_url: str = Field(default_factory=lambda: local_database_url())
    db_pool_min: int = 2
    db_pool_max: int = 20

    supabase_url: str = ""
    supabase_anon_key: str = ""
    supabase_service_role_key: str = ""
    supabase_jwt_secret: str = ""
    jwt_audience: str = "authenticated"
    # The `iss` user tokens must carry; empty means `<SUPABASE_URL or PUBLIC_BASE_URL>/auth/v1`.
    jwt_issuer: str = ""
    token_lifetime_seconds: int = 3600

    encryption_key_current: str = ""
    encryption_key_previous: str = ""

    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_api_base_url: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    # The citizen page: the municipality it signs people up with (its code; a link may
    # name another with ?municipality=CODE). Map tiles for every page's map (the citizen
    # page, the dashboard's ticket drawer and field view), e.g. an OpenStreetMap tile
    # server's "https://tile.example/{z}/{x}/{y}.png"; empty: no tiles, the marker and
    # coordinates still show.
    citizen_municipality: str = ""
    map_tile_url: str = ""
    map_tile_attribution: str = ""
    # Where "Leave now" on the page for someone who is not safe goes: an ordinary site.
    quick_exit_url: str = "https://www.google.com/search?q=weather+today"

    local_storage_dir: Path = Field(default=LOCAL_DIR / "storage")
    # Local Auth (local mode): its own connection as supabase_auth_admin (derived
    # from DATABASE_URL when empty), and the mailbox developers read.
    # Access tokens carry iss = PUBLIC_BASE_URL + "/auth/v1".
    auth_database_url: str = ""
    # Override supabase/config.toml [auth.rate_limit] (benchmarks only).
    auth_sign_in_limit: int | None = None
    auth_verify_limit: int | None = None
    auth_sms_limit: int | None = None
    local_mail_dir: Path = Field(default=LOCAL_DIR / "mail")

    # Operations: /metrics needs this bearer token outside development;
    # log lines are JSON ("json") or Python's default format ("text").
    metrics_token: str = ""
    log_format: str = "json"
    log_level: str = "INFO"
    # The Realtime gateway encodes each broadcast once per kind of client;
    # False encodes per client (kept only so benchmarks can compare the two).
    realtime_shared_encoding: bool = True
    # Broadcast frames written straight to the sockets (app/realtime/wire.py).
    realtime_direct_writes: bool = True

    @property
    def local_mode(self) -> bool:
        """No Supabase project configured: we serve its Storage/Realtime surfaces ourselves."""
        return not self.supabase_url

    @property
    def token_issuer(self) -> str:
        """What Supabase Auth (or our local Auth) puts in `iss`."""
        base = (self.supabase_url or self.public_base_url).rstrip("/")
        return self.jwt_issuer or f"{base}/auth/v1"

    @property
    def is_development(self) -> bool:
        return self.environment in {"development", "dev", "local", "test"}

    def problems(self) -> list[str]:
        """What stops this configuration from running, one line each."""
        found = []
        for name in REQUIRED_SECRETS:
            value = getattr(self, name)
            if not value or value.startswith(PLACEHOLDER_PREFIX):
                found.append(f"{name.upper()} is missing or still a placeholder")
        if not self.is_development and self.supabase_url and not self.supabase_url.startswith(
            "https://"
        ):
            found.append("SUPABASE_URL must be an https:// URL outside development")
        return found

    def check(self) -> None:
        """Refuse to start with missing secrets, except in local development."""
        problems = self.problems()
        if problems and not self.is_development:
            raise ConfigError(
                f"cannot start in {self.environment!r}: " + "; ".join(problems)
            )


@lru_cache
def get_settings() -> Settings:
    return Settings()


class ChannelSettings(BaseSettings):
    """Knobs of the WhatsApp channel and the queues behind it (env prefix WHATSAPP_):
    the conversation, the notification outbox and the media downloads."""

    model_config = SettingsConfigDict(
        env_prefix="WHATSAPP_", env_file=(LOCAL_SECRETS, ROOT / ".env"), extra="ignore")

    consent_version: str = "2026-01"
    conversation_ttl_minutes: int = 120
    max_photos: int = 5
    # Questions answered with WhatsApp reply buttons / list messages (when their
    # Content API templates exist: `salga whatsapp contents`).
    interactive_replies: bool = True
    max_body_bytes: int = 64 * 1024
    # A ceiling over WhatsApp's own limit per kind (app/media/kinds.py): what the
    # evidence bucket holds (migration 0017).
    media_max_bytes: int = 16 * 1024 * 1024
    http_timeout_seconds: float = 10.0
    send_rate_per_sender: float = 10.0
    max_attempts: int = 8
    backoff_base_seconds: float = 5.0
    backoff_max_seconds: float = 3600.0
    sending_lease_seconds: float = 120.0
    batch_size: int = 50
    poll_seconds: float = 1.0

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try of a queued item that failed `attempts` times."""
        return backoff(attempts, base=self.backoff_base_seconds, cap=self.backoff_max_seconds)


@lru_cache
def channel_settings() -> ChannelSettings:
    return ChannelSettings()
