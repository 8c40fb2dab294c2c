#!/usr/bin/env bash
# The main job with no AWS account: build the example app, push it to the loopback registry,
# run it on this machine with a smoke test — then do it all again to show that nothing changes.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
logship() { node "$here/bin/logship.js" "$@"; }
cd "$here/examples/hello"

echo "== logship ship local (build → deploy local → smoke test)"
logship ship local
echo "== logship push (to localhost:5000, the registry scripts/dev-setup.sh started)"
logship push
echo "== again: every step is idempotent"
logship ship local
logship push
echo "== the page it serves:"
curl -fsS http://127.0.0.1:8000/ | sed -n 3p
echo "== what an AWS deploy would do (dry run, no account needed):"
logship push --dry-run --config logship.aws.yaml
echo "Done. Remove the container with: (cd examples/hello && node ../../bin/logship.js destroy local)"
