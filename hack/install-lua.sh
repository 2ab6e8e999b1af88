#!/usr/bin/env bash
# Installs Debian's lua5.1 interpreter, which ArgoCdHealthTest runs the Argo CD health checks in
# (deploy/argocd/). Argo CD runs them in gopher-lua, a Lua 5.1, so 5.1 is the version to test
# with: a script using a newer feature (goto, integer division) would pass under a newer Lua and
# break inside Argo CD. Does nothing when lua5.1 is already on PATH. Needs root or sudo.
set -euo pipefail

if command -v lua5.1 >/dev/null 2>&1; then
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

echo "install-lua: installing lua5.1" >&2
"${sudo_cmd[@]}" apt-get update -qq >&2
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lua5.1 >&2
command -v lua5.1 >/dev/null 2>&1 || { echo "install-lua: lua5.1 still not on PATH" >&2; exit 1; }
