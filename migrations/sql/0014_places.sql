-- =====================================================================
-- 0014 Places
-- A municipality's place names (suburbs, wards, streets, landmarks) with
-- their geometry, so a typed address ("Kerkstraat", "Ward 12") can be put on
-- the map and routed by service area like a shared pin.
-- =====================================================================

create table public.places (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.municipalities (id),
  name text not null check (length(btrim(name)) between 2 and 200),
  kind text not null default 'suburb'
    check (kind in ('suburb', 'ward', 'street', 'landmark', 'settlement')),
  -- Lower-case, accents and punctuation folded: what typed text is compared with.
  search_name text generated always as (
    btrim(regexp_replace(lower(name), '[^a-z0-9]+', ' ', 'g'))) stored,
  geom extensions.geography(Geometry, 4326) not null,
  -- Where a report that names this place is put: a point on (not merely near) the shape.
  anchor extensions.geography(Point, 4326) generated always as (
    extensions.st_pointonsurface(geom::extensions.geometry)::extensions.geography) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid,
  updated_by uuid,
  unique (tenant_id, kind, name)
);
create index places_tenant_idx on public.places (tenant_id);
create index places_search_trgm_idx on public.places
  using gin (search_name extensions.gin_trgm_ops);

create trigger stamp_row before insert or update on public.places
  for each row execute function private.stamp_row();
create trigger audit_row after insert or update or delete on public.places
  for each row execute function private.audit_row();

alter table public.places enable row level security;
alter table public.places force row level security;
revoke all on public.places from anon, authenticated;
grant select, insert, update, delete on public.places to authenticated;
grant all on public.places to service_role;

create policy "Staff read their municipality's places"
  on public.places for select to authenticated
  using (tenant_id = (select private.tenant_id()) and (select private.is_staff()));

create policy "Managers and admins manage their municipality's places"
  on public.places for all to authenticated
  using (tenant_id = (select private.tenant_id())
         and (select private.app_role()) in ('manager', 'admin'))
  with check (tenant_id = (select private.tenant_id())
              and (select private.app_role()) in ('manager', 'admin'));

-- ---------------------------------------------------------------------
-- The place a typed address names, if any: a place whose name stands as
-- whole words in the text (longest name first, so "Main Road" beats
-- "Main"), else the name most like a stretch of the text (trigram word
-- similarity of at least 0.6, so "Kerkstrat" still finds Kerkstraat).
-- Security invoker: the webhook calls it as the service role; staff as
-- themselves, through the policies above.
-- ---------------------------------------------------------------------
create function public.match_place(p_tenant_id uuid, p_text text)
returns table (place_id uuid, name text, kind text, latitude float8, longitude float8,
               score real)
language sql stable security invoker
set search_path = ''
as $$
  with typed as (
    select ' ' || btrim(regexp_replace(lower(coalesce(p_text, '')), '[^a-z0-9]+', ' ', 'g'))
           || ' ' as words
  )
  select p.id, p.name, p.kind,
         extensions.st_y(p.anchor::extensions.geometry),
         extensions.st_x(p.anchor::extensions.geometry),
         case when position(' ' || p.search_name || ' ' in t.words) > 0 then 1.0::real
              else extensions.word_similarity(p.search_name, t.words) end as score
    from public.places p, typed t
   where p.tenant_id = p_tenant_id
     and length(btrim(t.words)) >= 3
     and (position(' ' || p.search_name || ' ' in t.words) > 0
          or extensions.word_similarity(p.search_name, t.words) >= 0.6)
   order by score desc, length(p.search_name) desc, p.name
   limit 1
$$;

-- Functions are not executable by default here (0008), pg_trgm's included.
grant execute on function extensions.word_similarity(text, text) to authenticated, service_role;
revoke all on function public.match_place(uuid, text) from public, anon;
grant execute on function public.match_place(uuid, text) to authenticated, service_role;
