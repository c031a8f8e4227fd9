#!/usr/bin/env bash
# Backs up the database DATABASE_URL names into one custom-format archive (docs/deployment.md, Backups):
#   DATABASE_URL=postgres://mq@db.internal:5432/mq server/scripts/pg-backup.sh /var/backups/minqing/mq-$(date +%F).dump
# pg_dump must be the server's major version or newer (it refuses a newer server). PG_BIN picks a
# directory of PostgreSQL client programs (e.g. /usr/lib/postgresql/15/bin); otherwise they come from PATH.
# Keep the password out of the URL in cron jobs: ~/.pgpass or PGPASSFILE.
# Photo files are not in the database: back up DATA_DIR/photos beside the dump.
set -euo pipefail
out=${1:?usage: pg-backup.sh OUT_FILE (DATABASE_URL in the environment)}
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
bin=${PG_BIN:+${PG_BIN%/}/}

# A consistent snapshot (pg_dump runs in one repeatable-read transaction); instances keep serving.
"${bin}pg_dump" --format=custom --compress=6 --file="$out.partial" --dbname="$DATABASE_URL"
# The archive reads back before it takes the real name: a truncated dump never looks like a backup.
"${bin}pg_restore" --list "$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "backup written: $out ($(du -h "$out" | cut -f1))"
