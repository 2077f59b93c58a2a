#!/bin/bash
# Compares two benchmark binaries (or one binary under two environments) on a shared, noisy
# machine: runs them alternately N times (each run: median of 3 repetitions) and prints, per
# command, the median and the sorted list of its runs' ns_per_doc.
#
#   bench/ab.sh N FILTER "COMMAND_A" "COMMAND_B"
#   bench/ab.sh 5 'BM_EvalHardening$' /tmp/bench_eval_before build-bench/bench/bench_eval
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: bench/ab.sh N FILTER COMMAND_A COMMAND_B" >&2
  exit 2
fi
N=$1 FILTER=$2 A=$3 B=$4
for _ in $(seq "$N"); do
  for c in A B; do
    cmd=${!c}
    value=$(eval "$cmd --benchmark_filter='$FILTER' --benchmark_repetitions=3 \
                  --benchmark_report_aggregates_only=true" 2>&1 |
            grep median | sed -E 's/.*ns_per_doc=([0-9.]+)(k?)s.*/\1 \2/' |
            awk '{print ($2 == "k") ? $1 * 1000 : $1}')
    echo "$c $value"
  done
done | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    name, value = line.split()
    runs.setdefault(name, []).append(float(value))
for name in sorted(runs):
    print(name, "median ns_per_doc", round(statistics.median(runs[name])), sorted(round(v) for v in runs[name]))
'
