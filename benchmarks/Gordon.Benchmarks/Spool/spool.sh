#!/usr/bin/env bash
# The spool benchmark (issue 13): wrk POSTs the 8-partition Karrot envelope (benchmarks/wrk/burrow-post.lua) to two
# published daemons side by side, each with burrow + samples/HelloPlugin as the publish-phase handler (log level
# warning): one with the shipped [core.spool] (enabled, fsync = "interval", 100 ms), the baseline with the spool off.
# The runs alternate, baseline then spool, SPOOL_ROUNDS times; the req/s figures are medians, the ratio is the median
# of the rounds' own ratios (spool over baseline of the same round). Prints:
#   spool: N req/s, baseline M req/s, ratio r
# Settings (environment): WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=10s WRK_WARMUP=3s (wrk/lib.sh), SPOOL_ROUNDS=3
#   SPOOL_FSYNC_INTERVAL=100ms (a long one, e.g. 10s (the maximum), isolates the cost of the write path from the fsync)
#   SPOOL_SEGMENT_SIZE (default: the shipped one, 16MiB)
#   GORDON_PUBLISH_DIR  a published daemon with plugins/Gordon.Plugins.Burrow (default artifacts/gordon)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
rounds=${SPOOL_ROUNDS:-3}
bench_name=spool
# shellcheck source=../../wrk/lib.sh
source "$repo/benchmarks/wrk/lib.sh"
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

start_daemon() { # name root -> sets $url to its /burrow URL (not called in $(...): the pid must reach cleanup)
  "$daemon_dir/gordon" run -c "$2" >"$work/$1.log" 2>&1 &
  pids+=($!)
  url=$(wait_listening "$work/$1.log")/burrow
  check_body "$url" "$1" "$work/$1.log"
}

on_table="enabled = true"$'\nfsync = "interval"\nfsync_interval = "'"${SPOOL_FSYNC_INTERVAL:-100ms}"'"'
[[ -n "${SPOOL_SEGMENT_SIZE:-}" ]] && on_table+=$'\nsegment_size = "'"$SPOOL_SEGMENT_SIZE"'"'
on_root=$(make_root on "$on_table")
off_root=$(make_root off 'enabled = false')
start_daemon off "$off_root"
off_url=$url
start_daemon on "$on_root"
on_url=$url
grep -qi "spool" "$work/on.log" && grep -i "spool" "$work/on.log" | head -3 >&2 || true

warm_up "$off_url"
warm_up "$on_url"
: >"$work/off.results"
: >"$work/on.results"
for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds: baseline, spool off at $off_url" >&2
  run_wrk "$off_url" off >>"$work/off.results"
  echo "== round $round/$rounds: spool on (fsync interval) at $on_url" >&2
  run_wrk "$on_url" on >>"$work/on.results"
done
spool_files=$(find "$on_root/state/spool" -type f 2>/dev/null | wc -l)

read -r n_rps n_p99 n_bad n_sock < <(summary "$work/on.results")
read -r f_rps f_p99 f_bad f_sock < <(summary "$work/off.results")
echo "spool on  per round: $(per_round "$work/on.results") req/s" >&2
echo "spool off per round: $(per_round "$work/off.results") req/s" >&2
echo "spool on:  median $n_rps req/s, median p99 $n_p99 us, non-2xx $n_bad, socket errors $n_sock, spool files now $spool_files" >&2
echo "spool off: median $f_rps req/s, median p99 $f_p99 us, non-2xx $f_bad, socket errors $f_sock" >&2
# Each round runs the two daemons back to back, so a round's two figures share the machine's state; the rounds of a
# run do not (this machine's baseline moves between 33k and 45k req/s). The ratio is therefore the median of the
# rounds' own ratios, not the ratio of the two medians, which may come from rounds minutes apart.
ratio=$(paired_ratio "$work/on.results" "$work/off.results")
echo "ratios per round: $(paste <(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$work/on.results") <(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$work/off.results") | awk '{ printf "%.2f ", $1 / $2 }'); ratio of the medians $(awk -v a="$n_rps" -v b="$f_rps" 'BEGIN { printf "%.2f", a / b }')" >&2
final_line "$n_rps" "$f_rps" "$ratio"
