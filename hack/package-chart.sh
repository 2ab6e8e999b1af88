#!/usr/bin/env bash
# package-chart.sh - packages the Helm chart deploy/helm/bucket-protection-operator into
# DEST/bucket-protection-operator-VERSION.tgz (helm package; lint --strict first) and prints the
# file's path on stdout. The one packaging command: HelmChartTest runs it, and the release workflow
# runs it before `helm push` (ReleaseWorkflowTest checks).
#
#   hack/package-chart.sh [DEST]     # DEST defaults to operator/target/helm
set -euo pipefail
cd "$(dirname "$0")/.."

CHART=deploy/helm/bucket-protection-operator
dest=${1:-operator/target/helm}
mkdir -p -- "$dest"
helm lint --strict "$CHART" >&2
out=$(helm package "$CHART" --destination "$dest")
# "Successfully packaged chart and saved it to: DEST/NAME-VERSION.tgz"
tgz=${out##*: }
[[ -f $tgz ]] || { echo "package-chart.sh: helm package said: $out" >&2; exit 1; }
printf '%s\n' "$tgz"
