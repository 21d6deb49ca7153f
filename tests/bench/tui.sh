#!/usr/bin/env bash
# The terminal UI's figures (assets/tui-bench.md): first full frame with 50 profiles, idle CPU
# with 50 live countdowns, one frame with 10,000 profiles. Release build; the real binary runs in
# a pseudo-terminal made by `script` (util-linux, Debian package bsdutils).
#   bash tests/bench/tui.sh          (also called by tests/bench/all.sh)
# TUI_BENCH_IDLE_SECONDS (default 60) sets how long the idle CPU is measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v script >/dev/null || { echo "missing: script (apt-get install bsdutils)"; exit 1; }
echo "== terminal UI (release)"
cargo test --release -q --bin lcsauth tui::tests::bench -- --ignored --nocapture --test-threads 1 2>/dev/null \
  | grep -oE "(one frame|read 50).*" | sed 's/^/  /'
cargo test --release -q --test tui_bench -- --ignored --nocapture --test-threads 1 2>/dev/null \
  | grep -oE "(first full frame|idle,).*" | sed 's/^/  /'
