"""SQL on storage.buckets and storage.objects (run as whoever the transaction is)."""

from __future__ import annotations

import json
from typing import Any

from psycopg import AsyncConnection

Row = dict[str, Any]
OBJECT_COLUMNS = "id, bucket_id, name, owner, owner_id, version, metadata, user_metadata," \
                 " created_at, updated_at, last_accessed_at"


async def bucket(conn: AsyncConnection[Any], bucket_id: str) -> Row | None:
    cur = await conn.execute(
        "select id, public, file_size_limit, allowed_mime_types from storage.buckets"
        " where id = %s", (bucket_id,))
    return await cur.fetchone()


async def find_object(conn: AsyncConnection[Any], bucket_id: str, name: str) -> Row | None:
    cur = await conn.execute(
        f"select {OBJECT_COLUMNS} from storage.objects where bucket_id = %s and name = %s",
        (bucket_id, name))
    return await cur.fetchone()


async def write_object(
    conn: AsyncConnection[Any],
    *,
    bucket_id: str,
    name: str,
    owner: str | None,
    version: str,
    metadata: dict[str, Any],
    user_metadata: dict[str, Any] | None,
    upsert: bool,
) -> Row:
    """INSERT (or, for upserts, INSERT ... ON CONFLICT DO UPDATE) the object row."""
    conflict = """
        on conflict (bucket_id, name) do update
           set owner = excluded.owner, owner_id = excluded.owner_id,
               version = excluded.version, metadata = excluded.metadata,
               user_metadata = excluded.user_metadata, updated_at = now(),
               last_accessed_at = now()""" if upsert else ""
    cur = await conn.execute(
        f"""
        insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata,
                                     user_metadata)
        values (%(bucket)s, %(name)s, %(owner)s::uuid, %(owner)s, %(version)s,
                %(metadata)s::jsonb, %(user_metadata)s::jsonb)
        {conflict}
        returning {OBJECT_COLUMNS}
        """,
        {"bucket": bucket_id, "name": name, "owner": owner, "version": version,
         "metadata": json.dumps(metadata),
         "user_metadata": json.dumps(user_metadata) if user_metadata is not None else None},
    )
    row = await cur.fetchone()
    assert row is not None
    return row


async def objects_under(
    conn: AsyncConnection[Any], bucket_id: str, prefix: str, search: str
) -> list[Row]:
    pattern = _like_escape(prefix) + "%"
    cur = await conn.execute(
        f"select {OBJECT_COLUMNS} from storage.objects"
        " where bucket_id = %s and name like %s order by name",
        (bucket_id, pattern))
    rows = await cur.fetchall()
    if search:
        rows = [r for r in rows if r["name"][len(prefix):].lower().startswith(search.lower())]
    return rows


async def delete_objects(conn: AsyncConnection[Any], bucket_id: str, names: list[str]) -> list[Row]:
    # Storage's delete protection: the Storage server allows deletes per request.
    await conn.execute("select set_config('storage.allow_delete_query', 'true', true)")
    cur = await conn.execute(
        f"delete from storage.objects where bucket_id = %s and name = any(%s)"
        f" returning {OBJECT_COLUMNS}", (bucket_id, names))
    return await cur.fetchall()


async def scan_status(conn: AsyncConnection[Any], bucket_id: str, name: str) -> str | None:
    """The post-upload check's verdict on a stored file (None: not one of ours)."""
    cur = await conn.execute(
        "select scan_status from public.media_attachments where bucket = %s and path = %s",
        (bucket_id, name))
    row = await cur.fetchone()
    return str(row["scan_status"]) if row else None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
