#!/usr/bin/env bash
# Regenerates the CRDs from the Java model (the fabric8 CRD generator, then CrdFinisher, both run
# by the build) and copies them to crds/. CrdUpToDateTest fails until the committed copies match.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator process-test-classes
cp operator/target/classes/META-INF/fabric8/*.bucketprotection.io-v1.yml crds/
echo "crds/ updated:" $(cd crds && ls *.yml)
