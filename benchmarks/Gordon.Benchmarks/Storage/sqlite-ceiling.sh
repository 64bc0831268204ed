#!/usr/bin/env bash
# What SQLite alone can do with issue 9's ingest (a diagnostic, not a benchmark of the plugin): the store's schema and
# file settings (SqliteEventStore), 200,000 events with the benchmark's 10 traits (BenchmarkEvents), 500 events per
# transaction, every row written by set-based INSERT ... SELECT inside the sqlite3 shell, so no driver, no statement per
# row and no .NET at all. Prints:
#   sqlite-ceiling: N events/s (S s for 200000 events)
# Settings (environment): CEILING_BATCH=500 events per transaction, CEILING_PAGE_SIZE=16384,
#   CEILING_KV_INDEXES=1 (0 leaves out the trait tables' (key, value) indexes, to show what they cost).
# Needs the sqlite3 shell (Debian package sqlite3).
set -euo pipefail

command -v sqlite3 >/dev/null || { echo "sqlite-ceiling: sqlite3 is not installed (Debian package sqlite3)" >&2; exit 1; }
batch=${CEILING_BATCH:-500}
page_size=${CEILING_PAGE_SIZE:-16384}
kv_indexes=${CEILING_KV_INDEXES:-1}
events=200000
work=$(mktemp -d /tmp/gordon-sqlite-ceiling.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The connection's settings, as the store sets them on every connection; page size and WAL stay with the file.
connection="PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 2500;"
{
  echo "PRAGMA page_size = $page_size; PRAGMA journal_mode = WAL; $connection"
  echo 'CREATE TABLE event_type (id INTEGER PRIMARY KEY AUTOINCREMENT, "desc" VARCHAR(255) NOT NULL UNIQUE);'
  echo 'CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id VARCHAR(255) NOT NULL UNIQUE, generated INTEGER NOT NULL, raw TEXT NOT NULL, event_type_id INTEGER NOT NULL REFERENCES event_type (id));'
  echo 'CREATE INDEX ix_event_generated ON event (generated, message_id);'
  echo 'CREATE INDEX ix_event_type_id ON event (event_type_id, generated);'
  for table in "trait_text VARCHAR(255)" "trait_int BIGINT" "trait_float DOUBLE" "trait_datetime INTEGER"; do
    set -- $table
    echo "CREATE TABLE $1 (event_id INTEGER NOT NULL REFERENCES event (id), \"key\" VARCHAR(255) NOT NULL, value $2, PRIMARY KEY (event_id, \"key\")) WITHOUT ROWID;"
    [[ $kv_indexes == 1 ]] && echo "CREATE INDEX ix_$1_key_value ON $1 (\"key\", value);"
  done
  echo "INSERT INTO event_type (\"desc\") VALUES ('burrow.consumer_status');"
} > "$work/schema.sql"

{
  echo "$connection"
  for ((first = 0; first < events; first += batch)); do
    rows="WITH RECURSIVE s(n) AS (SELECT $first UNION ALL SELECT n + 1 FROM s WHERE n < $((first + batch - 1)))"
    echo "BEGIN IMMEDIATE;"
    echo "$rows INSERT INTO event (id, message_id, generated, raw, event_type_id) SELECT n + 1, 'ev-' || n, 1735689600000000 + n * 10000, '{\"status\":\"OK\",\"cluster\":\"c\",\"group\":\"g\",\"totallag\":1}', 1 FROM s;"
    echo "$rows INSERT INTO trait_text SELECT n + 1, 'cluster', 'cluster-' || (n % 20) FROM s UNION ALL SELECT n + 1, 'group', 'group-' || (n % 500) FROM s UNION ALL SELECT n + 1, 'status', CASE (n / 7) % 4 WHEN 0 THEN 'OK' WHEN 1 THEN 'WARN' WHEN 2 THEN 'ERR' ELSE 'STOP' END FROM s UNION ALL SELECT n + 1, 'maxlag_topic', 'topic-' || (n % 50) FROM s;"
    echo "$rows INSERT INTO trait_int SELECT n + 1, 'totallag', n * 3 FROM s UNION ALL SELECT n + 1, 'partition_count', n % 64 FROM s UNION ALL SELECT n + 1, 'maxlag_partition', n % 13 FROM s;"
    echo "$rows INSERT INTO trait_float SELECT n + 1, 'complete', (n % 100) / 100.0 FROM s UNION ALL SELECT n + 1, 'lag_rate', n * 0.25 FROM s;"
    echo "$rows INSERT INTO trait_datetime SELECT n + 1, 'observed', 1735689600000000 + n * 10000 + 5000 FROM s;"
    echo "COMMIT;"
  done
} > "$work/ingest.sql"

sqlite3 "$work/events.db" < "$work/schema.sql" > /dev/null
start=$(date +%s.%N)
sqlite3 "$work/events.db" < "$work/ingest.sql" > /dev/null
end=$(date +%s.%N)
[[ $(sqlite3 "$work/events.db" "SELECT count(*) FROM trait_text") == $((events * 4)) ]] \
  || { echo "sqlite-ceiling: the trait rows are not all there" >&2; exit 1; }
awk -v s="$start" -v e="$end" -v n="$events" 'BEGIN { printf "sqlite-ceiling: %.0f events/s (%.2f s for %d events)\n", n / (e - s), e - s, n }'
