#!/usr/bin/env bash
# Sets up the AWS end-to-end suite (test/moto/): moto as AWS, and a real registry standing in for
# ECR's registry host. Idempotent; needs root (a hosts entry, Docker's certs.d, port 443).
#   - moto (python3 -m moto.server, through test/moto/launcher.py) on 127.0.0.1:5055;
#   - the CNCF registry with htpasswd auth (user AWS, moto's token) on 127.0.0.1:5001;
#   - test/moto/ecr-relay.mjs: TLS for <account>.dkr.ecr.<region>.amazonaws.com:443 in front of it,
#     registering each pushed manifest in moto's ECR (PutImage);
#   - 127.0.0.1 <that host> in /etc/hosts, and Docker trusting the run's CA (certs.d).
# Writes $STATE/ready (the tests read the endpoints from it). Run scripts/dev-setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${LOGSHIP_MOTO_STATE:-/var/tmp/logship-moto}"
MOTO_PORT=5055
REGISTRY_PORT=5001
ACCOUNT=123456789012          # moto's default account
REGION=us-east-1
HOST="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"
PASSWORD="$ACCOUNT-auth-token" # what moto's GetAuthorizationToken hands out (moto/ecr/responses.py)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "moto-setup: needs root (hosts entry, /etc/docker/certs.d, port 443)" >&2; exit 1; }
  SUDO=sudo
fi

python3 -c 'import moto.server, flask, flask_cors' 2>/dev/null || {
  echo "moto-setup: python3 cannot import moto.server (with flask and flask-cors): install moto[server] 5.2.1 for $(command -v python3)" >&2
  exit 1
}
command -v htpasswd >/dev/null || {
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null
}
command -v openssl >/dev/null || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
[ -d node_modules/@aws-sdk/client-ecr ] || { echo "moto-setup: run npm ci first (the relay uses @aws-sdk/client-ecr)" >&2; exit 1; }

$SUDO mkdir -p "$STATE/registry"
$SUDO chmod 0755 "$STATE"
up() { curl -fsS -o /dev/null "$@" 2>/dev/null; }

# A CA and a certificate for the ECR host, made for this machine.
if [ ! -f "$STATE/ca.crt" ]; then
  $SUDO openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=logship test CA" \
    -keyout "$STATE/ca.key" -out "$STATE/ca.crt" 2>/dev/null
  $SUDO openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$STATE/ecr.key" -out "$STATE/ecr.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s\n' "$HOST" | $SUDO tee "$STATE/ecr.ext" >/dev/null
  $SUDO openssl x509 -req -in "$STATE/ecr.csr" -CA "$STATE/ca.crt" -CAkey "$STATE/ca.key" -CAcreateserial \
    -days 30 -extfile "$STATE/ecr.ext" -out "$STATE/ecr.crt" 2>/dev/null
fi
$SUDO mkdir -p "/etc/docker/certs.d/$HOST"
$SUDO cp "$STATE/ca.crt" "/etc/docker/certs.d/$HOST/ca.crt"
grep -q " $HOST\$" /etc/hosts || echo "127.0.0.1 $HOST" | $SUDO tee -a /etc/hosts >/dev/null

if ! up "http://127.0.0.1:$MOTO_PORT/moto-api/"; then
  echo "moto-setup: starting moto on 127.0.0.1:$MOTO_PORT"
  # MOTO_LAMBDA_STUB_ECR=false: CreateFunction looks the image up in moto's ECR, as Lambda does.
  MOTO_LAMBDA_STUB_ECR=false MOTO_IAM_LOAD_MANAGED_POLICIES=true \
    nohup python3 test/moto/launcher.py 127.0.0.1 "$MOTO_PORT" >"$STATE/moto.log" 2>&1 &
  for _ in $(seq 1 60); do up "http://127.0.0.1:$MOTO_PORT/moto-api/" && break; sleep 0.5; done
  up "http://127.0.0.1:$MOTO_PORT/moto-api/" || { echo "moto-setup: moto did not start, see $STATE/moto.log" >&2; tail -5 "$STATE/moto.log" >&2; exit 1; }
fi

if ! curl -s -o /dev/null "http://127.0.0.1:$REGISTRY_PORT/v2/" 2>/dev/null; then
  echo "moto-setup: starting the ECR stand-in registry on 127.0.0.1:$REGISTRY_PORT"
  htpasswd -Bbn AWS "$PASSWORD" | $SUDO tee "$STATE/htpasswd" >/dev/null
  $SUDO tee "$STATE/registry.yml" >/dev/null <<YAML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $STATE/registry }
  delete: { enabled: true }
http:
  addr: 127.0.0.1:$REGISTRY_PORT
  relativeurls: true
auth:
  htpasswd: { realm: ecr-standin, path: $STATE/htpasswd }
YAML
  nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
  for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$REGISTRY_PORT/v2/" && break; sleep 0.5; done
fi

if ! curl -s -o /dev/null --cacert "$STATE/ca.crt" "https://$HOST/v2/" 2>/dev/null; then
  echo "moto-setup: starting the ECR relay on https://$HOST"
  RELAY_KEY="$STATE/ecr.key" RELAY_CERT="$STATE/ecr.crt" RELAY_UPSTREAM="http://127.0.0.1:$REGISTRY_PORT" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION="$REGION" \
    nohup node test/moto/ecr-relay.mjs >"$STATE/relay.log" 2>&1 &
  for _ in $(seq 1 30); do curl -s -o /dev/null --cacert "$STATE/ca.crt" "https://$HOST/v2/" && break; sleep 0.5; done
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$STATE/ca.crt" "https://$HOST/v2/" || true)
[ "$code" = 401 ] || { echo "moto-setup: https://$HOST/v2/ answered '$code', not 401; see $STATE/relay.log and $STATE/registry.log" >&2; exit 1; }

$SUDO tee "$STATE/ready" >/dev/null <<JSON
{"endpoint": "http://127.0.0.1:$MOTO_PORT", "region": "$REGION", "account": "$ACCOUNT", "registryHost": "$HOST", "ca": "$STATE/ca.crt", "password": "$PASSWORD"}
JSON
echo "moto-setup: ready (moto http://127.0.0.1:$MOTO_PORT, ECR registry https://$HOST)"
