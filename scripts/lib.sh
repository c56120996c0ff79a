# Shared setup steps for scripts/dev, scripts/test and scripts/db.
# Every step is idempotent: it checks first and only does work that is missing.
# shellcheck shell=bash

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$LOCAL/pg/data"
PG_LOG="$LOCAL/pg/postgres.log"
export PGHOST=127.0.0.1
export PGPORT="${SALGA_DB_PORT:-54322}"
export PGUSER=postgres
export PGPASSWORD="${SALGA_DB_PASSWORD:-postgres}"
export PGDATABASE=postgres
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres:$PGPASSWORD@127.0.0.1:$PGPORT/postgres}"
VENV="$ROOT/.venv"
APT_PACKAGES=(postgresql-15 postgresql-contrib postgresql-15-postgis-3 postgresql-15-cron
              tesseract-ocr tesseract-ocr-eng tesseract-ocr-afr fonts-dejavu-core
              chromium)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the OS user that owns the cluster: Postgres refuses root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

apt_missing() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

ensure_apt() {
  local missing
  missing="$(apt_missing "$@")"
  [ -z "$missing" ] && return 0
  say "installing system packages: $missing"
  as_root apt-get update -qq
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

ensure_venv() {
  local stamp="$VENV/.installed" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing the Python environment into .venv/"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -e "$ROOT[dev]"
  echo "$want" > "$stamp"
}

ensure_npm() {
  [ -f "$ROOT/package.json" ] || return 0
  local stamp="$ROOT/node_modules/.installed" want
  want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v npm >/dev/null || ensure_apt nodejs npm
  say "installing npm packages"
  (cd "$ROOT" && if [ -f package-lock.json ]; then npm ci --silent; else npm install --silent; fi)
  echo "$want" > "$stamp"
}

ensure_secrets() {
  mkdir -p "$LOCAL"
  "$VENV/bin/salga" init-local >/dev/null
}

# The cluster's OS user must be able to reach .local/pg through every parent
# folder. A checkout under a private (0700) folder gets the search bit (x, not
# read) added to the parents that lack it, and says so.
ensure_pg_can_reach() {
  [ "$(id -u)" -eq 0 ] || return 0
  local dir="$LOCAL/pg"
  while [ "$dir" != "/" ]; do
    if ! runuser -u postgres -- test -x "$dir"; then
      say "letting the postgres user traverse $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
    dir="$(dirname "$dir")"
  done
}

cluster_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

init_cluster() {
  say "creating a PostgreSQL 15 cluster in .local/pg"
  mkdir -p "$LOCAL/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$LOCAL/pg"
  ensure_pg_can_reach
  local pwfile="$LOCAL/pg/.pw"
  printf '%s\n' "$PGPASSWORD" > "$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
  # As on Supabase, the cluster's superuser is supabase_admin; `postgres`
  # (who runs migrations and the app) is an ordinary role made below.
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U supabase_admin --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<CONF
# --- SALGA local cluster (the same port as Supabase's local stack) ---
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = ''
max_connections = 300
shared_buffers = 512MB
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
wal_level = logical
timezone = 'UTC'
log_min_messages = warning
CONF
}

port_taken_by_other() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null
}

# A cluster made before the local platform matched Supabase has `postgres` as
# its bootstrap superuser, which cannot be demoted: keep its data aside and
# make a new cluster.
retire_old_cluster() {
  [ -f "$PG_DATA/PG_VERSION" ] || return 0
  [ -f "$PG_DATA/salga-platform" ] && return 0
  local aside
  aside="$LOCAL/pg/data.before-supabase-admin.$(date +%Y%m%d%H%M%S)"
  say "this cluster's superuser is postgres (Supabase's is not): moving it to ${aside#"$ROOT/"}"
  stop_cluster
  mv "$PG_DATA" "$aside"
}

# The non-superuser `postgres`, as on Supabase (its grants: supabase/platform).
ensure_postgres_role() {
  PGUSER=supabase_admin PGDATABASE=postgres psql -q -v ON_ERROR_STOP=1 -v pw="$PGPASSWORD" >/dev/null <<'SQL'
select not exists (select 1 from pg_roles where rolname = 'postgres') as missing \gset
\if :missing
create role postgres login createrole createdb replication bypassrls;
\endif
alter role postgres with password :'pw';
alter role supabase_admin with password :'pw';
SQL
}

ensure_cluster() {
  retire_old_cluster
  [ -f "$PG_DATA/PG_VERSION" ] || init_cluster
  ensure_pg_can_reach
  if cluster_running; then return 0; fi
  if port_taken_by_other; then
    die "port $PGPORT is in use by another server; stop it or set SALGA_DB_PORT"
  fi
  say "starting PostgreSQL on 127.0.0.1:$PGPORT"
  rm -f "$PG_DATA/postmaster.pid"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -o "-p $PGPORT" start >/dev/null \
    || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start (log: .local/pg/postgres.log)"; }
  ensure_postgres_role
  as_pg touch "$PG_DATA/salga-platform"
}

stop_cluster() {
  cluster_running || return 0
  say "stopping PostgreSQL"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
}

# Platform SQL (local only) then our migrations, onto the database named $1.
migrate_db() {
  local db="${1:-postgres}"
  "$VENV/bin/salga" db-upgrade --database "$db"
}

setup_all() {
  ensure_apt "$@"
  ensure_venv
  ensure_npm
  ensure_secrets
  ensure_cluster
}
