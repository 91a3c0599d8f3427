#!/usr/bin/env bash
# Runs `pulumi up | preview | destroy` on the dev stack with no Pulumi Cloud account: state goes to
# ./.pulumi-state unless PULUMI_BACKEND_URL names another backend (s3://bucket, azblob://…, https://api.pulumi.com).
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-}
case "$command" in
  up|preview|destroy) ;;
  *) echo "usage: scripts/stack.sh up|preview|destroy" >&2; exit 2 ;;
esac
for tool in pulumi docker node; do
  command -v "$tool" >/dev/null || { echo "scripts/stack.sh: '$tool' is not on PATH (see README: Prerequisites)" >&2; exit 2; }
done

if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p .pulumi-state
  export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
fi
# The passphrase encrypts the stack's secrets; an empty one is allowed for a throwaway dev stack.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
stack=${PULUMI_STACK:-dev}

[ -d node_modules ] || npm ci --no-audit --no-fund
pulumi stack select "$stack" --create --non-interactive

case "$command" in
  up)
    pulumi up --stack "$stack" --yes --non-interactive
    url=$(pulumi stack output url --stack "$stack")
    npx tsx scripts/smoke.ts "$url"
    echo "The service answers at: $url"
    ;;
  preview) pulumi preview --stack "$stack" --diff --non-interactive ;;
  destroy) pulumi destroy --stack "$stack" --yes --non-interactive ;;
esac
