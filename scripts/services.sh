#!/usr/bin/env bash
# Local PostgreSQL + Redis for development and CI, without systemd.
#
#   scripts/services.sh start    # initdb (first time) + start PG and Redis; idempotent
#   scripts/services.sh stop     # stop both (keeps the data dirs)
#   scripts/services.sh status   # exit 0 when both answer
#   scripts/services.sh env      # print the export lines; use: eval "$(scripts/services.sh env)"
#   scripts/services.sh destroy  # stop and delete the scratch data dirs
#
# Tunables (environment): PG_PORT (55432), REDIS_PORT (56379), PGDATA_DIR (/tmp/zc-pg),
# REDIS_DIR (/tmp/zc-redis), PG_BIN (newest /usr/lib/postgresql/*/bin), ZC_DB_USER/ZC_DB_PASSWORD/ZC_DB_NAME (zc).
# As root, PostgreSQL runs as the `postgres` OS user; as any other user it runs as that user.
# The cluster is a throw-away scratch cluster: fsync is off.
set -euo pipefail

PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/zc-pg}"
REDIS_DIR="${REDIS_DIR:-/tmp/zc-redis}"
DB_USER="${ZC_DB_USER:-zc}"
DB_PASSWORD="${ZC_DB_PASSWORD:-zc}"
DB_NAME="${ZC_DB_NAME:-zc}"

PGDATA="$PGDATA_DIR/data"
PGSOCK="$PGDATA_DIR"          # unix socket dir (private, 0700)
PGLOG="$PGDATA_DIR/postgres.log"

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_pg_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        echo "$PG_BIN"; return
    fi
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$d" && -x "$d/pg_ctl" ]]; then
        echo "$d"; return
    fi
    if command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return
    fi
    die "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)"
}

# Run a command as the PostgreSQL OS user (postgres when we are root, ourselves otherwise).
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

pg_running() {
    [[ -f "$PGDATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

psql_super() {
    as_pg "$PG_BIN/psql" -h "$PGSOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

pg_start() {
    PG_BIN="$(find_pg_bin)"
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing (install the postgresql package)"
    fi
    mkdir -p "$PGDATA_DIR"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres:postgres "$PGDATA_DIR"
    fi
    chmod 700 "$PGDATA_DIR"

    if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
        log "initdb $PGDATA ($("$PG_BIN/postgres" --version))"
        rm -rf "$PGDATA"
        as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$PGDATA_DIR/initdb.log" 2>&1 \
            || { cat "$PGDATA_DIR/initdb.log" >&2; die "initdb failed"; }
        as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<EOF

# --- scripts/services.sh (scratch cluster) ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGSOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
EOF
    fi

    if pg_running; then
        log "PostgreSQL already running ($PGDATA)"
    else
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start >/dev/null \
            || { tail -n 30 "$PGLOG" >&2 || true; die "pg_ctl start failed"; }
    fi

    # Role + database (idempotent).
    if [[ "$(psql_super -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]]; then
        psql_super -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    else
        psql_super -c "ALTER ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    fi
    if [[ "$(psql_super -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]]; then
        psql_super -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\" ENCODING 'UTF8' TEMPLATE template0"
    fi
    log "PostgreSQL ready: postgres://$DB_USER:***@127.0.0.1:$PG_PORT/$DB_NAME"
}

pg_stop() {
    PG_BIN="$(find_pg_bin)"
    if pg_running; then
        log "stopping PostgreSQL"
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || {
            log "fast stop failed; immediate stop"
            as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 30 stop >/dev/null || true
        }
    else
        log "PostgreSQL not running"
    fi
}

redis_running() {
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

redis_start() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found (apt-get install redis-server)"
    mkdir -p "$REDIS_DIR"
    if redis_running; then
        log "Redis already running on 127.0.0.1:$REDIS_PORT"
        return
    fi
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" \
        --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
        --save "" --appendonly no --protected-mode yes
    local i
    for i in $(seq 1 50); do
        redis_running && { log "Redis ready: redis://127.0.0.1:$REDIS_PORT/0"; return; }
        sleep 0.2
    done
    tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
    die "Redis did not answer PING on port $REDIS_PORT"
}

redis_stop() {
    if redis_running; then
        log "stopping Redis"
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    # Fall back to the pid file (e.g. if it stopped answering).
    if [[ -f "$REDIS_DIR/redis.pid" ]]; then
        local pid i
        pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
        for i in $(seq 1 50); do
            [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$REDIS_DIR/redis.pid"
    fi
}

print_env() {
    echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
    echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

status() {
    local rc=0
    PG_BIN="$(find_pg_bin)"
    if pg_running; then log "PostgreSQL: running ($PGDATA, port $PG_PORT)"; else log "PostgreSQL: stopped"; rc=1; fi
    if redis_running; then log "Redis: running (port $REDIS_PORT)"; else log "Redis: stopped"; rc=1; fi
    return $rc
}

case "${1:-}" in
    start) pg_start; redis_start ;;
    stop) rc=0; redis_stop || rc=$?; pg_stop || rc=$?; exit $rc ;;
    restart) redis_stop || true; pg_stop || true; pg_start; redis_start ;;
    status) status ;;
    env) print_env ;;
    destroy)
        redis_stop || true; pg_stop || true
        log "removing $PGDATA_DIR $REDIS_DIR"
        rm -rf "$PGDATA_DIR" "$REDIS_DIR" ;;
    *) echo "usage: $0 start|stop|restart|status|env|destroy" >&2; exit 2 ;;
esac
