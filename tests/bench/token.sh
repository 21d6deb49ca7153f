#!/usr/bin/env bash
# Measures `lcsauth token` with a cached valid token, process start to exit, with the real
# keyring: a private D-Bus session with gnome-keyring as the Secret Service (refresh token)
# and the kernel keyring (access token). The binary is the Linux release build (static-pie,
# musl; see .ci/release.sh). In the same hyperfine run, two bare Rust "hello" processes
# give the floor that process start alone costs on this machine: one built with rustc -O for
# glibc (the default Linux target) and one for musl, the same C library as lcsauth; beside them
# `lcsauth --version` is the cost of starting lcsauth itself and parsing its command line.
# Needs: hyperfine, dbus-daemon, gnome-keyring, rustc, rustup's x86_64-unknown-linux-musl
# target and musl-gcc (apt-get install musl-tools).
#   bash tests/bench/token.sh            RUNS=1000 for more runs (default 300)
set -euo pipefail
cd "$(dirname "$0")/../.."
MUSL=x86_64-unknown-linux-musl
command -v musl-gcc >/dev/null || { echo "missing: musl-gcc (apt-get install musl-tools)"; exit 1; }
rustup target list --installed | grep -qx $MUSL || rustup target add $MUSL
cargo build --release --target $MUSL --bin lcsauth -q
cargo build --release --example sim -q
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WORK=$(mktemp -d)
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$TARGET_DIR/release/examples/sim" >"$WORK/sim.out" &
SIM=$!
for _ in $(seq 100); do grep -q listening "$WORK/sim.out" 2>/dev/null && break; sleep 0.05; done
printf 'fn main() { println!("hello"); }\n' >"$WORK/hello.rs"
rustc -O -C strip=symbols -o "$WORK/hello" "$WORK/hello.rs"
rustc -O -C strip=symbols --target $MUSL -o "$WORK/hello-musl" "$WORK/hello.rs"
cp "$TARGET_DIR/$MUSL/release/lcsauth" "$WORK/lcsauth"
URL=$(grep -o 'http://[0-9.:]*' "$WORK/sim.out")
export WORK URL RUNS=${RUNS:-300} XDG_DATA_HOME="$WORK/data" XDG_RUNTIME_DIR="$WORK/run" LCSAUTH_CONFIG_DIR="$WORK/config"
mkdir -p "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
bash .ci/secret-service.sh '
  cd "$WORK"
  ./lcsauth profile add bench --tenant contoso.onmicrosoft.com --client-id 0a1b2c3d-4e5f-6789-abcd-ef0123456789 \
     --username ops@contoso.onmicrosoft.com --authority "$URL" 2>/dev/null
  echo Demo-Pass-1 | ./lcsauth login bench --password-stdin 2>&1 | grep -v "^note"
  echo "load average before: $(cut -d" " -f1-3 /proc/loadavg)"
  hyperfine --warmup 20 --runs "$RUNS" -N ./hello ./hello-musl "./lcsauth --version" "./lcsauth token bench --min-valid 1m" \
    --export-markdown result.md --export-json result.json >/dev/null
  echo "load average after:  $(cut -d" " -f1-3 /proc/loadavg)"
  cat result.md
'
python3 - "$WORK/result.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
token = r["./lcsauth token bench --min-valid 1m"]
for hello in ("./hello", "./hello-musl"):
    h = r[hello]
    print(
        f"cached token / {hello[2:]:<10}  means {token['mean'] * 1e3:.2f} / {h['mean'] * 1e3:.2f} ms = "
        f"{token['mean'] / h['mean']:.2f}x   fastest runs {token['min'] * 1e3:.2f} / {h['min'] * 1e3:.2f} ms = "
        f"{token['min'] / h['min']:.2f}x"
    )
PY
