#!/usr/bin/env bash
# Proves the container image, not the jar: builds it (hack/build-image.sh), then runs the demo's
# flow (examples/ against a local Ceph RadosGW and the fabric8 CRUD mock API, every
# BucketProtection settles, drift is put back) with the operator started from
# operator/target/image.tar by podman, as the Deployment runs it: read-only root filesystem,
# uid/gid 65532, no capabilities, no privilege escalation, on the host network. Fails, never
# skips, when podman cannot run the image. Installs what is missing first. podman's storage is
# .lab/podman/ (hack/podman.sh); the run's lab is .lab/test-image, its output
# .lab/test-image-output.txt.
#
#   hack/test-image.sh                # build, then test
#   hack/test-image.sh --no-build     # test the operator/target/image.tar already there
#
# Ports: 300 above LAB_RGW_PORT (17480), LAB_MON_PORT (13300), LAB_OSD_PORT_MIN (16800), as
# hack/test.sh's demo run is 100 and LocalDemoTest 200 above.
set -euo pipefail
cd "$(dirname "$0")/.."

build=true
for arg in "$@"; do
  case $arg in
    --no-build) build=false ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
  esac
done

started=$SECONDS
hack/prereqs.sh
if $build; then
  hack/build-image.sh >/dev/null
fi
[[ -f operator/target/image.tar ]] || { echo "test-image: FAILED: no operator/target/image.tar" >&2; exit 1; }

# Before the demo: a plain answer to "can podman run this image here at all", with the same flags.
image=$(hack/podman.sh load -i operator/target/image.tar | sed -n 's/^Loaded image: //p' | tail -1)
if ! hack/podman.sh run --rm --network=host --read-only --user 65532:65532 --cap-drop=ALL \
    --security-opt no-new-privileges --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
    "$image" check --help >/dev/null; then
  echo "test-image: FAILED: podman cannot run $image (hack/podman.sh run ... check --help)" >&2
  exit 1
fi

if [[ ${MAVEN_OPTS:-} != *jansi.noreset* ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"
fi
mkdir -p .lab
output=.lab/test-image-output.txt
demo_args=(--examples "$PWD/examples" --lab-dir "$PWD/.lab/test-image" --exit-when-done --timeout-seconds 150
  --rgw-port "$(( ${LAB_RGW_PORT:-17480} + 300 ))" --mon-port "$(( ${LAB_MON_PORT:-13300} + 300 ))"
  --osd-port-min "$(( ${LAB_OSD_PORT_MIN:-16800} + 300 ))"
  --operator-image "$image" --podman "$PWD/hack/podman.sh")
# The demo's classes (test scope); quick when they are up to date.
mvn -B -ntp -q -Dstyle.color=never -pl operator test-compile -Dcheckstyle.skip
echo "test-image: the demo with the operator from $image" >&2
if ! mvn -B -ntp -q -Dstyle.color=never -pl operator exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=io.bucketprotection.operator.demo.LocalDemo \
    -Dexec.args="${demo_args[*]}" 2>&1 | tee "$output"; then
  echo "test-image: FAILED: the demo with the operator's image did not succeed (output in $output)" >&2
  exit 1
fi
echo "test-image: the image protected every example bucket; $((SECONDS - started)) s in all" >&2
