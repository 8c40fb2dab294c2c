#!/usr/bin/env bash
# Prepares a Debian machine for logship's demo and integration tests:
# installs Docker + the CNCF registry + busybox-static if missing, then starts
# dockerd and a loopback registry (127.0.0.1:5000) if they are not running.
# Idempotent: safe to run again. Needs root (or sudo) for apt and dockerd.
set -euo pipefail

# Root is needed for apt and dockerd; use sudo when we are not root and it exists.
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "dev-setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A dockerd still shutting down (its containers take up to 10 s to stop) holds the pid file and socket:
# let it finish or come up before starting another.
for _ in $(seq 1 30); do
  pgrep -x dockerd >/dev/null && ! docker info >/dev/null 2>&1 || break
  sleep 1
done
if ! docker info >/dev/null 2>&1; then
  echo "dev-setup: starting dockerd"
  $SUDO nohup dockerd >/tmp/logship-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dev-setup: dockerd did not start, see /tmp/logship-dockerd.log" >&2; exit 1; }
fi

if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  echo "dev-setup: starting registry on 127.0.0.1:5000"
  here="$(cd "$(dirname "$0")" && pwd)"
  nohup docker-registry serve "$here/registry.yml" >/tmp/logship-registry.log 2>&1 &
  for _ in $(seq 1 30); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fsS http://127.0.0.1:5000/v2/ >/dev/null || { echo "dev-setup: registry did not start, see /tmp/logship-registry.log" >&2; exit 1; }
fi

# No image can be pulled on an offline machine, so the demo and tests use a base
# image made here: busybox-static is one binary that is a shell and an HTTP server.
if ! docker image inspect logship-busybox:local >/dev/null 2>&1; then
  echo "dev-setup: making base image logship-busybox:local from /bin/busybox"
  root="$(mktemp -d)"
  mkdir -p "$root/bin" "$root/tmp" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for app in sh httpd cat ls echo sleep wget; do ln -s busybox "$root/bin/$app"; done
  tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' - logship-busybox:local >/dev/null
  rm -rf "$root"
fi
echo "dev-setup: ready (docker $(docker version -f '{{.Server.Version}}'), registry 127.0.0.1:5000)"
