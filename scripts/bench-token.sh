#!/usr/bin/env bash
# Measures `lcsauth token` with a cached valid token, process start to exit, with the real
# keyring: a private D-Bus session with gnome-keyring as the Secret Service (refresh token)
# and the kernel keyring (access token). In the same hyperfine run, a bare Rust "hello" process
# (built here with rustc -O) gives the floor that process start alone costs on this machine.
# Needs: hyperfine, dbus-daemon, gnome-keyring, rustc.
#   bash scripts/bench-token.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin lcsauth --example sim -q
WORK=$(mktemp -d)
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
target/release/examples/sim >"$WORK/sim.out" &
SIM=$!
for _ in $(seq 100); do grep -q listening "$WORK/sim.out" 2>/dev/null && break; sleep 0.05; done
printf 'fn main() { println!("hello"); }\n' >"$WORK/hello.rs"
rustc -O -C strip=symbols -o "$WORK/hello" "$WORK/hello.rs"
URL=$(grep -o 'http://[0-9.:]*' "$WORK/sim.out")
export WORK URL XDG_DATA_HOME="$WORK/data" XDG_RUNTIME_DIR="$WORK/run" LCSAUTH_CONFIG_DIR="$WORK/config"
mkdir -p "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- bash -euo pipefail -c '
  printf "%s" bench | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  sleep 0.5
  B=target/release/lcsauth
  $B profile add bench --tenant contoso.onmicrosoft.com --client-id 0a1b2c3d-4e5f-6789-abcd-ef0123456789 \
     --username ops@contoso.onmicrosoft.com --authority "$URL" 2>/dev/null
  echo Demo-Pass-1 | $B login bench --password-stdin 2>&1 | grep -v "^note"
  hyperfine --warmup 20 --runs 300 -N "$WORK/hello" "$B token bench --min-valid 1m" \
    --export-markdown "$WORK/result.md"
  cat "$WORK/result.md"
'
