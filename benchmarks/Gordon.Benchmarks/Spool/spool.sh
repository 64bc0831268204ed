#!/usr/bin/env bash
# The spool benchmark (issue 13): wrk POSTs the 8-partition Karrot envelope (benchmarks/wrk/burrow-post.lua) to two
# published daemons side by side, each with burrow + samples/HelloPlugin as the publish-phase handler (log level
# warning): one with the shipped [core.spool] (enabled, fsync = "interval", 100 ms), the baseline with the spool off.
# The runs alternate, baseline then spool, SPOOL_ROUNDS times; the figures are medians. Prints:
#   spool: N req/s, baseline M req/s, ratio r
# Settings (environment): WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=10s WRK_WARMUP=3s SPOOL_ROUNDS=3
#   SPOOL_FSYNC_INTERVAL=100ms (a long one, e.g. 10s (the maximum), isolates the cost of the write path from the fsync)
#   GORDON_PUBLISH_DIR  a published daemon with plugins/Gordon.Plugins.Burrow (default artifacts/gordon)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
wrkdir=$repo/benchmarks/wrk
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
duration=${WRK_DURATION:-10s}
warmup=${WRK_WARMUP:-3s}
rounds=${SPOOL_ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/gordon-spool-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "spool: wrk is not installed (Debian package wrk)" >&2; exit 1; }
daemon_dir=${GORDON_PUBLISH_DIR:-$repo/artifacts/gordon}
[[ -x "$daemon_dir/gordon" && -f "$daemon_dir/plugins/Gordon.Plugins.Burrow/Gordon.Plugins.Burrow.dll" ]] \
  || { echo "spool: no published daemon with the burrow plugin in $daemon_dir (dotnet cake --target=Publish)" >&2; exit 1; }

echo "Publishing samples/HelloPlugin as the publish-phase handler ..." >&2
dotnet publish "$repo/samples/HelloPlugin" -c Release -o "$work/hello" --artifacts-path "$work/hello-artifacts" --nologo -v quiet >/dev/null

make_root() { # name spool-table -> config root path
  local root=$work/$1
  mkdir -p "$root/plugins"
  cp "$daemon_dir/gordon.toml" "$root/"
  cp -r "$work/hello" "$root/plugins/HelloPlugin"
  cat > "$root/gordon-user.toml" <<TOML
[core]
plugin_dirs = ["plugins", "$daemon_dir/plugins"]
plugins = ["burrow", "hello"]

[core.http]
listen = "127.0.0.1:0"

[core.spool]
$2

[hello]
interval = "1h"

[core.logging.levels]
hello = "warning"
TOML
  echo "$root"
}

wait_listening() { # log file -> prints the base URL
  local log=$1
  for _ in $(seq 1 600); do
    if grep -qo 'Listening on http://[^ ]*' "$log"; then grep -o 'Listening on http://[^ ]*' "$log" | head -1 | cut -d' ' -f3; return 0; fi
    sleep 0.1
  done
  echo "spool: no 'Listening on' in $log:" >&2; cat "$log" >&2; return 1
}

start_daemon() { # name root -> prints the /burrow URL
  "$daemon_dir/gordon" run -c "$2" >"$work/$1.log" 2>&1 &
  pids+=($!)
  local url
  url=$(wait_listening "$work/$1.log")/burrow
  curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary @"$wrkdir/burrow-body.json" "$url" \
    || { echo "spool: the $1 daemon refused the benchmark body:" >&2; cat "$work/$1.log" >&2; exit 1; }
  echo "$url"
}

run_wrk() { # url label -> prints the RESULT line (wrk's own report goes to stderr)
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$wrkdir/burrow-post.lua" "$1" | tee "$work/$2.wrk" >&2
  grep '^RESULT' "$work/$2.wrk"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

on_root=$(make_root on "enabled = true"$'\nfsync = "interval"\nfsync_interval = "'"${SPOOL_FSYNC_INTERVAL:-100ms}"'"')
off_root=$(make_root off 'enabled = false')
off_url=$(start_daemon off "$off_root")
on_url=$(start_daemon on "$on_root")
grep -qi "spool" "$work/on.log" && grep -i "spool" "$work/on.log" | head -3 >&2 || true

wrk -t"$threads" -c"$connections" -d"$warmup" -s "$wrkdir/burrow-post.lua" "$off_url" >/dev/null
wrk -t"$threads" -c"$connections" -d"$warmup" -s "$wrkdir/burrow-post.lua" "$on_url" >/dev/null
: >"$work/off.results"
: >"$work/on.results"
for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds: baseline, spool off at $off_url" >&2
  run_wrk "$off_url" off >>"$work/off.results"
  echo "== round $round/$rounds: spool on (fsync interval) at $on_url" >&2
  run_wrk "$on_url" on >>"$work/on.results"
done
spool_files=$(find "$on_root/state/spool" -type f 2>/dev/null | wc -l)

summary() { # results file -> "rps p99 non2xx socket_errors"
  local rps p99 bad sock
  rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1" | median)
  p99=$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' "$1" | median)
  bad=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' "$1" | paste -sd+ | bc)
  sock=$(sed -n 's/.* socket_errors=\([0-9]*\).*/\1/p' "$1" | paste -sd+ | bc)
  echo "$rps $p99 $bad $sock"
}
read -r n_rps n_p99 n_bad n_sock < <(summary "$work/on.results")
read -r f_rps f_p99 f_bad f_sock < <(summary "$work/off.results")
echo "spool on  per round: $(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$work/on.results" | paste -sd' ') req/s" >&2
echo "spool off per round: $(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$work/off.results" | paste -sd' ') req/s" >&2
echo "spool on:  median $n_rps req/s, median p99 $n_p99 us, non-2xx $n_bad, socket errors $n_sock, spool files now $spool_files" >&2
echo "spool off: median $f_rps req/s, median p99 $f_p99 us, non-2xx $f_bad, socket errors $f_sock" >&2
awk -v g="$n_rps" -v b="$f_rps" 'BEGIN { printf "spool: %.0f req/s, baseline %.0f req/s, ratio %.2f\n", g, b, g / b }'
