#!/usr/bin/env bash
# Runs a bash script inside a private D-Bus session whose Secret Service is a gnome-keyring,
# unlocked and answering before the script starts, and stopped after it: what the benchmarks and
# the release check need from a desktop. Variables the caller exports reach the script.
#   bash .ci/secret-service.sh 'SCRIPT'        (needs dbus-daemon, gnome-keyring)
set -euo pipefail
export SECRET_SERVICE_SCRIPT="$1"
exec dbus-run-session -- bash -euo pipefail -c '
  printf "%s" private-session | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  GKD=$!
  for _ in $(seq 100); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
    sleep 0.05
  done
  rc=0
  bash -euo pipefail -c "$SECRET_SERVICE_SCRIPT" || rc=$?
  kill "$GKD" 2>/dev/null; wait "$GKD" 2>/dev/null || true
  exit "$rc"
'
