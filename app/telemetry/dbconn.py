"""A psycopg connection that tells the database which request it works for.

Every transaction opened while a request id is current starts by setting
`app.request_id` for that transaction only, so the audit trail records it
(`public.audit_log.request_id`, migration 0010) and `pg_stat_activity`-style
debugging can match a statement to a log line. Outside a request (workers,
the CLI) nothing is set and nothing extra is sent. A transaction as a caller
(`app.db.transaction_as`) sets it in its caller statement instead, in the same
round trip.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection, AsyncTransaction
from psycopg.pq import TransactionStatus

from app.telemetry import requestid

_SET = "select set_config('app.request_id', %s, true)"


class RequestAwareConnection(AsyncConnection[Any]):
    @asynccontextmanager
    async def transaction(
        self, savepoint_name: str | None = None, force_rollback: bool = False
    ) -> AsyncIterator[AsyncTransaction]:
        outermost = self.info.transaction_status == TransactionStatus.IDLE
        async with super().transaction(savepoint_name, force_rollback) as tx:
            request_id = requestid.current()
            if outermost and request_id:
                await self.execute(_SET, (request_id,))
            yield tx
