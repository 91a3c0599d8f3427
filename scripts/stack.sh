#!/usr/bin/env bash
# Runs `pulumi up | preview | destroy` on a stack (default dev) with no Pulumi Cloud account: state goes
# to ./.pulumi-state unless PULUMI_BACKEND_URL names another backend (s3://bucket, azblob://..., https://api.pulumi.com).
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-}
case "$command" in
  up|preview|destroy) ;;
  *) echo "usage: scripts/stack.sh up|preview|destroy" >&2; exit 2 ;;
esac
stack=${PULUMI_STACK:-dev}

[ -d node_modules ] || npm ci --no-audit --no-fund
# Every missing prerequisite at once (Pulumi CLI, Docker daemon, AWS credentials, region), before anything runs.
npx tsx scripts/preflight.ts "$stack"

if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p .pulumi-state
  export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
fi
# The passphrase encrypts the stack's secrets; an empty one is allowed for a throwaway dev stack.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
pulumi stack select "$stack" --create --non-interactive

# --refresh: after a deployment rolled itself back, state still names the new task definition; reading
# the real service first makes this run put it back instead of reporting no changes.
case "$command" in
  up)
    # ECS ignores a service's deployment alarms for a deployment that starts while one is in ALARM: warn (never
    # stop) before the up. A stack never deployed has no outputs and gets no warning.
    npx tsx scripts/alarmsBefore.ts --stack "$stack" || true
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    pulumi up --stack "$stack" --refresh --yes --non-interactive
    # A launch template change starts an instance refresh that the up does not wait for: wait for it (and
    # fail if it fails) before the smoke check, which would otherwise pass while the hosts still rotate.
    npx tsx scripts/waitForInstanceRefresh.ts --stack "$stack" --since "$started"
    npx tsx scripts/smoke.ts --stack "$stack"
    echo "The services answer at: $(pulumi stack output url --stack "$stack")"
    ;;
  preview) pulumi preview --stack "$stack" --refresh --diff --non-interactive ;;
  destroy)
    pulumi destroy --stack "$stack" --refresh --yes --non-interactive
    # The task definitions have skipDestroy, so the destroy leaves their revisions ACTIVE: deregister and delete them.
    npx tsx scripts/cleanupTaskDefinitions.ts "$stack"
    ;;
esac
