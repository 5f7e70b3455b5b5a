#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb under a temp dir, pg_ctl on a free
# loopback port, CLOSER_TEST_POSTGRES_URL exported, and the cluster stopped and removed afterwards,
# whether the command passes or fails.
set -euo pipefail

if [ -n "${CLOSER_TEST_POSTGRES_URL:-}" ]; then
    exec "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
    echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/closer-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root.
    chown postgres "$dir"
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U closer >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off" start >/dev/null

export CLOSER_TEST_POSTGRES_URL="postgres://closer@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port" >&2
"$@"
