#!/usr/bin/env bash
# `npm run bench:infra [-- --cit]`: wall time of the offline plan and of the infra unit tests (and the tests'
# CPU time: it varies far less than wall time on a shared machine, and wall time on 2 idle cores is not much
# under half of it), against a CDK synth of the equivalent stack (bench/cdk/app.js: an
# ApplicationLoadBalancedEc2Service of 5 bridge-mode tasks on an ASG capacity provider over 2 AZs) measured
# in the same invocation, runs interleaved so load on the machine falls on all of them alike. Median of RUNS
# runs (default 5), as a ratio to the CDK synth.
# Targets (issue 14): plan <= 0.3 x CDK synth; test:infra < 5 s on 2 cores; npm cit (with --cit: on a fresh
# copy of the working tree, as a clone would have it, one run) < 45 s.
#
# The CDK synth is the app run by Node directly (`node bench/cdk/app.js`), no CDK CLI around it: the
# fastest a CDK synth gets. It needs no AWS credentials, network or context lookups; its packages install
# here from bench/cdk's own lockfile the first time (`npm ci --prefix bench/cdk`).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
cit=false
[ "${1:-}" = "--cit" ] && cit=true

if [ ! -d bench/cdk/node_modules/aws-cdk-lib ]; then
  echo "installing the CDK baseline (npm ci --prefix bench/cdk)..." >&2
  npm ci --prefix bench/cdk --no-audit --no-fund >&2
fi
npm run -s build:offline
cdk_out=$(mktemp -d)
trap 'rm -rf "$cdk_out"' EXIT

# "wall CPU" milliseconds of one run of a command (CPU: user and system, its child processes included), its
# output shown only if it fails, which fails the bench.
wall_and_cpu() {
  local TIMEFORMAT='%R %U %S' times output
  output=$(mktemp)
  # A failing step fails the bench, showing the end of what it printed.
  times=$( { time "$@" >"$output" 2>&1; } 2>&1 ) || { echo "bench: failed: $*" >&2; tail -n 60 "$output" >&2; rm -f "$output"; exit 1; }
  rm -f "$output"
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$times"
}

# Wall milliseconds of one run of a command.
millis() { local measured; measured=$(wall_and_cpu "$@") || exit 1; echo "${measured% *}"; }

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
range() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f-%.2f s", a[1] / 1000, a[NR] / 1000 }'; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f x", a / b }'; }

# The plan must be the reviewed one before its speed means anything.
npm run -s plan | cmp -s - tests/snapshots/dev.plan.txt || { echo "bench: npm run -s plan differs from tests/snapshots/dev.plan.txt" >&2; exit 1; }

cdk=() plan=() tests=() tests_cpu=()
for _ in $(seq "$runs"); do
  cdk+=("$(millis node bench/cdk/app.js "$cdk_out")")
  plan+=("$(millis npm run -s plan)")
  measured=$(wall_and_cpu npm run -s test:infra)
  tests+=("${measured% *}")
  tests_cpu+=("${measured#* }")
done
cdk_ms=$(median "${cdk[@]}")
plan_ms=$(median "${plan[@]}")
tests_ms=$(median "${tests[@]}")

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "bench:infra $(date -u +%Y-%m-%dT%H:%MZ), ${cpu:-unknown CPU}, $(nproc) cores, node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $runs interleaved runs (min-max):"
printf '  %-46s %s (%s)\n' "CDK synth (node bench/cdk/app.js, aws-cdk-lib $(node -p 'require("./bench/cdk/node_modules/aws-cdk-lib/package.json").version'))" "$(seconds "$cdk_ms")" "$(range "${cdk[@]}")"
printf '  %-46s %s (%s) = %s CDK synth  [target <= 0.30 x]\n' "npm run plan" "$(seconds "$plan_ms")" "$(range "${plan[@]}")" "$(ratio "$plan_ms" "$cdk_ms")"
printf '  %-46s %s (%s) = %s CDK synth  [target < 5 s]\n' "npm run test:infra" "$(seconds "$tests_ms")" "$(range "${tests[@]}")" "$(ratio "$tests_ms" "$cdk_ms")"
printf '  %-46s %s (%s)\n' "  its CPU time (user + system, all processes)" "$(seconds "$(median "${tests_cpu[@]}")")" "$(range "${tests_cpu[@]}")"

if $cit; then
  # A fresh copy of the tracked and new files, as a clone of the next commit would have them; then what
  # `npm cit` runs there (npm ci, then npm test's steps), each step timed, one run.
  copy=$(mktemp -d)
  trap 'rm -rf "$cdk_out" "$copy"' EXIT
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy" 2>/dev/null || true
  steps=("npm ci --no-audit --no-fund" "npm run -s typecheck" "npm run -s lint" "npm run -s test:infra" "npm run -s test:app")
  total=0 infra=0 detail=()
  for step in "${steps[@]}"; do
    # shellcheck disable=SC2086
    ms=$(cd "$copy" && millis $step)
    total=$((total + ms))
    [ "$step" = "npm run -s test:app" ] || infra=$((infra + ms))
    detail+=("${step#npm run -s }: $(seconds "$ms")")
  done
  printf '  %-46s %s (1 run) = %s CDK synth  [target < 45 s]\n' "npm cit (fresh copy: npm ci, then npm test)" "$(seconds "$total")" "$(ratio "$total" "$cdk_ms")"
  printf '  %-46s %s\n' "  of which" "$(IFS=';'; echo "${detail[*]}" | sed 's/;/, /g')"
  printf '  %-46s %s\n' "  without test:app (the .NET tests)" "$(seconds "$infra")"
fi
