#!/usr/bin/env bash
# Installs what the demo and the tests need on a Debian machine (JDK 17, Maven, and the Ceph
# packages for RadosGW), skipping whatever is already there. Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

missing=()
if ! command -v javac >/dev/null 2>&1 || ! javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])'; then
  missing+=(openjdk-17-jdk-headless)
fi
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# kubectl renders deploy/ (kubectl kustomize) in the manifest tests. Debian's own package is
# kubectl 1.20, whose kustomize is too old for deploy/: prefer a current kubectl when you can.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "prereqs: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The Ceph packages (ceph-mon, ceph-osd, radosgw, ceph-common, uuid-runtime).
deploy/rgw-lab.sh install
