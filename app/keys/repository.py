"""SQL for key rotation: every `encrypted_*` text column in public, batch by batch."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from app.vocab import Conn, Row


async def encrypted_columns(conn: Conn) -> list[Row]:
    """(table, column, primary key column) of every encrypted column."""
    cur = await conn.execute(
        """
        select c.table_name as table, c.column_name as column, k.column_name as pk
          from information_schema.columns c
          join information_schema.table_constraints tc
            on tc.table_schema = c.table_schema and tc.table_name = c.table_name
           and tc.constraint_type = 'PRIMARY KEY'
          join information_schema.key_column_usage k
            on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema
         where c.table_schema = 'public' and c.data_type = 'text'
           and (c.column_name like 'encrypted\\_%%' or c.column_name like '%%\\_encrypted')
           and (select count(*) from information_schema.key_column_usage k2
                 where k2.constraint_name = tc.constraint_name
                   and k2.table_schema = tc.table_schema) = 1
         order by 1, 2
        """)
    return await cur.fetchall()


async def count_values(conn: Conn, table: str, column: str) -> int:
    query = sql.SQL("select count(*) as n from public.{} where {} is not null").format(
        sql.Identifier(table), sql.Identifier(column))
    cur = await conn.execute(query)
    row = await cur.fetchone()
    return int(row["n"]) if row else 0


async def batch_after(conn: Conn, table: str, column: str, pk: str, after: Any,
                      limit: int) -> list[Row]:
    """The next `limit` encrypted values after primary key `after` (None: from the start)."""
    condition = sql.SQL("") if after is None else sql.SQL("and {} > %(after)s").format(
        sql.Identifier(pk))
    query = sql.SQL(
        "select {pk} as key, {col} as value from public.{t} where {col} is not null {cond}"
        " order by {pk} limit %(limit)s").format(
        pk=sql.Identifier(pk), col=sql.Identifier(column), t=sql.Identifier(table),
        cond=condition)
    cur = await conn.execute(query, {"after": after, "limit": limit})
    return await cur.fetchall()


async def replace_value(conn: Conn, table: str, column: str, pk: str, key: Any, old: str,
                        new: str) -> bool:
    """Swap the ciphertext unless someone changed it meanwhile."""
    query = sql.SQL("update public.{t} set {col} = %s where {pk} = %s and {col} = %s").format(
        t=sql.Identifier(table), col=sql.Identifier(column), pk=sql.Identifier(pk))
    cur = await conn.execute(query, (new, key, old))
    return cur.rowcount == 1
