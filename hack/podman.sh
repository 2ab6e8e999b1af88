#!/usr/bin/env bash
# Runs podman with the flags this kind of machine needs and the repository's own, isolated
# storage under .lab/podman/ (delete that directory to clean up everything podman kept):
# the vfs storage driver, cgroupfs, a file events backend and runc (crun fails on the hybrid
# cgroup layout). Arguments go to podman, e.g.
#   hack/podman.sh load -i operator/target/image.tar
#   hack/podman.sh run --rm --read-only IMAGE check --help
# PODMAN_LAB_DIR (.lab/podman) moves the storage.
set -euo pipefail
lab=${PODMAN_LAB_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.lab/podman}
mkdir -p "$lab/root" "$lab/run" "$lab/tmp"
exec podman --root "$lab/root" --runroot "$lab/run" --tmpdir "$lab/tmp" --storage-driver vfs \
  --cgroup-manager=cgroupfs --events-backend=file --runtime runc "$@"
