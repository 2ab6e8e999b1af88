#!/usr/bin/env bash
# The scale benchmark (README "Performance"): 1,000 buckets to Ready, a steady-state re-check,
# 20 buckets sharing one MFA device, and the operator's memory with 1,000 and 10,000 resources.
# Runs against a local Ceph RadosGW (ports 37480, 33300, 36800-36815) and the fabric8 CRUD mock.
# Prints the figures, saves them to bench-results/benchmark.json, and exits 1 when a count
# (S3 calls, Kubernetes writes, refused codes) is not what the operator promises. About 10 min.
#
#   deploy/benchmark.sh [--buckets 1000] [--fleet 20] [--memory-resources 10000] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/prereqs.sh
mvn -B -ntp -q package -DskipTests
# Run from a plain JVM with the test classpath, so the benchmark can start operator JVMs of its own.
mvn -B -ntp -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)"
TEST_LOG_LEVEL=${TEST_LOG_LEVEL:-WARN} exec java -cp "$cp" io.bucketprotection.operator.bench.Benchmark \
  --jar operator/target/bucket-protection-operator.jar --lab-dir "$PWD/.lab/bench" --out bench-results/benchmark.json "$@"
