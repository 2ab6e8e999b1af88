#!/usr/bin/env bash
# Builds the operator's container image without a Docker daemon, as one tarball:
# operator/target/image.tar (docker-archive format: `podman load -i`, `skopeo copy docker-archive:`),
# and prints its image ID (the config digest, which a registry push keeps).
#
#  1. The base (cached under .lab/image-base/<key>/, the key a hash of every input below and of
#     this script): Debian bookworm minbase from Debian's packages (mmdebstrap) with
#     ca-certificates and tzdata, then apt, dpkg, perl and debconf removed (no package manager,
#     no shell needed: the entrypoint is exec form), a jlinked Java runtime in /opt/java and the
#     user nonroot (65532:65532). Written as a docker-save tarball by hand (no daemon, no podman).
#  2. The application: Jib (Maven profile `image`) puts the dependencies and the operator's
#     classes in separate, reproducible layers on that base, with the OCI labels; the same profile
#     writes the dependency SBOM (CycloneDX).
#  3. Beside image.tar: image-sbom-dependencies.cdx.json (the jar's dependencies) and
#     image-sbom-debian.cdx.json (the base's Debian packages, made from dpkg's status database
#     before dpkg is removed).
#
#   hack/build-image.sh                 # build; reuses a cached base
#   hack/build-image.sh --rebuild-base  # build the base again even when cached
#
# Environment: IMAGE_NAME (ghcr.io/bucket-protection/bucket-protection-operator) names the image
# inside the tarball; its tag is always the project version. Needs root (mmdebstrap --mode=root)
# the first time; installs mmdebstrap and the image tools when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rebuild_base=false
for arg in "$@"; do
  case $arg in
    --rebuild-base) rebuild_base=true ;;
    *) echo "usage: $0 [--rebuild-base]" >&2; exit 2 ;;
  esac
done

# The Java modules the operator needs, the one list. From `jdeps --print-module-deps
# --ignore-missing-deps --multi-release 17` on the shaded jar, less two it names that the operator
# never loads: java.compiler (JOSDK's annotation processor and javapoet, build time only) and
# java.desktop (only java.beans, for optional Jackson/SnakeYAML/commons-lang3 features the
# operator does not use; 10 MB). Plus what jdeps cannot see: jdk.crypto.ec (TLS with EC keys: the
# API server, AWS), java.logging and java.management (JUL and JMX, loaded reflectively).
# hack/test-image.sh runs the image through the demo's whole flow, which proves the list.
JAVA_MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported
DEBIAN_SUITE=bookworm
DEBIAN_INCLUDE=ca-certificates,tzdata
# Removed after the SBOM is written: the package manager, perl, and what only they use (usrmerge,
# already applied, is perl scripts).
DEBIAN_REMOVE=(apt libapt-pkg6.0 gpgv debian-archive-keyring dpkg debconf usrmerge perl perl-base
  perl-modules-5.36 libperl5.36 libfile-find-rule-perl libnumber-compare-perl libtext-glob-perl)
IMAGE_NAME=${IMAGE_NAME:-ghcr.io/bucket-protection/bucket-protection-operator}
SBOM_TOOL=operator/src/test/java/io/bucketprotection/operator/image/DebianSbom.java
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

# Runs on the root filesystem after the SBOM is written from dpkg's database: removes the package
# manager (each removed package's files, from its dpkg file list), then that database and what no
# container needs (docs but the copyright files, man pages, locales, caches, logs).
remove_script='set -e; r="$1"
  for p in '"${DEBIAN_REMOVE[*]}"'; do
    for l in "$r/var/lib/dpkg/info/$p.list" "$r/var/lib/dpkg/info/$p:amd64.list"; do
      [ -f "$l" ] || continue
      while IFS= read -r f; do
        # Files and links to files only: /lib, /bin... are links to directories (merged /usr).
        if [ ! -d "$r$f" ] && { [ -L "$r$f" ] || [ -f "$r$f" ]; }; then rm -f "$r$f"; fi
      done < "$l"
    done
  done
  rm -rf "$r/var/lib/dpkg" "$r/var/lib/apt" "$r/var/cache/apt" "$r/var/cache/debconf" "$r/etc/apt" \
    "$r/var/cache/ldconfig" "$r/usr/share/man" "$r/usr/share/info" "$r/usr/share/locale" \
    "$r/usr/share/lintian" "$r/usr/share/perl" "$r/usr/share/perl5" "$r/usr/lib/x86_64-linux-gnu/perl" \
    "$r/usr/lib/x86_64-linux-gnu/perl5" "$r/usr/lib/x86_64-linux-gnu/perl-base" "$r/var/log/"*
  find "$r/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete'
# Bump when the way the base is assembled below changes in a way the inputs hashed do not show.
BASE_RECIPE=1

hack/install-image-tools.sh
started=$SECONDS

base_key=$( { echo "$BASE_RECIPE $JAVA_MODULES $DEBIAN_SUITE $DEBIAN_INCLUDE ${DEBIAN_REMOVE[*]} $remove_script"
  cat "$SBOM_TOOL"; "$JAVA_HOME/bin/java" -version 2>&1; } | sha256sum | cut -c1-16)
base_dir=.lab/image-base/$base_key
if $rebuild_base || [[ ! -f $base_dir/base.tar ]]; then
  echo "build-image: building the base $base_key (Debian $DEBIAN_SUITE minbase, jlink)" >&2
  work=$(mktemp -d "${TMPDIR:-/tmp}/bpo-base.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  rootfs=$work/rootfs
  SOURCE_DATE_EPOCH=0 mmdebstrap --quiet --variant=minbase --mode=root --include="$DEBIAN_INCLUDE" \
    "$DEBIAN_SUITE" "$rootfs"
  "$JAVA_HOME/bin/java" "$SBOM_TOOL" "$rootfs" "$work/debian.cdx.json" "${DEBIAN_REMOVE[@]}"
  bash -c "$remove_script" remove "$rootfs"
  for p in "${DEBIAN_REMOVE[@]}"; do
    if grep -q "\"name\": \"$p\"" "$work/debian.cdx.json"; then
      echo "build-image: the Debian SBOM still lists $p, which was removed" >&2
      exit 1
    fi
  done
  for gone in usr/bin/apt usr/bin/dpkg usr/bin/perl usr/share/perl; do
    [[ ! -e $rootfs/$gone ]] || { echo "build-image: $gone is still in the base" >&2; exit 1; }
  done
  for link in bin lib lib64 sbin; do
    [[ -L $rootfs/$link ]] || { echo "build-image: /$link, a link into /usr, is missing" >&2; exit 1; }
  done

  "$JAVA_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$rootfs/opt/java"
  # The user the image runs as; the Deployment says the same (runAsUser/runAsGroup 65532).
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
  echo 'nonroot:x:65532:' >>"$rootfs/etc/group"
  install -d -m 0755 -o 65532 -g 65532 "$rootfs/home/nonroot"

  # docker-save format by hand: one layer (a reproducible tar), a config, a manifest.
  mkdir -p "$work/archive"
  tar --create --file "$work/archive/layer.tar" --directory "$rootfs" --sort=name --numeric-owner \
    --mtime=@0 --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime .
  layer_digest=sha256:$(sha256sum "$work/archive/layer.tar" | cut -d' ' -f1)
  cat >"$work/archive/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},"rootfs":{"type":"layers","diff_ids":["$layer_digest"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"hack/build-image.sh: Debian $DEBIAN_SUITE minbase ($DEBIAN_INCLUDE) without ${DEBIAN_REMOVE[*]}; jlink $JAVA_MODULES"}]}
EOF
  cat >"$work/archive/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["bucket-protection-operator-base:$base_key"],"Layers":["layer.tar"]}]
EOF
  tar --create --file "$work/base.tar" --directory "$work/archive" --sort=name --mtime=@0 --owner=0 --group=0 \
    manifest.json config.json layer.tar
  rm -rf "$base_dir"
  mkdir -p "$base_dir"
  mv "$work/base.tar" "$work/debian.cdx.json" "$base_dir/"
  rm -rf "$work"
  trap - EXIT
  echo "build-image: base built in $((SECONDS - started)) s" >&2
else
  echo "build-image: reusing the cached base $base_dir" >&2
fi

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain 2>/dev/null) ]]; then
  revision=$revision-dirty
fi
# jansi.noreset: no colour resets from Debian's Maven 3.8 (see hack/demo.sh).
MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -ntp -q -Dstyle.color=never -Pimage -pl operator package jib:buildTar -DskipTests -Dcheckstyle.skip \
  -Dimage.base="tar://$PWD/$base_dir/base.tar" -Dimage.name="$IMAGE_NAME" -Dimage.revision="$revision"
cp "$base_dir/debian.cdx.json" operator/target/image-sbom-debian.cdx.json
cp operator/target/bom.json operator/target/image-sbom-dependencies.cdx.json

image_id=$(cat operator/target/jib-image.id)
echo "build-image: operator/target/image.tar ($(du -m operator/target/image.tar | cut -f1) MiB, layers gzip-compressed)" \
  "$IMAGE_NAME:$version in $((SECONDS - started)) s; SBOMs operator/target/image-sbom-*.cdx.json" >&2
echo "$image_id"
