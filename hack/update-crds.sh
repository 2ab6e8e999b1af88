#!/usr/bin/env bash
# Regenerates the CRDs from the Java model (the fabric8 CRD generator, then CrdFinisher, both run
# by the build) and copies them to crds/, then writes the API reference docs/reference/api.md from
# them (ApiReference), and copies the CRDs into the Helm chart's crds/ too (Helm installs them from
# there). CrdUpToDateTest, ApiReferenceTest and HelmChartTest fail until the committed copies match.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator process-test-classes
cp operator/target/classes/META-INF/fabric8/*.bucketprotection.io-v1.yml crds/
cp crds/*.bucketprotection.io-v1.yml deploy/helm/bucket-protection-operator/crds/
echo "crds/ updated:" $(cd crds && ls *.yml)
mvn -B -q -pl operator exec:java@api-reference
echo "docs/reference/api.md updated"
