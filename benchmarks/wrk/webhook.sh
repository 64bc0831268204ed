#!/usr/bin/env bash
# The webhook benchmark (issue 6): wrk POSTs an 8-partition Karrot envelope to the published daemon's /burrow
# (burrow plugin + one publish-phase handler), then the same request to a bare Kestrel endpoint that only reads
# the body and answers 200 (Gordon.Benchmarks --bench=kestrel-bare), in the same run, and prints:
#   webhook: N req/s, baseline M req/s, ratio r
# Settings (environment): WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=10s WRK_WARMUP=3s
#   GORDON_PUBLISH_DIR  a published daemon with plugins/Gordon.Plugins.Burrow (default: artifacts/gordon if it has
#                       one, else Gordon.Core and the burrow plugin are published into a temp folder)
#   PUBLISHER           the publish-phase handler: "prometheus" (default when the published daemon has
#                       plugins/Gordon.Plugins.Prometheus) or "hello" (samples/HelloPlugin, its log level set to warning)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
duration=${WRK_DURATION:-10s}
warmup=${WRK_WARMUP:-3s}
work=$(mktemp -d "${TMPDIR:-/tmp}/gordon-webhook-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "webhook: wrk is not installed (Debian package wrk)" >&2; exit 1; }

# 1. The daemon.
daemon_dir=${GORDON_PUBLISH_DIR:-$repo/artifacts/gordon}
if [[ ! -x "$daemon_dir/gordon" || ! -f "$daemon_dir/plugins/Gordon.Plugins.Burrow/Gordon.Plugins.Burrow.dll" ]]; then
  daemon_dir=$work/gordon
  echo "Publishing Gordon.Core and Gordon.Plugins.Burrow into $daemon_dir ..."
  dotnet publish "$repo/Gordon.Core" -c Release -o "$daemon_dir" --nologo -v quiet >/dev/null
  dotnet publish "$repo/Gordon.Plugins.Burrow" -c Release -o "$daemon_dir/plugins/Gordon.Plugins.Burrow" --nologo -v quiet >/dev/null
  cp "$repo/gordon.toml" "$daemon_dir/"
fi

# 2. The config root: shipped defaults, burrow plus one publisher.
root=$work/root
mkdir -p "$root/plugins"
cp "$daemon_dir/gordon.toml" "$root/"
publisher=${PUBLISHER:-}
if [[ -z "$publisher" ]]; then
  if [[ -f "$daemon_dir/plugins/Gordon.Plugins.Prometheus/Gordon.Plugins.Prometheus.dll" ]]; then publisher=prometheus; else publisher=hello; fi
fi
extra=""
case "$publisher" in
  prometheus)
    ;;
  hello)
    echo "Publishing samples/HelloPlugin as the publish-phase handler ..."
    dotnet publish "$repo/samples/HelloPlugin" -c Release -o "$root/plugins/HelloPlugin" --artifacts-path "$work/hello-artifacts" --nologo -v quiet >/dev/null
    # It logs every message at information: at warning it handles them without writing 25,000 lines a second.
    extra=$'[hello]\ninterval = "1h"\n\n[core.logging.levels]\nhello = "warning"\n'
    ;;
  *)
    echo "webhook: PUBLISHER must be prometheus or hello, got '$publisher'" >&2; exit 2 ;;
esac
cat > "$root/gordon-user.toml" <<TOML
[core]
plugin_dirs = ["plugins", "$daemon_dir/plugins"]
plugins = ["burrow", "$publisher"]

[core.http]
listen = "127.0.0.1:0"

$extra
TOML

wait_listening() { # log file -> prints the base URL
  local log=$1
  for _ in $(seq 1 600); do
    if grep -qo 'Listening on http://[^ ]*' "$log"; then grep -o 'Listening on http://[^ ]*' "$log" | head -1 | cut -d' ' -f3; return 0; fi
    sleep 0.1
  done
  echo "webhook: no 'Listening on' in $log:" >&2; cat "$log" >&2; return 1
}

run_wrk() { # url label -> prints the RESULT line
  wrk -t"$threads" -c"$connections" -d"$warmup" -s "$here/burrow-post.lua" "$1" >/dev/null
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/burrow-post.lua" "$1" | tee "$work/$2.wrk" >&2
  grep '^RESULT' "$work/$2.wrk"
}

field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# 3. Baseline: bare Kestrel (built here if needed).
bench_dll=$repo/benchmarks/Gordon.Benchmarks/bin/Release/net10.0/Gordon.Benchmarks.dll
[[ -f "$bench_dll" ]] || dotnet build "$repo/benchmarks/Gordon.Benchmarks" -c Release --nologo -v quiet >/dev/null
dotnet "$bench_dll" --bench=kestrel-bare --port=0 >"$work/bare.log" 2>&1 &
pids+=($!)
bare_url=$(wait_listening "$work/bare.log")
echo "== baseline: bare Kestrel at $bare_url/burrow" >&2
bare=$(run_wrk "$bare_url/burrow" bare)
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

# 4. The daemon.
"$daemon_dir/gordon" run -c "$root" >"$work/daemon.log" 2>&1 &
pids+=($!)
daemon_url=$(wait_listening "$work/daemon.log")
curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary @"$here/burrow-body.json" "$daemon_url/burrow" \
  || { echo "webhook: the daemon refused the benchmark body:" >&2; cat "$work/daemon.log" >&2; exit 1; }
echo "== gordon: burrow + $publisher at $daemon_url/burrow" >&2
gordon=$(run_wrk "$daemon_url/burrow" gordon)
handled=$(curl -fsS "$daemon_url/plugins" | tr -d '\n' | sed -n "s/.*\"name\":\"$publisher\"[^}]*\"handled\":\([0-9]*\).*/\1/p")

g_rps=$(field "$gordon" rps); b_rps=$(field "$bare" rps)
echo "gordon:   $(field "$gordon" requests) requests, p99 $(field "$gordon" p99_us) us, non-2xx $(field "$gordon" non2xx), socket errors $(field "$gordon" socket_errors), $publisher handled $handled" >&2
echo "baseline: $(field "$bare" requests) requests, p99 $(field "$bare" p99_us) us, non-2xx $(field "$bare" non2xx), socket errors $(field "$bare" socket_errors)" >&2
awk -v g="$g_rps" -v b="$b_rps" 'BEGIN { printf "webhook: %.0f req/s, baseline %.0f req/s, ratio %.2f\n", g, b, g / b }'
