#!/usr/bin/env bash
# Start the servers the tests use: PostgreSQL and Redis, on loopback. Sourced by .ci/run;
# a developer can source it too. Exports PODIUM_TEST_POSTGRES_URL and PODIUM_TEST_REDIS_URL.
set -euo pipefail

REDIS_PORT=${REDIS_PORT:-6390}
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
export PODIUM_TEST_REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"

PG_VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  pg_createcluster "$PG_VERSION" main >/dev/null
fi
CLUSTER=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
PG_PORT=$(pg_lsclusters -h | head -1 | awk '{print $3}')
pg_lsclusters -h | head -1 | grep -q online || pg_ctlcluster $CLUSTER start
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
su postgres -c "psql -q -p $PG_PORT -tc \"SELECT 1 FROM pg_roles WHERE rolname='podium'\"" | grep -q 1 ||
  su postgres -c "psql -q -p $PG_PORT -c \"CREATE ROLE podium LOGIN SUPERUSER PASSWORD 'podium'\""
su postgres -c "psql -q -p $PG_PORT -tc \"SELECT 1 FROM pg_database WHERE datname='podium_test'\"" | grep -q 1 ||
  su postgres -c "createdb -p $PG_PORT -O podium podium_test"
export PODIUM_TEST_POSTGRES_URL="postgresql+psycopg://podium:podium@127.0.0.1:${PG_PORT}/podium_test"
