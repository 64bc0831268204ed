#!/usr/bin/env bash
# The webhook benchmark (issue 6): wrk POSTs an 8-partition Karrot envelope to the published daemon's /burrow
# (burrow plugin + one publish-phase handler), then the same request to a bare Kestrel endpoint that only reads
# the body and answers 200 (Gordon.Benchmarks --bench=kestrel-bare), in the same run, and prints:
#   webhook: N req/s, baseline M req/s, ratio r
# Both servers run side by side (the idle one uses no CPU) and the wrk runs alternate, baseline then gordon,
# WEBHOOK_ROUNDS times; the figures are the medians. On a machine shared with other work this keeps a burst of
# load from landing on one side only.
# Settings (environment): WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=10s WRK_WARMUP=3s (lib.sh), WEBHOOK_ROUNDS=3
#   GORDON_PUBLISH_DIR  a published daemon with plugins/Gordon.Plugins.Burrow (default: artifacts/gordon if it has
#                       one, else Gordon.Core and the burrow plugin are published into a temp folder)
#   WEBHOOK_SPOOL       "off" turns the durable spool off (default: as shipped, on)
#   PUBLISHER           the publish-phase handler: "prometheus" (default when the published daemon has
#                       plugins/Gordon.Plugins.Prometheus) or "hello" (samples/HelloPlugin, its log level set to warning)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${WEBHOOK_ROUNDS:-3}
bench_name=webhook
# shellcheck source=lib.sh
source "$here/lib.sh"

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
# WEBHOOK_SPOOL=off measures the webhook without the durable spool (the shipped config has it on).
if [[ "${WEBHOOK_SPOOL:-on}" == "off" ]]; then extra+=$'\n[core.spool]\nenabled = false\n'; fi
cat > "$root/gordon-user.toml" <<TOML
[core]
plugin_dirs = ["plugins", "$daemon_dir/plugins"]
plugins = ["burrow", "$publisher"]

[core.http]
listen = "127.0.0.1:0"

$extra
TOML

# 3. Baseline: bare Kestrel (built here if needed).
bench_dll=$repo/benchmarks/Gordon.Benchmarks/bin/Release/net10.0/Gordon.Benchmarks.dll
[[ -f "$bench_dll" ]] || dotnet build "$repo/benchmarks/Gordon.Benchmarks" -c Release --nologo -v quiet >/dev/null
dotnet "$bench_dll" --bench=kestrel-bare --port=0 >"$work/bare.log" 2>&1 &
pids+=($!)
bare_url=$(wait_listening "$work/bare.log")/burrow

# 4. The daemon.
"$daemon_dir/gordon" run -c "$root" >"$work/daemon.log" 2>&1 &
pids+=($!)
daemon_url=$(wait_listening "$work/daemon.log")
check_body "$daemon_url/burrow" daemon "$work/daemon.log"

# 5. Warm up both (JIT tiering, connection pools), then alternate.
warm_up "$bare_url"
warm_up "$daemon_url/burrow"
: >"$work/bare.results"
: >"$work/gordon.results"
for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds: baseline, bare Kestrel at $bare_url" >&2
  run_wrk "$bare_url" bare >>"$work/bare.results"
  echo "== round $round/$rounds: gordon, burrow + $publisher at $daemon_url/burrow" >&2
  run_wrk "$daemon_url/burrow" gordon >>"$work/gordon.results"
done
handled=$(curl -fsS "$daemon_url/plugins" | tr -d '\n' | sed -n "s/.*\"name\":\"$publisher\"[^}]*\"handled\":\([0-9]*\).*/\1/p")

read -r g_rps g_p99 g_bad g_sock < <(summary "$work/gordon.results")
read -r b_rps b_p99 b_bad b_sock < <(summary "$work/bare.results")
echo "gordon   per round: $(per_round "$work/gordon.results") req/s" >&2
echo "baseline per round: $(per_round "$work/bare.results") req/s" >&2
echo "gordon:   median $g_rps req/s, median p99 $g_p99 us, non-2xx $g_bad, socket errors $g_sock, $publisher handled $handled" >&2
echo "baseline: median $b_rps req/s, median p99 $b_p99 us, non-2xx $b_bad, socket errors $b_sock" >&2
final_line "$g_rps" "$b_rps"
