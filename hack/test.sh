#!/usr/bin/env bash
# All tests: unit, the real reconciler against the fabric8 CRUD mock API server, and
# integration tests against a real Ceph RadosGW that this run starts (and stops) itself; then
# the README's first command, hack/demo.sh --exit-when-done, on ports of its own. The demo must
# succeed, and its output must be only what a person wants to read: no Logback or slf4j status,
# no ERROR, no stack trace, no escape sequence. Installs what is missing first. Extra arguments go
# to Maven (e.g. -Dtest=RgwIntegrationTest).
# RGW test ports: LAB_RGW_PORT (17480), LAB_MON_PORT (13300), LAB_OSD_PORT_MIN (16800); their
# names of 0.1.0 (below) are still read when the new ones are unset, for one more release.
# The demo runs 100 above each (17580, 13400, 16900), in .lab/test-demo; its output stays in
# .lab/test-demo-output.txt. Then hack/test-image.sh: the container image, built and run with podman.
#
#   hack/test.sh --check-demo-output FILE   # only the check of the demo's output, on FILE
set -euo pipefail

# What a person must never see in the demo's output, as pairs of a name and an extended regular
# expression (grep -E, bytes, case-sensitive).
DEMO_OUTPUT_FORBIDDEN=(
  "Logback status"  ' \|-(INFO|WARN|ERROR) in '
  "slf4j status"    '^SLF4J(\([A-Z]\))?: '
  "ERROR"           '(^|[^[:alnum:]_])ERROR([^[:alnum:]_]|$)'
  "stack trace"     '^[[:space:]]+at .+\(.*\)[[:space:]]*$|^Caused by: |^Exception in thread |^[[:space:]]+\.\.\. [0-9]+ (more|common frames omitted)'
  "escape sequence" $'\e'
)

# Exits non-zero, naming each offending line on stderr, when the file $1 (the demo's stdout and
# stderr) holds anything DEMO_OUTPUT_FORBIDDEN names.
check_demo_output() {
  local file=$1 i matches rc failed=false
  [[ -f $file && -r $file ]] || { echo "test.sh: $file: no such file" >&2; return 2; }
  for ((i = 0; i < ${#DEMO_OUTPUT_FORBIDDEN[@]}; i += 2)); do
    rc=0
    matches=$(LC_ALL=C grep -a -n -E -e "${DEMO_OUTPUT_FORBIDDEN[i + 1]}" -- "$file") || rc=$?
    if [[ $rc -gt 1 ]]; then
      echo "test.sh: grep failed on $file" >&2
      return 2
    elif [[ $rc -eq 0 ]]; then
      failed=true
      # cat -v shows an escape as ^[; long lines are cut.
      cat -v <<<"$matches" | cut -c1-200 | sed "s/^/test.sh: demo output, ${DEMO_OUTPUT_FORBIDDEN[i]}, line /" >&2
    fi
  done
  if $failed; then
    echo "test.sh: FAILED: the demo's output ($file) holds what a person should not have to read (above)" >&2
    return 1
  fi
  echo "test.sh: the demo's output is clean ($(wc -l <"$file") lines)" >&2
}

if [[ ${1:-} == --check-demo-output ]]; then
  [[ $# -eq 2 ]] || { echo "usage: $0 --check-demo-output FILE" >&2; exit 2; }
  check_demo_output "$2"
  exit
fi

cd "$(dirname "$0")/.."
hack/prereqs.sh
# No colour resets (ESC[0m) from Debian's Maven in the log either; see demo.sh.
if [[ ${MAVEN_OPTS:-} != *jansi.noreset* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"
fi
mvn -B -ntp verify "$@"

demo_ports=(--rgw-port "$(( ${LAB_RGW_PORT:-${BPO_TEST_RGW_PORT:-17480}} + 100 ))"
  --mon-port "$(( ${LAB_MON_PORT:-${BPO_TEST_MON_PORT:-13300}} + 100 ))"
  --osd-port-min "$(( ${LAB_OSD_PORT_MIN:-${BPO_TEST_OSD_PORT_MIN:-16800}} + 100 ))")
demo_output=.lab/test-demo-output.txt
mkdir -p .lab
echo "test.sh: hack/demo.sh --exit-when-done ${demo_ports[*]}" >&2
if ! hack/demo.sh --exit-when-done "${demo_ports[@]}" --lab-dir "$PWD/.lab/test-demo" 2>&1 | tee "$demo_output"; then
  echo "test.sh: FAILED: hack/demo.sh --exit-when-done did not succeed (output in $demo_output)" >&2
  exit 1
fi
check_demo_output "$demo_output"

# The container image: built (hack/build-image.sh) and run with podman through the demo's flow.
hack/test-image.sh
