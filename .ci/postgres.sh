# Source this file: starts a throw-away PostgreSQL server on a Unix socket (no TCP) for the
# shared-store test, exports PMO_ASSESS_TEST_PG, and stops the server when the shell exits.
# Debian's postgresql package is installed when missing; if that fails, the test is skipped.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing PostgreSQL from Debian's packages for the shared-store test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -n "$pg_bin" ] && id postgres >/dev/null 2>&1; then
  pg_dir=$(mktemp -d /tmp/pmo-pg.XXXXXX)
  chown postgres "$pg_dir"
  run_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if run_as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null \
    && run_as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
         -o "-k $pg_dir -p 54329 -c listen_addresses=''" start >/dev/null; then
    export PMO_ASSESS_TEST_PG="postgresql+psycopg://postgres@/postgres?host=$pg_dir&port=54329"
    trap 'run_as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
    echo "PostgreSQL test server running on $pg_dir"
  else
    echo "Could not start PostgreSQL; the shared-store test will be skipped."
  fi
else
  echo "PostgreSQL is not available; the shared-store test will be skipped."
fi
