#!/usr/bin/env bash
# Restores an archive made by pg-backup.sh into a new, empty database (docs/deployment.md, Backups):
#   createdb -h db.internal -U postgres -O mq mq_restored
#   TARGET_DATABASE_URL=postgres://mq@db.internal:5432/mq_restored server/scripts/pg-restore.sh mq-2026-11-21.dump
# All or nothing: one transaction, stopped at the first error. Objects end up owned by the user of
# TARGET_DATABASE_URL (the server's own user), whatever their owner was in the source.
set -euo pipefail
file=${1:?usage: pg-restore.sh DUMP_FILE (TARGET_DATABASE_URL in the environment)}
: "${TARGET_DATABASE_URL:?set TARGET_DATABASE_URL to a new, empty database}"
bin=${PG_BIN:+${PG_BIN%/}/}

tables=$("${bin}psql" --no-psqlrc --quiet --tuples-only --no-align --dbname="$TARGET_DATABASE_URL" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the target database already has $tables table(s); restore into a new, empty database" >&2
  exit 1
fi
"${bin}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$TARGET_DATABASE_URL" "$file"
echo "restored $file"
