#!/usr/bin/env bash
# The main job on one machine: starts a local Ceph RadosGW with an MFA device and an in-process
# Kubernetes API (fabric8 CRUD mock), applies examples/, runs the operator, prints the resources'
# status as they converge, then changes a bucket behind the operator's back and shows the drift
# put back. Installs what is missing first.
#
#   hack/demo.sh                    # keeps running until Ctrl-C
#   hack/demo.sh --exit-when-done   # exits 0 when everything converged and drift was put back
#
# Other options: --rgw-port (7480) --mon-port (3300) --osd-port-min (6800) --timeout-seconds (240)
# --lab-dir (.lab/demo).
#
# The output is meant for a person: the demo's own lines, the operator's warnings and errors (its
# log goes through operator/src/test/resources/logback-demo.xml) and its audit trail, one
# readable [audit] line per write to S3. hack/test.sh runs this and fails on any Logback
# status, ERROR, stack trace or escape sequence in it.
set -euo pipefail
cd "$(dirname "$0")/.."
hack/prereqs.sh

# Debian's Maven 3.8 (jansi 2) writes a colour reset, ESC[0m, to both streams when it starts and
# ends, even in batch mode with colours off. jansi.noreset stops that, and it only works as a JVM
# option (MAVEN_OPTS): a -D after `mvn` comes too late for the first reset.
if [[ ${MAVEN_OPTS:-} != *jansi.noreset* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"
fi
mvn=(mvn -B -ntp -q -Dstyle.color=never)

"${mvn[@]}" test-compile
exec "${mvn[@]}" -pl operator exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=io.bucketprotection.operator.demo.LocalDemo \
  -Dexec.args="--examples $PWD/examples --lab-dir $PWD/.lab/demo $*"
