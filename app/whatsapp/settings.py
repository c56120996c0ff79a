"""Knobs of the WhatsApp channel and the notification worker (env prefix WHATSAPP_)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from app.config import LOCAL_SECRETS, ROOT


class ChannelSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WHATSAPP_", env_file=(LOCAL_SECRETS, ROOT / ".env"), extra="ignore")

    consent_version: str = "2026-01"
    conversation_ttl_minutes: int = 120
    max_photos: int = 5
    max_body_bytes: int = 64 * 1024
    media_max_bytes: int = 10 * 1024 * 1024
    http_timeout_seconds: float = 10.0
    send_rate_per_sender: float = 10.0
    max_attempts: int = 8
    backoff_base_seconds: float = 5.0
    backoff_max_seconds: float = 3600.0
    sending_lease_seconds: float = 120.0
    batch_size: int = 50
    poll_seconds: float = 1.0


@lru_cache
def channel_settings() -> ChannelSettings:
    return ChannelSettings()
