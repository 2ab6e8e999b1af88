#!/usr/bin/env bash
# The main job on one machine: starts a local Ceph RadosGW with an MFA device and an in-process
# Kubernetes API (fabric8 CRUD mock), applies examples/, runs the operator, prints the resources'
# status as they converge, then changes a bucket behind the operator's back and shows the drift
# put back. Installs what is missing first.
#
#   deploy/demo.sh                    # keeps running until Ctrl-C
#   deploy/demo.sh --exit-when-done   # exits 0 when everything converged and drift was put back
#
# Other options: --rgw-port (7480) --mon-port (3300) --osd-port-min (6800) --timeout-seconds (240).
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/prereqs.sh
mvn -B -ntp -q test-compile
exec mvn -B -ntp -q -pl operator exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=io.bucketprotection.operator.demo.LocalDemo \
  -Dexec.args="--examples $PWD/examples --lab-dir $PWD/.lab/demo $*"
