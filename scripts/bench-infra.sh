#!/usr/bin/env bash
# Prints how long the offline plan and the infra unit tests take, wall time from process start,
# median of RUNS runs (default 5). Targets on a 2-core machine: plan < 3 s, infra tests < 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}

median_seconds() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f s (min %.2f, max %.2f)", a[int((NR + 1) / 2)] / 1000, a[1] / 1000, a[NR] / 1000 }'
}

echo "cores: $(nproc), node $(node --version), $runs runs each"
echo "plan (npm run plan, dev stack on mocks): $(median_seconds npx tsx scripts/plan.ts)"
echo "infra unit tests (npm run test:infra):   $(median_seconds npm run -s test:infra)"
