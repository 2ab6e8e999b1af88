#!/usr/bin/env bash
# Regenerates the CRD from the Java model (fabric8 CRD generator, run by the build) and copies
# it to crds/. CrdUpToDateTest fails until the committed copy matches.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl operator process-classes
cp operator/target/classes/META-INF/fabric8/bucketprotections.bucketprotection.io-v1.yml crds/
echo "crds/bucketprotections.bucketprotection.io-v1.yml updated"
