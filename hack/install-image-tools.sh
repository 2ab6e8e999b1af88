#!/usr/bin/env bash
# Installs Debian's tools for building and running the operator's container image without a
# Docker daemon: mmdebstrap (the base root filesystem), podman with runc (hack/test-image.sh runs
# the image; crun fails on this kind of machine's cgroup layout) and skopeo (copies image.tar to a
# registry, as the release workflow does). Does nothing when all of them are on PATH. Needs root
# or sudo.
set -euo pipefail

declare -A package_of=([mmdebstrap]=mmdebstrap [podman]=podman [runc]=runc [skopeo]=skopeo)
missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
# mmdebstrap checks Debian's signatures with this keyring (on Debian it is there already; on Ubuntu,
# e.g. the release workflow's runner, it is not).
[[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

echo "install-image-tools: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq >&2
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-image-tools: $tool still not on PATH" >&2; exit 1; }
done
