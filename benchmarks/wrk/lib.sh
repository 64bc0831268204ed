# Shared by the wrk benchmarks (benchmarks/wrk/webhook.sh, benchmarks/Gordon.Benchmarks/Spool/spool.sh): settings,
# the scratch folder and its cleanup, and the run, parse and summary helpers. Source it after setting
#   bench_name  the prefix of messages and of the final line ("webhook", "spool")
# Settings (environment): WRK_THREADS=2 WRK_CONNECTIONS=16 WRK_DURATION=10s WRK_WARMUP=3s

wrkdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
duration=${WRK_DURATION:-10s}
warmup=${WRK_WARMUP:-3s}
work=$(mktemp -d "${TMPDIR:-/tmp}/gordon-$bench_name-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "$bench_name: wrk is not installed (Debian package wrk)" >&2; exit 1; }

wait_listening() { # log file -> prints the base URL
  local log=$1
  for _ in $(seq 1 600); do
    if grep -qo 'Listening on http://[^ ]*' "$log"; then grep -o 'Listening on http://[^ ]*' "$log" | head -1 | cut -d' ' -f3; return 0; fi
    sleep 0.1
  done
  echo "$bench_name: no 'Listening on' in $log:" >&2; cat "$log" >&2; return 1
}

check_body() { # url name log -> fails unless the server takes the benchmark body
  curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary @"$wrkdir/burrow-body.json" "$1" \
    || { echo "$bench_name: the $2 server refused the benchmark body:" >&2; cat "$3" >&2; exit 1; }
}

warm_up() { # url -> JIT tiering and connection pools, results discarded
  wrk -t"$threads" -c"$connections" -d"$warmup" -s "$wrkdir/burrow-post.lua" "$1" >/dev/null
}

run_wrk() { # url label -> prints the RESULT line (wrk's own report goes to stderr)
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$wrkdir/burrow-post.lua" "$1" | tee "$work/$2.wrk" >&2
  grep '^RESULT' "$work/$2.wrk"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

per_round() { sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1" | paste -sd' '; }

summary() { # results file -> "rps p99 non2xx socket_errors" (medians of rps and p99, sums of errors)
  local rps p99 bad sock
  rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1" | median)
  p99=$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' "$1" | median)
  bad=$(sed -n 's/.* non2xx=\([0-9]*\).*/\1/p' "$1" | paste -sd+ | bc)
  sock=$(sed -n 's/.* socket_errors=\([0-9]*\).*/\1/p' "$1" | paste -sd+ | bc)
  echo "$rps $p99 $bad $sock"
}

paired_ratio() { # measured-results baseline-results -> the median of the rounds' ratios (round i of one over round i of the other)
  paste <(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1") <(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$2") | awk '{ print $1 / $2 }' | median
}

final_line() { # measured baseline [ratio] -> "<bench_name>: N req/s, baseline M req/s, ratio r" (r: measured / baseline unless given)
  awk -v n="$bench_name" -v g="$1" -v b="$2" -v r="${3:-}" 'BEGIN { printf "%s: %.0f req/s, baseline %.0f req/s, ratio %.2f\n", n, g, b, r == "" ? g / b : r }'
}
