#!/usr/bin/env bash
# Every performance figure of the README, side by side, in one run on this machine.
#   bash tests/bench/all.sh            (needs hyperfine, curl, tmux, dbus-daemon, gnome-keyring, GNU time,
#                                     musl-gcc from musl-tools)
# The lcsauth measured is the Linux release build (static-pie, musl; see .ci/release.sh).
# The simulator answers token requests after 200 ms, a typical Entra round trip, so the cold
# path and curl are compared on equal terms; secrets go to a private gnome-keyring (Secret
# Service) and the kernel keyring, as on a desktop.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in hyperfine curl dbus-run-session gnome-keyring-daemon /usr/bin/time tmux; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install hyperfine curl dbus-daemon gnome-keyring time tmux)"; exit 1; }
done
command -v musl-gcc >/dev/null || { echo "missing: musl-gcc (apt-get install musl-tools)"; exit 1; }
rustup target list --installed | grep -qx x86_64-unknown-linux-musl || rustup target add x86_64-unknown-linux-musl
cargo build --release --target x86_64-unknown-linux-musl --bin lcsauth -q
cargo build --release --example sim -q
TARGET_DIR=${CARGO_TARGET_DIR:-target}
export B="$TARGET_DIR/x86_64-unknown-linux-musl/release/lcsauth"
cargo bench --no-run -q 2>/dev/null
WORK=$(mktemp -d)
export WORK
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
echo '{"request_delay":"200ms","users":[{"username":"ops@contoso.onmicrosoft.com","password":"Demo-Pass-1"}]}' >"$WORK/sim.json"
"$TARGET_DIR/release/examples/sim" "$WORK/sim.json" >"$WORK/sim.out" &
SIM=$!
for _ in $(seq 100); do grep -q listening "$WORK/sim.out" 2>/dev/null && break; sleep 0.05; done
export URL=$(grep -o 'http://[0-9.:]*' "$WORK/sim.out")
export XDG_DATA_HOME="$WORK/data" XDG_RUNTIME_DIR="$WORK/run" LCSAUTH_CONFIG_DIR="$WORK/config"
mkdir -p "$XDG_DATA_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
bash .ci/secret-service.sh '
  CLIENT=0a1b2c3d-4e5f-6789-abcd-ef0123456789
  $B profile add bench --tenant contoso.onmicrosoft.com --client-id $CLIENT \
     --username ops@contoso.onmicrosoft.com --authority "$URL" 2>/dev/null
  echo Demo-Pass-1 | $B login bench --password-stdin >/dev/null 2>&1
  RT=$(curl -s "$URL/_sim/tokens" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"issued_refresh_tokens\"][-1])")
  echo "== token: cached vs cold (refresh grant over the network) vs curl POSTing the same grant"
  hyperfine -N --warmup 20 --runs 300 "$B token bench --min-valid 1m" --export-json "$WORK/cached.json" >/dev/null
  hyperfine -N --warmup 2 --runs 20 \
    "curl -s -o /dev/null -d client_id=$CLIENT -d grant_type=refresh_token -d refresh_token=$RT --data-urlencode scope=https://lcsapi.lcs.dynamics.com//.default\ offline_access $URL/contoso.onmicrosoft.com/oauth2/v2.0/token" \
    "$B token bench --force" --export-json "$WORK/cold.json" >/dev/null
  python3 tests/bench/report.py "$WORK/cached.json" "$WORK/cold.json"
  echo "== 100 profiles refreshed, 200 ms per answer, bounded concurrency, OS keyring"
  LCSAUTH_BENCH_KEYRING=os cargo bench -q --bench refresh_many 2>/dev/null | sed "s/^/  /"
'
echo "== peak RSS with 1,000 profiles"
python3 - "$WORK/rss" <<'PY'
import os, sys
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "profiles.toml"), "w") as f:
    for i in range(1000):
        f.write(f'[[profile]]\nname = "p{i:04}"\ntenant = "contoso.onmicrosoft.com"\nclient_id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"\nregion = "eu"\nusername = "ops{i}@contoso.com"\n\n')
PY
RSS=$(LCSAUTH_CONFIG_DIR="$WORK/rss" /usr/bin/time -f %M "$B" status 2>&1 >/dev/null | tail -1)
echo "  lcsauth status              $((RSS / 1024)).$(( (RSS % 1024) * 10 / 1024 )) MB   target ≤ 20 MB"
SOCK="$WORK/tmux.sock"
tmux -S "$SOCK" -f /dev/null new-session -d -x 120 -y 40 \
  "env LCSAUTH_CONFIG_DIR=$WORK/rss /usr/bin/time -f %M -o $WORK/tui.rss $B"
sleep 3
tmux -S "$SOCK" send-keys q
for _ in $(seq 100); do [ -s "$WORK/tui.rss" ] && break; sleep 0.05; done
tmux -S "$SOCK" kill-server 2>/dev/null || true
RSS=$(tail -1 "$WORK/tui.rss")
echo "  lcsauth (terminal UI, 3 s)  $((RSS / 1024)).$(( (RSS % 1024) * 10 / 1024 )) MB   target ≤ 20 MB"
if [ -x tests/bench/tui.sh ]; then bash tests/bench/tui.sh "$WORK/rss"; fi
