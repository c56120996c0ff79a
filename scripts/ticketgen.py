"""A million tickets the way a country files them, for scripts/bench_tickets.

Set-based (generate_series, triggers off as for any bulk load), so the values
the triggers would set are computed here: tracking numbers per municipality
and year (6 digits; protected ones `P` + 6 characters), SLA deadlines, the
team, the lifecycle timestamps. The spread:
- eight municipalities: the bench metro (the one whose staff the bench signs
  in as) holds 40 %, seven smaller ones the rest, each in its own area;
- two years of reports, 3 % protected (GBV), most with a street address;
- reports of the last three days are being worked; older ones mostly closed,
  except the *old overdue* ones still open, in progress or escalated (1.5 %),
  which a list capped at the newest rows would never reach.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg

OTHER_MUNICIPALITIES = (("BENCHB", "KZN"), ("BENCHC", "GP"), ("BENCHD", "EC"),
                        ("BENCHE", "FS"), ("BENCHF", "LP"), ("BENCHG", "NW"), ("BENCHH", "NC"))
CITY_SHARE = 0.40
STREETS = ("Main", "Church", "Voortrekker", "Nelson Mandela", "Jan Smuts", "Long", "Bree",
           "Loop", "Kloof", "Victoria", "Albert", "Station", "Market", "Hospital", "Beach",
           "Oxford", "Rivonia", "Louis Botha", "Govan Mbeki", "Steve Biko", "Chris Hani",
           "Walter Sisulu", "Oliver Tambo", "Albertina Sisulu", "Kingsway", "Umgeni",
           "Florida", "Pretorius", "Paul Kruger", "Buitenkant")
KINDS = ("Street", "Road", "Avenue", "Drive", "Lane")
SUBURBS = ("Gugulethu", "Khayelitsha", "Mitchells Plain", "Langa", "Observatory",
           "Woodstock", "Bellville", "Parow", "Athlone", "Rondebosch", "Claremont",
           "Wynberg", "Muizenberg", "Delft", "Philippi", "Nyanga", "Elsies River",
           "Goodwood", "Milnerton", "Table View", "Durbanville", "Kuils River", "Strand",
           "Somerset West", "Hout Bay", "Sea Point", "Green Point", "Salt River")

# Municipalities are added first (teams: only the metro has them, from build_city).
MUNICIPALITIES = """
insert into public.municipalities (code, name, province)
select code, 'Bench ' || code, province
  from unnest(%(codes)s::text[], %(provinces)s::text[]) as m(code, province)
on conflict (code) do nothing
"""

# One row per ticket; the window numbers each municipality's tickets per year.
TICKETS = """
insert into public.tickets (tenant_id, tracking_number, reporter_id, category, description,
  encrypted_description, is_sensitive, status, priority, location, address, language, source,
  assigned_team_id, sla_response_deadline, sla_resolution_deadline, first_responded_at,
  resolved_at, closed_at, escalated_at, escalation_reason, created_at, updated_at)
select r.tenant_id,
       case when r.sensitive
            then format('%%s-%%s-P%%s', r.code, r.year, lpad(upper(to_hex(r.g)), 6, '0'))
            else format('%%s-%%s-%%s', r.code, r.year, lpad(row_number() over (
                   partition by r.tenant_id, r.year, r.sensitive order by r.at, r.g)::text,
                   6, '0')) end,
       r.reporter, r.category,
       case when r.sensitive then null else 'Generated report ' || r.g end,
       case when r.sensitive then 'ciphertext' end,
       r.sensitive, r.status, r.priority, r.location, r.address, r.language, r.source,
       case when not r.is_city then null
            when r.sensitive then r.saps
            when r.category = 'water' then (array[r.north, r.south, r.standby])[1 + r.g %% 3]
            when r.category in ('roads', 'electricity') then r.roads
            when r.category = 'sanitation' then r.south end,
       r.at + r.respond, r.at + r.resolve,
       case when r.status <> 'open' then r.at + interval '3 hours' end,
       case when r.status in ('resolved', 'closed') then r.at + r.took end,
       case when r.status = 'closed' then r.at + r.took + interval '1 day' end,
       -- old overdue work was escalated by the sweep long ago, but for a few
       -- whose escalation is due now (the sweep at the end finds them)
       case when r.status in ('open', 'in_progress', 'escalated')
                 and r.at < now() - interval '3 days' and r.g %% 997 <> 7
            then r.at + r.resolve + interval '1 minute' end,
       case when r.status in ('open', 'in_progress', 'escalated')
                 and r.at < now() - interval '3 days' and r.g %% 997 <> 7
            then 'resolution overdue' end,
       r.at, greatest(r.at, least(now(), r.at + r.took))
  from (
    select g, m.tenant_id, m.code, m.reporter, m.is_city, c.at, c.sensitive, k.category, ids.*,
           extract(year from c.at at time zone 'Africa/Johannesburg')::int as year,
           case when c.at > now() - interval '3 days' then
                  (array['open', 'in_progress', 'open', 'escalated', 'resolved'])[1 + g %% 5]
                when c.h %% 200 = 7 then 'open'
                when c.h %% 200 = 8 then 'in_progress'
                when c.h %% 200 = 9 then 'escalated'
                when c.h %% 10 = 0 then 'resolved'
                else 'closed' end as status,
           (array['normal', 'normal', 'normal', 'low', 'normal', 'high', 'normal', 'normal',
                  'normal', 'urgent'])[1 + c.h %% 10] as priority,
           extensions.st_setsrid(extensions.st_makepoint(
             m.x + random() * 0.3, m.y + random() * 0.3), 4326)::extensions.geography
             as location,
           case when g %% 5 = 0 then null else format('%%s %%s %%s, %%s', 1 + g %% 397,
             (%(streets)s::text[])[1 + g %% %(n_streets)s],
             (%(kinds)s::text[])[1 + g %% 5],
             (%(suburbs)s::text[])[1 + (g / 7) %% %(n_suburbs)s]) end as address,
           (array['en', 'zu', 'af', 'en'])[1 + g %% 4] as language,
           (array['whatsapp', 'whatsapp', 'web', 'whatsapp', 'api'])[1 + g %% 5] as source,
           case when c.sensitive then interval '1 hour' else interval '24 hours' end
             as respond,
           case when c.sensitive then interval '24 hours' else interval '72 hours' end
             as resolve,
           interval '1 hour' * (6 + g %% 120) as took
      from generate_series(1, %(n)s) g
      cross join bench_team_ids ids
      cross join lateral (
        select now() - (%(n)s - g) * (interval '730 days' / %(n)s) as at,
               g %% 33 = 0 as sensitive,
               -- a scrambled g: status and priority independent of municipality and kind
               (g::bigint * 2654435761) %% 4294967291 as h) c
      cross join lateral (
        select case when c.sensitive then 'gbv'
                    else (array['water', 'water', 'electricity', 'roads', 'waste',
                                'sanitation', 'other'])[1 + (g / 3) %% 7] end as category) k
      join bench_homes m
        on m.slot = case when (g %% 100) < %(city_pct)s then 0 else 1 + g %% %(others)s end
  ) r
"""

HOMES = """
create temporary table bench_homes as
select row_number() over (order by m.code <> %(city)s, m.code) - 1 as slot,
       m.id as tenant_id, m.code, m.code = %(city)s as is_city,
       case when m.code = %(city)s then %(citizen)s::uuid end as reporter,
       case when m.code = %(city)s then 18.35 else 19.0 + (row_number() over (
         order by m.code)) end as x,
       case when m.code = %(city)s then -34.10 else -30.0 end as y
  from public.municipalities m
 where m.code = %(city)s or m.code = any(%(codes)s::text[]);
create temporary table bench_team_ids as
select max(id::text) filter (where name = 'Water North')::uuid as north,
       max(id::text) filter (where name = 'Water South')::uuid as south,
       max(id::text) filter (where name = 'Water Standby')::uuid as standby,
       max(id::text) filter (where name = 'Roads')::uuid as roads,
       max(id::text) filter (where is_saps)::uuid as saps
  from public.teams where tenant_id = %(tenant)s
"""

AFTER = """
insert into public.protected_casework (ticket_id, tenant_id, channel)
select id, tenant_id, source from public.tickets where is_sensitive
on conflict (ticket_id) do nothing;
insert into private.tracking_counters (tenant_id, year, last_value)
select tenant_id, split_part(tracking_number, '-', 2)::int,
       max(split_part(tracking_number, '-', 3)::int)
  from public.tickets where not is_sensitive group by 1, 2
on conflict (tenant_id, year) do update set last_value = excluded.last_value
"""


def generate(url: str, *, n: int, city: Any) -> float:
    """Fill the bench database; the seconds it took."""
    codes = [code for code, _ in OTHER_MUNICIPALITIES]
    params: dict[str, Any] = {
        "n": n, "city": city.tenant.code, "tenant": city.tenant.id,
        "citizen": city.tenant.users["citizen"], "codes": codes,
        "provinces": [p for _, p in OTHER_MUNICIPALITIES], "city_pct": round(100 * CITY_SHARE),
        "streets": list(STREETS), "n_streets": len(STREETS), "kinds": list(KINDS),
        "suburbs": list(SUBURBS), "n_suburbs": len(SUBURBS),
        "others": len(OTHER_MUNICIPALITIES)}
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("set session_replication_role = replica")
        conn.execute("set work_mem = '256MB'")
        conn.execute(MUNICIPALITIES, params)
        for statement in HOMES.split(";\n"):
            conn.execute(statement, params)
        conn.execute(TICKETS, params)
        for statement in AFTER.split(";\n"):
            conn.execute(statement)
        conn.execute("set session_replication_role = origin")
        conn.execute("vacuum analyze public.tickets")
        conn.execute("analyze public.protected_casework")
    return round(time.perf_counter() - started, 1)
