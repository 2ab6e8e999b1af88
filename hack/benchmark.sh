#!/usr/bin/env bash
# The scale benchmark (docs/performance.md). Not part of the test run. It starts a local Ceph
# RadosGW (ports 18480, 18300, 18800-18815: apart from the tests' and the demo's, and below the
# kernel's ephemeral range, where a client's leftover connection could hold one; --rgw-port,
# --mon-port and --osd-port-min move them, for a second checkout on the same machine) and fabric8 CRUD
# mock API servers, and puts a counting HTTP proxy of its own between the operator and RadosGW, so
# S3 requests are counted at the wire (SDK retries and redirects included). Every request the mock
# API server receives during a wave is kept and classified. Scenarios (--only picks some):
#
#   fleet    N BucketProtections on N unversioned buckets to Ready (in-process operator): exactly
#            N GetBucketVersioning + N PutBucketVersioning at the wire, N status patches, N events,
#            no other Kubernetes write or read; the operator's own S3 count must equal the wire's
#   steady   the first re-check of those N once Ready (runs fleet first): exactly N GET, 0 PUT, 0
#            Kubernetes writes, over the whole wave
#   mfa      F buckets sharing one MFA device (5 s steps) switch MFA Delete on: 0 codes refused, one
#            code per bucket, less than one step over the exact lower bound (MfaBound)
#   pool     P buckets (40) switch MFA Delete on with a pool of 1, 2 and 4 devices (spec.mfaDevices, 5 s
#            steps; each pool fresh: RGW user, devices, buckets, namespace, S3Account): less than one
#            step over the exact lower bound for the pool's size, 0 codes refused, each device at most
#            one code per step at the wire (the proxy's MFA tap); then 4 devices where one seed Secret
#            is wrong: the 3 others within one step of the 3-device bound, at most 2 codes refused,
#            the bad device Paused in the account's status.mfaDevices
#   memory   operator JVMs with the Deployment's JVM options: the shaded jar on RadosGW with N
#            resources, FakeS3OperatorMain with R resources (RSS must stay < 300 MiB at 10,000)
#   secrets  heap after a full GC with and without S unrelated K KiB Secrets in the watched
#            namespace (same resources; fake S3): the difference must be <= 10 MiB
#   slow     B resources on an endpoint that never answers beside M on RadosGW: M fresh resources
#            reach Ready in <= 1.2x the time they take without B; the operator's threads stay bounded
#   hostile  H resources with a 10 KB checkInterval among V valid ones: the V converge, the H report
#            InvalidSpec without an S3 request, the operator process lives (same pid, /healthz 200)
#   policy   one BucketProtectionPolicy over P buckets of an RGW user (in-process operator): time to
#            every child Ready, its S3 and Kubernetes counts; then a scan with nothing new (only the
#            ListBuckets pages RGW returns, 0 Kubernetes writes); then Q buckets created while it
#            runs, all covered within one scanInterval (1m)
#   policies P BucketProtectionPolicies on one account of B buckets (FakeS3OperatorMain, in-memory S3,
#            no RadosGW), each covering one bucket: the account is listed once per scanInterval (1m)
#            for all of them (ListBuckets pages counted by the fake S3, from the operator's start to
#            the end of a quiet interval), and the live heap after a full GC is at most 50 MiB above
#            the same operator, account and buckets without the policies
#   deletion an ObjectVersionDeletion of a manifest of L versions (10,000) among V (20,000: V/2 keys of two
#            versions) in a bucket with MFA Delete on (own RGW user, device of 5 s steps, observer subuser
#            with RGW's "read"; in-process operator on AwsBucketStore): from the approval annotation to
#            Ready Completed within one step of L/1000 steps; exactly L/1000 DeleteObjects, each with a
#            code (none without), in distinct increasing steps, none refused; the root keys sign those
#            and nothing else, the observer every read; afterwards ListObjectVersions holds none of the L
#            and all V-L others, status.deleted = L, batchesDone = L/1000, and the operator printed L
#            audit lines DeleteObjectVersion, one per listed version (saved as deletion-audit.log next
#            to the JSON file); the checksum header of the DeleteObjects (the SDK's mode) is recorded
#
# Prints the figures, saves them as JSON (with the git tree of the operator module measured, and
# whether it had local changes) and exits 1 listing every failed check. Timings are reported; the
# counts, the MFA bound, the memory targets, the slow-endpoint ratio and the thread bound are asserted.
# The full run takes about 26 minutes on 2 cores, pool about 9.5 of them, deletion about 2.5 (1.5 of
# those putting the 20,000 versions); up to about 38 when slow, hostile or secrets run into their
# timeouts, on an operator without those protections. A partial run (--only, or other
# sizes) is saved to .lab/benchmark-partial.json unless --out says otherwise, so it never replaces
# the committed figures.
# Operator JVM logs go next to the JSON file (*.log).
#
#   hack/benchmark.sh [--only fleet,steady,mfa,pool,memory,secrets,slow,hostile,policy,policies,deletion]
#                       [--buckets 1000] [--fleet 20] [--pool-buckets 40] [--memory-resources 10000]
#                       [--secrets 10000] [--secret-kib 10] [--secrets-resources 1000]
#                       [--slow-resources 50] [--slow-rgw-resources 200]
#                       [--hostile-resources 1000] [--hostile-valid 100]
#                       [--policy-buckets 5000] [--policy-new 100]
#                       [--policies 500] [--policies-buckets 10000]
#                       [--deletion-versions 20000] [--deletion-listed 10000]
#                       [--out FILE] [--rgw-port 18480] [--mon-port 18300] [--osd-port-min 18800]
#
#   hack/benchmark.sh                                  # the figures of docs/performance.md -> bench-results/benchmark.json
#   hack/benchmark.sh --only slow,hostile --slow-rgw-resources 50 --hostile-resources 100 --out /tmp/b.json
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi
hack/prereqs.sh
mvn -B -ntp -q package -DskipTests
# Run from a plain JVM with the test classpath, so the benchmark can start operator JVMs of its own.
mvn -B -ntp -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)"
TEST_LOG_LEVEL=${TEST_LOG_LEVEL:-WARN} exec java -cp "$cp" io.bucketprotection.operator.bench.Benchmark \
  --jar operator/target/bucket-protection-operator.jar --lab-dir "$PWD/.lab/bench" "$@"
