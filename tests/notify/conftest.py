from tests.whatsapp.conftest import standin, wa, wa_tenant, worker_settings

__all__ = ["standin", "wa", "wa_tenant", "worker_settings"]
