#!/usr/bin/env bash
# Proves that a Linux binary of lcsauth works for real, end to end, as .ci/release.sh ships it
# (static-pie, musl): against the Entra simulator over TLS (rustls with aws-lc-rs, the CA given as
# SSL_CERT_FILE, as a system store would be), with a private gnome-keyring as the Secret Service
# and the kernel keyring, and on the X clipboard when a display is there.
#   1. login --password-stdin   a cold sign-in: password grant over https
#   2. token --force            a cold refresh: the refresh token read back from the Secret Service
#   3. the refresh token is in the Secret Service and the access token in the kernel keyring
#   4. token, simulator stopped the cached path: the same token, from the kernel keyring, no network
#   5. exec                     lcsauth's own memory map: the relocated read-only data is read-only
#   6. copy (DISPLAY set)       the token on the X clipboard, through the clipboard helper process
#
#   bash .ci/check-linux-binary.sh [BINARY]   (default: builds and checks the musl release build)
# Needs: dbus-daemon, gnome-keyring, secret-tool (libsecret-tools), keyctl (keyutils); for step 5
# xclip and an X display (Xvfb; without one it is skipped). Prints one line per step, then the
# count ("6 passed, 0 failed"); exits non-zero at the first step that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
if [ $# -ge 1 ]; then
  B=$(realpath "$1")
else
  cargo build --release --target x86_64-unknown-linux-musl --bin lcsauth -q
  B=$(realpath "$TARGET_DIR/x86_64-unknown-linux-musl/release/lcsauth")
fi
cargo build --release --example sim -q
WORK=$(mktemp -d)
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$TARGET_DIR/release/examples/sim" --tls >"$WORK/sim.out" 2>"$WORK/ca.pem" &
SIM=$!
for _ in $(seq 100); do grep -q listening "$WORK/sim.out" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'https://[0-9.:]*' "$WORK/sim.out")
export B WORK URL SIM SSL_CERT_FILE="$WORK/ca.pem"
export XDG_DATA_HOME="$WORK/data" XDG_RUNTIME_DIR="$WORK/run" LCSAUTH_CONFIG_DIR="$WORK/config"
mkdir -p "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
echo "checking $(file -b "$B" | cut -d, -f1-2,4)"
bash .ci/secret-service.sh '
  passed=0
  ok() { echo "ok: $1"; passed=$((passed + 1)); }
  fail() { echo "FAILED: $1"; echo "$passed passed, 1 failed"; exit 1; }
  jwt() { [[ "$1" =~ ^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]]; }

  "$B" profile add check --tenant contoso.onmicrosoft.com --client-id 0a1b2c3d-4e5f-6789-abcd-ef0123456789 \
     --username ops@contoso.onmicrosoft.com --authority "$URL" >/dev/null 2>&1
  echo Demo-Pass-1 | "$B" login check --password-stdin >"$WORK/login.out" 2>&1 \
    && grep -q "^Signed in to .check." "$WORK/login.out" || fail "login over https: $(cat "$WORK/login.out")"
  ok "cold sign-in (password grant over https)"

  T1=$("$B" token check --force 2>"$WORK/token.err") && jwt "$T1" || fail "token --force: $(cat "$WORK/token.err")"
  ok "cold refresh (refresh grant over https, refresh token from the Secret Service)"

  secret-tool search --all service lcsauth 2>/dev/null >"$WORK/ss.out" || true
  NS=$(sed -n "s/^label = keyring:check\/refresh_token@\([0-9a-f]*\)@lcsauth$/\1/p" "$WORK/ss.out")
  [ -n "$NS" ] || fail "no refresh token of check in the Secret Service"
  keyctl new_session >/dev/null
  KEY=$(keyctl search "$(keyctl get_persistent @s)" user "keyring:check/access_token@$NS@lcsauth") \
    || fail "no access token of check in the kernel keyring"
  [ "$(keyctl pipe "$KEY")" = "$T1" ] || fail "the kernel keyring holds another access token than the one printed"
  ok "refresh token in the Secret Service, access token in the kernel keyring"

  kill "$SIM"; wait "$SIM" 2>/dev/null || true
  T2=$("$B" token check --min-valid 1m 2>"$WORK/token.err") || fail "cached token: $(cat "$WORK/token.err")"
  [ "$T2" = "$T1" ] || fail "the cached path printed another token than the one stored"
  ok "cached token with the simulator stopped (kernel keyring, no network)"

  # The parent of the command `exec` runs is lcsauth: its memory map shows the relocated
  # read-only data (PT_GNU_RELRO) read-only, as a dynamic loader leaves it.
  "$B" exec check --min-valid 1m -- sh -c "cat /proc/\$PPID/maps" >"$WORK/maps" 2>"$WORK/exec.err" \
    || fail "exec: $(cat "$WORK/exec.err")"
  readelf -lW "$B" | awk "\$1 == \"GNU_RELRO\" { print \$3, \$6 }" >"$WORK/relro"
  python3 - "$B" "$WORK/maps" "$WORK/relro" <<"PY" || fail "the relocated read-only data is writable"
import os, sys
exe, maps, relro = os.path.realpath(sys.argv[1]), open(sys.argv[2]).read().splitlines(), open(sys.argv[3]).read().split()
mine = [l.split() for l in maps if l.split()[-1] == exe]
base = next(int(m[0].split("-")[0], 16) - int(m[2], 16) for m in mine if int(m[2], 16) == 0)
start, size = int(relro[0], 16), int(relro[1], 16)
first, last = (base + start) & ~0xFFF, ((base + start + size) & ~0xFFF) - 1
for m in mine:
    lo, hi = (int(x, 16) for x in m[0].split("-"))
    if lo <= last and first < hi and "w" in m[1]:
        sys.exit(1)
PY
  ok "exec, and the relocated read-only data is read-only (RELRO)"

  if [ -n "${DISPLAY:-}" ] && command -v xclip >/dev/null; then
    "$B" copy check --min-valid 1m >/dev/null 2>"$WORK/copy.err" || fail "copy: $(cat "$WORK/copy.err")"
    for _ in $(seq 50); do
      [ "$(xclip -o -selection clipboard 2>/dev/null)" = "$T1" ] && break
      sleep 0.1
    done
    [ "$(xclip -o -selection clipboard 2>/dev/null)" = "$T1" ] || fail "the X clipboard does not hold the token"
    ok "copy: the token on the X clipboard"
  else
    echo "skipped: copy (no DISPLAY or no xclip)"
  fi
  echo "$passed passed, 0 failed"
'
