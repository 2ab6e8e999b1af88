#!/usr/bin/env bash
# All tests: unit, the real reconciler against the fabric8 CRUD mock API server, and
# integration tests against a real Ceph RadosGW that this run starts (and stops) itself.
# Installs what is missing first. Extra arguments go to Maven (e.g. -Dtest=RgwIntegrationTest).
# RGW test ports: BPO_TEST_RGW_PORT (17480), BPO_TEST_MON_PORT (13300), BPO_TEST_OSD_PORT_MIN (16800).
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/prereqs.sh
exec mvn -B -ntp verify "$@"
