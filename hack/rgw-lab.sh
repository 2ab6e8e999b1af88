#!/usr/bin/env bash
# rgw-lab.sh - a throw-away single-node Ceph cluster with RadosGW (an S3 server that
# enforces MFA Delete) on loopback, for integration tests and demos.
#
# Everything (config, run dir, pid files, logs, admin sockets, mon/osd data) lives under
# --dir, and every ceph/radosgw-admin call uses -c DIR/ceph.conf, so several labs with
# different dirs and ports can run side by side. stdout is kept machine-readable (only
# `start` and `role` print, one line each); progress and errors go to stderr. Secret keys
# and TOTP seeds are never printed: radosgw-admin output (JSON with keys) goes to
# DIR/log/admin.log.
set -euo pipefail
# Only -c DIR/ceph.conf may configure the ceph tools run here.
unset CEPH_ARGS CEPH_CONF

PROG=${0##*/}
PACKAGES=(ceph-mon ceph-osd radosgw ceph-common uuid-runtime)
BINARIES=(ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool uuidgen)
RGW_NAME=client.rgw.lab
MARKER=.rgw-lab            # marks a dir as ours, so `start` never wipes a foreign dir
START_TIMEOUT=60           # seconds for RGW to answer after the daemons were launched
STOP_GRACE=10              # seconds between SIGTERM and SIGKILL
STS_KEY=bpolabstskey0016   # rgw sts key: exactly 16 characters (lab-only, not a secret)

usage() {
  cat >&2 <<EOF
usage:
  $PROG install
      install the Debian packages (${PACKAGES[*]}) if a binary is missing
  $PROG start  --dir DIR [--rgw-port P] [--mon-port M] [--osd-port-min N]
      (re)create a lab in DIR and start mon, one memstore OSD and radosgw;
      prints 'endpoint=http://127.0.0.1:P' on stdout once RGW answers.
      Defaults: P=7480, M=3300 (msgr2; msgr1 on M+1), N=6800 (OSD binds in N..N+15)
  $PROG stop   --dir DIR
      stop the daemons of the lab in DIR (SIGTERM, SIGKILL after ${STOP_GRACE}s); keeps DIR
  $PROG user   --dir DIR --uid U --access-key K --secret-key S [--max-buckets N]
      create the S3 user U with key K/S (updates key and limit if U exists)
  $PROG mfa    --dir DIR --uid U --serial SERIAL --seed BASE32 [--seconds 30] [--window 2]
      create a TOTP MFA device for U (seed in base32)
  $PROG subuser --dir DIR --uid U --subuser NAME --access read|write|readwrite|full
                --access-key K --secret-key S
      create the subuser U:NAME with S3 key K/S (updates access and key if it exists)
  $PROG role   --dir DIR --owner U --role R --trust-user CALLER --policy-file FILE
               [--external-id X]
      give U the caps roles=*, create role R (path /) that user CALLER may assume
      (sts:AssumeRole), and put FILE as its policy R-policy (updates all if R exists);
      prints 'arn=<role ARN>' on stdout. With --external-id the trust policy also requires
      sts:ExternalId = X, which RGW 16.2 never matches: such a role cannot be assumed
  $PROG status --dir DIR
      exit 0 when mon, osd and radosgw run and RGW answers HTTP, else 1
EOF
}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- install

missing_binaries() {
  local b
  for b in "${BINARIES[@]}"; do
    command -v "$b" >/dev/null 2>&1 || printf '%s ' "$b"
  done
}

cmd_install() {
  local missing
  missing=$(missing_binaries)
  if [[ -z $missing ]]; then
    return 0
  fi
  log "missing: ${missing}- installing ${PACKAGES[*]}"
  local -a sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install ${PACKAGES[*]}"
    sudo=(sudo)
  fi
  # Progress of apt goes to stderr: stdout stays machine-readable.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${PACKAGES[@]}" >&2
  missing=$(missing_binaries)
  [[ -z $missing ]] || die "still missing after install: $missing"
}

# ---------------------------------------------------------------- helpers

# Absolute, normalised path (the config must not depend on the caller's cwd).
abspath() {
  case $1 in
    /*) realpath -m -- "$1" ;;
    *) realpath -m -- "$PWD/$1" ;;
  esac
}

check_port() { # name value
  if ! [[ $2 =~ ^[1-9][0-9]{0,4}$ ]] || (($2 > 65535)); then
    die "$1 must be a port number, got '$2'"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Pid of a lab daemon from its pid file, only if that process is alive and really belongs
# to this lab (its command line holds -c DIR/ceph.conf), so a recycled pid is never killed.
daemon_pid() { # name
  local pidfile="$RUN/$1.pid" pid state
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  # A zombie (possible when pid 1 does not reap) counts as gone.
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$CONF" || return 1
  printf '%s\n' "$pid"
}

# True when an RGW (not just any HTTP server) answers on 127.0.0.1:$1: RGW always sends
# an x-amz-request-id header.
rgw_answers() { # port
  local headers
  if command -v curl >/dev/null 2>&1; then
    headers=$(curl -s -o /dev/null -D - --max-time 3 "http://127.0.0.1:$1/" 2>/dev/null) || return 1
  else
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash
    headers=$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      printf "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
      cat <&3' _ "$1" 2>/dev/null) || return 1
  fi
  grep -qi '^x-amz-request-id:' <<<"$headers"
}

show_log() { # name
  local f="$LOGDIR/$1.log"
  local out="$LOGDIR/$1.out"
  if [[ -s $f ]]; then
    log "---- last lines of $f ----"
    tail -n 15 "$f" >&2
  fi
  # The daemon's own stderr, e.g. "failed to fetch mon config", which its log lacks.
  if [[ -s $out ]]; then
    log "---- last lines of $out ----"
    grep -v '^[[:space:]]*$' "$out" | tail -n 5 >&2 || true
  fi
}

set_lab_paths() { # dir
  DIR=$(abspath "$1")
  CONF=$DIR/ceph.conf
  RUN=$DIR/run
  LOGDIR=$DIR/log
}

require_lab() {
  [[ -f $CONF ]] || die "no lab in $DIR (missing $CONF); run '$PROG start --dir $DIR' first"
}

# Fail fast instead of letting radosgw-admin wait client_mount_timeout for a dead cluster.
require_running() {
  require_lab
  daemon_pid mon.a >/dev/null || die "the monitor of the lab in $DIR does not run"
  daemon_pid osd.0 >/dev/null || die "the OSD of the lab in $DIR does not run"
}

# Runs radosgw-admin against this lab. Its stdout (JSON holding secret keys) goes to
# DIR/log/admin.log only; its stderr is shown on failure (it holds no keys).
admin() {
  local err rc=0
  mkdir -p "$DIR/tmp"
  err=$(mktemp "$DIR/tmp/admin.XXXXXX")
  (
    umask 077
    printf '=== %s radosgw-admin %s\n' "$(date -Is)" "$1 ${2:-}" >>"$LOGDIR/admin.log"
  )
  radosgw-admin -c "$CONF" "$@" >>"$LOGDIR/admin.log" 2>"$err" || rc=$?
  if ((rc != 0)); then
    cat "$err" >&2
  fi
  rm -f "$err"
  return "$rc"
}

# ---------------------------------------------------------------- stop

# SIGTERM to the given daemons, SIGKILL to those still alive after STOP_GRACE seconds.
terminate() { # name...
  local name pid names=() pids=() alive deadline
  for name in "$@"; do
    if pid=$(daemon_pid "$name"); then
      names+=("$name")
      pids+=("$pid")
    fi
  done
  ((${#pids[@]} > 0)) || return 0
  log "stopping ${names[*]} in $DIR"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  deadline=$((SECONDS + STOP_GRACE))
  while :; do
    alive=()
    for name in "${names[@]}"; do
      daemon_pid "$name" >/dev/null && alive+=("$name")
    done
    ((${#alive[@]} > 0)) || return 0
    ((SECONDS < deadline)) || break
    sleep 0.1
  done
  for name in "${alive[@]}"; do
    if pid=$(daemon_pid "$name"); then
      log "$name (pid $pid) still runs ${STOP_GRACE}s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  deadline=$((SECONDS + 5))
  for name in "${alive[@]}"; do
    while daemon_pid "$name" >/dev/null; do
      ((SECONDS < deadline)) || die "$name in $DIR does not exit even after SIGKILL"
      sleep 0.1
    done
  done
}

stop_lab() {
  # RGW first, while mon and osd still run: without them its shutdown hangs (up to
  # rgw_exit_timeout_secs, 120 s). Then osd and mon together.
  terminate "$RGW_NAME"
  terminate osd.0 mon.a
  rm -f "$RUN"/*.pid "$RUN"/*.asok 2>/dev/null || true
}

cmd_stop() {
  [[ -d $DIR ]] || return 0
  stop_lab
}

# ---------------------------------------------------------------- start

write_conf() { # fsid rgw_port mon_port osd_port_min
  local fsid=$1 rgw_port=$2 mon_port=$3 osd_min=$4
  cat >"$CONF" <<EOF
# Generated by $PROG: a throw-away single-node lab on loopback. Do not edit.
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$mon_port,v1:127.0.0.1:$((mon_port + 1))]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv4 = true
ms bind ipv6 = false

# Loopback-only lab: no cephx, so no keyrings to create or leak.
auth cluster required = none
auth service required = none
auth client required = none
# The default (secure) cannot work with auth none: radosgw would hang 300 s and then
# fail with "failed to fetch mon config".
ms mon client mode = crc
# Fail fast on a misconfiguration instead of waiting the default 300 s.
client mount timeout = 30

# One OSD: pools with one replica, placement across OSDs (not hosts), few PGs, and no
# mgr to run the autoscaler.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
# The defaults (30 %/5 %) make the monitor shut itself down on a fairly full shared disk.
mon data avail warn = 2
mon data avail crit = 1
# Cuts start-up from about 14 s to about 2.5 s (every map change waits for a proposal).
paxos propose interval = 0.05

# Everything under DIR, so the lab can be stopped by pid file and wiped.
run dir = $RUN
crash dir = $DIR/crash
log file = $LOGDIR/\$name.log
mon cluster log file = $LOGDIR/\$cluster.\$channel.log
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
osd journal = $DIR/osd/\$cluster-\$id/journal
rgw data = $DIR/rgw/\$cluster-\$id
keyring = $DIR/keyring

[mon]
pid file = $RUN/\$name.pid
admin socket = $RUN/\$name.asok

[osd]
pid file = $RUN/\$name.pid
admin socket = $RUN/\$name.asok
# No disk: objects live in memory and vanish with the lab.
osd objectstore = memstore
# The OSD binds 8 ports (public, cluster, 2 heartbeat; v2+v1); confining it to N..N+15
# lets labs be given disjoint ranges instead of all scanning the default 6800-7300.
ms bind port min = $osd_min
ms bind port max = $((osd_min + 15))
# The whole lab stops at once: telling the (also stopping) monitor would cost 5 s.
osd fast shutdown notify mon = false

[$RGW_NAME]
pid file = $RUN/\$name.pid
admin socket = $RUN/\$name.asok
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
# STS (AssumeRole at the S3 endpoint) for tests of role sessions. The key encrypts session
# tokens; it must be exactly 16 characters, and a fixed value is fine for a throw-away lab.
rgw s3 auth use sts = true
rgw sts key = $STS_KEY
EOF
}

# Starts a daemon in the foreground (-f: logs to its log file) in the background, and
# records its pid at once (ceph writes the same pid to the same file a moment later).
launch() { # name command...
  local name=$1
  shift
  "$@" -f -c "$CONF" </dev/null >>"$LOGDIR/$name.out" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

fail_start() { # message log-names...
  local msg=$1
  shift
  log "error: $msg"
  local n
  for n in "$@"; do show_log "$n"; done
  stop_lab || true
  exit 1
}

cmd_start() {
  local rgw_port=$1 mon_port=$2 osd_min=$3
  local t0=$EPOCHREALTIME fsid osd_uuid n p out

  cmd_install

  # A previous lab in DIR: stop it, then wipe DIR, but only if DIR is ours (or empty).
  if [[ -e $DIR ]]; then
    [[ -d $DIR ]] || die "$DIR exists and is not a directory"
    if [[ -e $DIR/$MARKER ]]; then
      [[ -f $CONF ]] && stop_lab
      find "$DIR" -mindepth 1 -delete
    elif [[ -n $(ls -A "$DIR") ]]; then
      die "$DIR is not empty and holds no lab ($MARKER missing): refusing to wipe it"
    fi
  fi

  for p in "$rgw_port" "$mon_port" "$((mon_port + 1))"; do
    if port_in_use "$p"; then
      die "port 127.0.0.1:$p is already in use (another lab or server?); choose other --rgw-port/--mon-port"
    fi
  done
  ((rgw_port < mon_port || rgw_port > mon_port + 1)) || die "--rgw-port collides with --mon-port"
  ((rgw_port < osd_min || rgw_port > osd_min + 15)) \
    || die "--rgw-port $rgw_port lies in the OSD port range $osd_min..$((osd_min + 15))"
  ((mon_port + 1 < osd_min || mon_port > osd_min + 15)) \
    || die "--mon-port $mon_port/$((mon_port + 1)) lies in the OSD port range $osd_min..$((osd_min + 15))"

  mkdir -p "$DIR" "$RUN" "$LOGDIR" "$DIR/crash" "$DIR/mon/ceph-a" "$DIR/osd/ceph-0" \
    "$DIR/rgw/ceph-rgw.lab" "$DIR/tmp"
  : >"$DIR/$MARKER"
  # Unix sockets are limited to 107 bytes; the daemons run without admin socket then.
  if ((${#RUN} + 20 > 107)); then
    log "note: $DIR is long: the admin sockets in $RUN will be disabled"
  fi
  fsid=$(uuidgen)
  osd_uuid=$(uuidgen)
  write_conf "$fsid" "$rgw_port" "$mon_port" "$osd_min"
  log "starting lab in $DIR (rgw $rgw_port, mon $mon_port/$((mon_port + 1)), osd $osd_min-$((osd_min + 15)))"

  # Monitor.
  monmaptool --create --fsid "$fsid" \
    --addv a "[v2:127.0.0.1:$mon_port,v1:127.0.0.1:$((mon_port + 1))]" \
    "$DIR/tmp/monmap" >>"$LOGDIR/setup.log" 2>&1 \
    || fail_start "monmaptool failed (see $LOGDIR/setup.log)" setup
  ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/tmp/monmap" >>"$LOGDIR/setup.log" 2>&1 \
    || fail_start "ceph-mon --mkfs failed" setup mon.a
  launch mon.a ceph-mon -i a
  local deadline=$((SECONDS + 30))
  until port_in_use "$mon_port"; do
    daemon_pid mon.a >/dev/null || fail_start "mon.a exited during start-up" mon.a
    ((SECONDS < deadline)) || fail_start "mon.a does not listen on 127.0.0.1:$mon_port after 30s" mon.a
    sleep 0.05
  done

  # OSD: registering it needs the monitor.
  if ! out=$(timeout 40 ceph -c "$CONF" --connect-timeout 30 osd new "$osd_uuid" 2>>"$LOGDIR/setup.log"); then
    fail_start "the monitor did not come up (ceph osd new failed)" mon.a setup
  fi
  [[ $out == 0 ]] || fail_start "ceph osd new returned id '$out', expected 0" setup
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$LOGDIR/setup.log" 2>&1 \
    || fail_start "ceph-osd --mkfs failed" setup osd.0
  launch osd.0 ceph-osd -i 0

  # RGW: creates its pools through the monitor (no mgr needed), then opens its port.
  launch "$RGW_NAME" radosgw -n "$RGW_NAME"

  deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    for n in mon.a osd.0 "$RGW_NAME"; do
      daemon_pid "$n" >/dev/null || fail_start "$n exited during start-up" "$n"
    done
    rgw_answers "$rgw_port" && break
    if ((SECONDS >= deadline)); then
      # mon and osd still run (checked above): the RGW log tells why it does not answer.
      fail_start "RGW did not answer on 127.0.0.1:$rgw_port within ${START_TIMEOUT}s" "$RGW_NAME"
    fi
    sleep 0.1
  done
  log "lab up in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')s"
  printf 'endpoint=http://127.0.0.1:%s\n' "$rgw_port"
}

# ---------------------------------------------------------------- status / user / mfa

cmd_status() {
  [[ -f $CONF ]] || { log "no lab in $DIR"; return 1; }
  local n port rc=0
  for n in mon.a osd.0 "$RGW_NAME"; do
    if ! daemon_pid "$n" >/dev/null; then
      log "$n is not running"
      rc=1
    fi
  done
  port=$(sed -n 's/^rgw frontends = beast endpoint=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$CONF")
  if [[ -z $port ]] || ! rgw_answers "$port"; then
    log "RGW does not answer on 127.0.0.1:${port:-?}"
    rc=1
  fi
  return "$rc"
}

cmd_user() { # uid access secret max_buckets
  local uid=$1 access=$2 secret=$3 max=$4
  require_running
  local -a extra=()
  [[ -n $max ]] && extra=(--max-buckets="$max")
  if admin user info --uid="$uid" 2>/dev/null; then
    # Exists: make sure the given key pair and bucket limit are in force.
    admin key create --uid="$uid" --key-type=s3 --access-key="$access" --secret-key="$secret" \
      || die "could not set the S3 key of user '$uid'"
    if ((${#extra[@]})); then
      admin user modify --uid="$uid" "${extra[@]}" || die "could not modify user '$uid'"
    fi
    log "user '$uid' existed: key and limits updated"
  else
    admin user create --uid="$uid" --display-name="$uid" \
      --access-key="$access" --secret-key="$secret" "${extra[@]}" \
      || die "could not create user '$uid'"
    log "user '$uid' created"
  fi
}

cmd_mfa() { # uid serial seed seconds window
  local uid=$1 serial=$2 seed=$3 seconds=$4 window=$5
  require_running
  admin mfa create --uid="$uid" --totp-serial="$serial" --totp-seed="$seed" \
    --totp-seed-type=base32 --totp-seconds="$seconds" --totp-window="$window" \
    || die "could not create MFA device '$serial' for user '$uid'"
  log "MFA device '$serial' created for user '$uid'"
}

# ---------------------------------------------------------------- subuser / role

# The principal ("U" or "U:NAME") holding S3 access key $1, or nothing. Only that id leaves
# the pipe: the JSON (with every secret key of the user) is read by awk and dropped.
key_owner() { # access-key
  { radosgw-admin -c "$CONF" user info --access-key="$1" 2>/dev/null || true; } \
    | awk -v want="\"access_key\": \"$1\"," '
        /"user": "/ { u = $0; sub(/^[^:]*: "/, "", u); sub(/",?[[:space:]]*$/, "", u) }
        index($0, want) { print u; exit }'
}

subuser_exists() { # uid subuser-id
  # grep reads all input (no -q): an early exit could SIGPIPE radosgw-admin under pipefail.
  radosgw-admin -c "$CONF" user info --uid="$1" 2>/dev/null | grep -F "\"id\": \"$2\"" >/dev/null
}

cmd_subuser() { # uid name access access-key secret
  local uid=$1 name=$2 access=$3 key=$4 secret=$5
  local id="$uid:$name" owner
  require_running
  admin user info --uid="$uid" 2>/dev/null || die "no user '$uid' in the lab; create it with '$PROG user' first"
  # radosgw-admin (16.2) silently re-keys whoever holds an access key given to 'key create'
  # or 'subuser create', even another user: refuse a key that is not already this subuser's.
  owner=$(key_owner "$key")
  [[ -z $owner || $owner == "$id" ]] || die "access key of subuser '$id' already belongs to '$owner'"
  if subuser_exists "$uid" "$id"; then
    # 'subuser create' on an existing subuser changes neither its access nor its keys.
    admin subuser modify --uid="$uid" --subuser="$id" --access="$access" \
      || die "could not set the access of subuser '$id'"
    admin key create --subuser="$id" --key-type=s3 --access-key="$key" --secret-key="$secret" \
      || die "could not set the S3 key of subuser '$id'"
    log "subuser '$id' existed: access and key updated"
  else
    admin subuser create --uid="$uid" --subuser="$id" --access="$access" --key-type=s3 \
      --access-key="$key" --secret-key="$secret" \
      || die "could not create subuser '$id'"
    log "subuser '$id' created"
  fi
}

# The trust policy: CALLER may call sts:AssumeRole. The values are checked against plain
# character sets in main, so they are pasted into the JSON without escaping.
trust_policy() { # caller-uid external-id
  local condition=""
  # RGW 16.2 accepts this condition but never puts the caller's ExternalId into the context
  # it evaluates the trust policy in: AssumeRole is refused (403) with any, a wrong or the
  # right external id alike. Written anyway, so a test records that and notices a change.
  [[ -n $2 ]] && condition=",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"$2\"}}"
  printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/%s"]},"Action":["sts:AssumeRole"]%s}]}' \
    "$1" "$condition"
}

cmd_role() { # owner role caller policy-file external-id
  local owner=$1 role=$2 caller=$3 file=$4 external=$5 trust policy arn
  require_running
  [[ -f $file && -r $file ]] || die "cannot read policy file '$file'"
  policy=$(<"$file")
  [[ -n $policy ]] || die "policy file '$file' is empty"
  admin user info --uid="$owner" 2>/dev/null || die "no user '$owner' in the lab; create it with '$PROG user' first"
  admin user info --uid="$caller" 2>/dev/null || die "no user '$caller' in the lab; create it with '$PROG user' first"
  # Lets the owner manage roles through RGW's IAM API as well (radosgw-admin needs no caps).
  admin caps add --uid="$owner" --caps="roles=*" || die "could not give '$owner' the caps roles=*"
  trust=$(trust_policy "$caller" "$external")
  if admin role get --role-name="$role" 2>/dev/null; then
    admin role modify --role-name="$role" --assume-role-policy-doc="$trust" \
      || die "could not update the trust policy of role '$role'"
    log "role '$role' existed: trust policy updated"
  else
    admin role create --role-name="$role" --path=/ --assume-role-policy-doc="$trust" \
      || die "could not create role '$role'"
    log "role '$role' created"
  fi
  # RGW parses the policy here: an unknown action or bad JSON fails this call.
  admin role-policy put --role-name="$role" --policy-name="$role-policy" --policy-doc="$policy" \
    || die "could not put the policy of role '$role' (from $file)"
  # The ARN as RGW reports it (role get prints no secrets).
  arn=$(radosgw-admin -c "$CONF" role get --role-name="$role" 2>/dev/null \
    | sed -n 's/^[[:space:]]*"Arn": "\([^"]*\)".*/\1/p')
  [[ -n $arn ]] || die "role '$role' has no Arn in 'radosgw-admin role get'"
  printf 'arn=%s\n' "$arn"
}

# ---------------------------------------------------------------- main

main() {
  (($# > 0)) || { usage; exit 2; }
  local cmd=$1
  shift
  case $cmd in
    -h | --help | help) usage; exit 0 ;;
    install | start | stop | user | mfa | subuser | role | status) ;;
    *) log "unknown command '$cmd'"; usage; exit 2 ;;
  esac

  local dir="" rgw_port=7480 mon_port=3300 osd_min=6800
  local uid="" access="" secret="" max="" serial="" seed="" seconds=30 window=2
  local subuser="" perm="" owner="" role="" trust="" policy_file="" external=""
  while (($# > 0)); do
    (($# >= 2)) || { log "option $1 needs a value"; usage; exit 2; }
    case $1 in
      --dir) dir=$2 ;;
      --rgw-port) rgw_port=$2 ;;
      --mon-port) mon_port=$2 ;;
      --osd-port-min) osd_min=$2 ;;
      --uid) uid=$2 ;;
      --access-key) access=$2 ;;
      --secret-key) secret=$2 ;;
      --max-buckets) max=$2 ;;
      --serial) serial=$2 ;;
      --seed) seed=$2 ;;
      --seconds) seconds=$2 ;;
      --window) window=$2 ;;
      --subuser) subuser=$2 ;;
      --access) perm=$2 ;;
      --owner) owner=$2 ;;
      --role) role=$2 ;;
      --trust-user) trust=$2 ;;
      --policy-file) policy_file=$2 ;;
      --external-id) external=$2 ;;
      *) log "unknown option '$1'"; usage; exit 2 ;;
    esac
    shift 2
  done

  if [[ $cmd == install ]]; then
    cmd_install
    return
  fi
  [[ -n $dir ]] || { log "$cmd needs --dir DIR"; usage; exit 2; }
  set_lab_paths "$dir"

  case $cmd in
    start)
      check_port --rgw-port "$rgw_port"
      check_port --mon-port "$mon_port"
      check_port --osd-port-min "$osd_min"
      ((mon_port < 65535 && osd_min <= 65520)) || die "--mon-port/--osd-port-min too high"
      cmd_start "$rgw_port" "$mon_port" "$osd_min"
      ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    user)
      [[ -n $uid && -n $access && -n $secret ]] || { log "user needs --uid, --access-key and --secret-key"; exit 2; }
      [[ -z $max || $max =~ ^[0-9]{1,9}$ ]] || die "--max-buckets must be a number"
      cmd_user "$uid" "$access" "$secret" "$max"
      ;;
    mfa)
      [[ -n $uid && -n $serial && -n $seed ]] || { log "mfa needs --uid, --serial and --seed"; exit 2; }
      [[ $seconds =~ ^[1-9][0-9]{0,5}$ && $window =~ ^[0-9]{1,3}$ ]] || die "--seconds and --window must be numbers"
      cmd_mfa "$uid" "$serial" "$seed" "$seconds" "$window"
      ;;
    subuser)
      [[ -n $uid && -n $subuser && -n $perm && -n $access && -n $secret ]] \
        || { log "subuser needs --uid, --subuser, --access, --access-key and --secret-key"; exit 2; }
      [[ $subuser =~ ^[A-Za-z0-9_.@+=,-]+$ ]] || die "--subuser must be a plain name (no ':'), got '$subuser'"
      [[ $perm =~ ^(read|write|readwrite|full)$ ]] || die "--access must be read, write, readwrite or full"
      cmd_subuser "$uid" "$subuser" "$perm" "$access" "$secret"
      ;;
    role)
      [[ -n $owner && -n $role && -n $trust && -n $policy_file ]] \
        || { log "role needs --owner, --role, --trust-user and --policy-file"; exit 2; }
      # Plain character sets (IAM's), so the values go into JSON and an ARN as they are.
      [[ $role =~ ^[A-Za-z0-9_+=,.@-]{1,64}$ ]] || die "--role must be an IAM role name, got '$role'"
      [[ $trust =~ ^[A-Za-z0-9_+=,.@-]+$ ]] || die "--trust-user must be a plain uid (no tenant), got '$trust'"
      [[ -z $external || $external =~ ^[A-Za-z0-9_+=,.@:/-]{2,1224}$ ]] \
        || die "--external-id must be 2-1224 characters of [A-Za-z0-9_+=,.@:/-]"
      cmd_role "$owner" "$role" "$trust" "$(abspath "$policy_file")" "$external"
      ;;
  esac
}

main "$@"
