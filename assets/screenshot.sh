#!/usr/bin/env bash
# Refreshes assets/board.png from the real program: `lcsauth demo` in an xterm on a private Xvfb
# display, captured with xwd and written as PNG (Pillow). Needs xvfb, xterm, x11-apps, python3-pil.
# usage: bash assets/screenshot.sh [path/to/lcsauth]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/lcsauth}
RUN=$(mktemp -d)
trap 'kill $XVFB 2>/dev/null || true; rm -rf "$RUN"' EXIT
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$RUN/display" 2>/dev/null &
XVFB=$!
for _ in $(seq 100); do [ -s "$RUN/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$RUN/display")"
# The demo's own directories; NO_COLOR unset so the colours show.
LCSAUTH_CONFIG_DIR="$RUN/config" xterm -geometry 100x30+0+0 -fa 'DejaVu Sans Mono' -fs 11 \
    -bg '#1e1e1e' -fg '#d4d4d4' -name lcsauth-shot -T lcsauth-shot -e "$BIN" demo &
XTERM=$!
sleep "${SHOT_WAIT:-5}"
xwd -silent -name lcsauth-shot -out "$RUN/board.xwd"
kill "$XTERM" 2>/dev/null || true
/usr/bin/python3 - "$RUN/board.xwd" assets/board.png <<'PY'
import struct, sys
from PIL import Image
data = open(sys.argv[1], "rb").read()
f = struct.unpack(">25I", data[:100])
header_size, width, height, byte_order, bpp, bpl, ncolors = f[0], f[4], f[5], f[7], f[11], f[12], f[19]
pixels = data[header_size + ncolors * 12:]
assert bpp == 32, f"expected 32 bits per pixel, got {bpp}"
mode = "BGRX" if byte_order == 0 else "XRGB"
Image.frombuffer("RGB", (width, height), pixels, "raw", mode, bpl, 1).save(sys.argv[2], optimize=True)
print(f"assets/board.png: {width}x{height}")
PY
