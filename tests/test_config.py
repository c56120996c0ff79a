from __future__ import annotations

import pytest

from app.config import ConfigError, Settings


def test_production_refuses_missing_secrets() -> None:
    settings = Settings(environment="production", supabase_jwt_secret="",
                        encryption_key_current="change-me", _env_file=None)
    with pytest.raises(ConfigError) as caught:
        settings.check()
    message = str(caught.value)
    assert "SUPABASE_JWT_SECRET" in message
    assert "ENCRYPTION_KEY_CURRENT" in message


def test_development_starts_without_secrets() -> None:
    Settings(environment="development", _env_file=None).check()


def test_local_mode_is_no_supabase_url() -> None:
    assert Settings(supabase_url="", _env_file=None).local_mode
    assert not Settings(supabase_url="https://x.supabase.co", _env_file=None).local_mode
