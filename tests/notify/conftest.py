import pytest

from tests.whatsapp.conftest import standin, wa, wa_tenant, worker_settings

__all__ = ["standin", "wa", "wa_tenant", "worker_settings"]


@pytest.fixture(autouse=True)
def _texts(message_library: None) -> None:
    """Replies are compared with the library's approved texts."""
