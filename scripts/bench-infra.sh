#!/usr/bin/env bash
# `npm run bench:infra`: figures for the infra test suite and the offline plan, each measured side by side
# with what it is compared against, in one invocation, runs interleaved so that load on the machine falls
# on all of them alike; median of RUNS runs (default 5) with the range.
# - `npm run test:infra` here against the same command at BASE (default: the last commit of the former
#   worker-thread harness), checked out into a temporary worktree with its own `npm ci`, run with the
#   Node its own npm scripts find (the machine's) and, for a like-for-like figure, with this checkout's
#   pinned Node. CPU time (user + system, child processes included) varies far less than wall time on a
#   shared machine; the issue's target is CPU at most 1.15 x BASE's.
# - `npm run plan` against a CDK synth of the equivalent stack (bench/cdk/app.js: an
#   ApplicationLoadBalancedEc2Service of 5 bridge-mode tasks on an ASG capacity provider over 2 AZs, run by
#   Node directly, no CDK CLI, no AWS access; its packages install from bench/cdk's own lockfile).
# Needs the npm registry for the two installs; prints figures, asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
base=${BASE:-18582bd}
here_node="$PWD/node_modules/.bin/node"
# The PATH without any node_modules/.bin (npm run puts this checkout's, with its pinned node, first).
machine_path=$(tr ':' '\n' <<<"$PATH" | grep -v '/node_modules/\.bin$' | paste -sd: -)

if [ ! -d bench/cdk/node_modules/aws-cdk-lib ]; then
  echo "installing the CDK baseline (npm ci --prefix bench/cdk)..." >&2
  npm ci --prefix bench/cdk --no-audit --no-fund >&2
fi
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
echo "installing $base in a temporary worktree (npm ci)..." >&2
(cd "$work/base" && PATH="$machine_path" npm ci --no-audit --no-fund >/dev/null 2>&1)

# "wall CPU" milliseconds of one run of a command; a failing run fails the bench, showing its output's end,
# unless TOLERATE is set (BASE's suite has a real-time test that a loaded machine can fail: counted, shown).
wall_and_cpu() {
  local TIMEFORMAT='%R %U %S' times output
  output=$(mktemp)
  times=$( { time "$@" >"$output" 2>&1; } 2>&1 ) || {
    if [ -n "${TOLERATE:-}" ]; then
      echo "bench: a run failed (counted, measured all the same): $*" >&2; grep -E '^not ok|✖' "$output" | head -n 3 >&2
      times=$(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+$' <<<"$times" | tail -n 1)
    else
      echo "bench: failed: $*" >&2; tail -n 40 "$output" >&2; rm -f "$output"; exit 1
    fi
  }
  rm -f "$output"
  awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$times"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
range() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f-%.2f s", a[1] / 1000, a[NR] / 1000 }'; }
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f x", a / b }'; }

# The plan must be the reviewed one before its speed means anything.
npm run -s plan | cmp -s - tests/snapshots/dev.plan.txt || { echo "bench: npm run -s plan differs from tests/snapshots/dev.plan.txt" >&2; exit 1; }
# One unmeasured run each: tsx's transform cache here, the former harness's bundles at BASE.
wall_and_cpu npm run -s test:infra >/dev/null
(cd "$work/base" && PATH="$machine_path" TOLERATE=1 wall_and_cpu npm run -s test:infra >/dev/null)

# The suite here restricted to the test files BASE also has: the same tests, moved or not, without the
# ones added since, for a like-for-like figure.
same_files=()
for file in tests/*.test.ts; do [ -f "$work/base/$file" ] && same_files+=("$file"); done

declare -A wall cpu
record() { local m; m=$(wall_and_cpu "${@:2}") || exit 1; wall[$1]+="${m% *} "; cpu[$1]+="${m#* } "; }
for _ in $(seq "$runs"); do
  record here npm run -s test:infra
  record here_same node --max-semi-space-size=64 --liftoff-only --import tsx --test --test-isolation=none "${same_files[@]}"
  TOLERATE=1 record base env PATH="$machine_path" bash -c "cd '$work/base' && npm run -s test:infra"
  TOLERATE=1 record base_pinned bash -c "cd '$work/base' && PATH='$(dirname "$here_node")':\$PATH npm run -s test:infra"
  record cdk node bench/cdk/app.js "$work/cdk.out"
  record plan npm run -s plan
done

line() { # label, key, compared-to key
  local w c; read -ra w <<<"${wall[$2]}"; read -ra c <<<"${cpu[$2]}"
  printf '  %-58s CPU %s (%s), wall %s (%s)' "$1" "$(seconds "$(median "${c[@]}")")" "$(range "${c[@]}")" "$(seconds "$(median "${w[@]}")")" "$(range "${w[@]}")"
  if [ -n "${3:-}" ]; then
    local b; read -ra b <<<"${cpu[$3]}"
    printf ' = %s its CPU' "$(ratio "$(median "${c[@]}")" "$(median "${b[@]}")")"
  fi
  echo
}
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "bench:infra $(date -u +%Y-%m-%dT%H:%MZ), ${cpu_model:-unknown CPU}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median of $runs interleaved runs (min-max):"
line "BASE $base test:infra, machine's node $(PATH="$machine_path" node --version)" base
line "BASE $base test:infra, pinned node $("$here_node" --version)" base_pinned
line "test:infra here, pinned node $("$here_node" --version)" here base
line "  (against BASE on the same pinned node)" here base_pinned
line "  only the test files BASE has (${#same_files[@]} of them)" here_same base
line "CDK synth (aws-cdk-lib $(node -p 'require("./bench/cdk/node_modules/aws-cdk-lib/package.json").version'))" cdk
w_plan=($(echo "${wall[plan]}")); w_cdk=($(echo "${wall[cdk]}"))
printf '  %-58s wall %s (%s) = %s CDK synth wall\n' "npm run plan" "$(seconds "$(median "${w_plan[@]}")")" "$(range "${w_plan[@]}")" "$(ratio "$(median "${w_plan[@]}")" "$(median "${w_cdk[@]}")")"
