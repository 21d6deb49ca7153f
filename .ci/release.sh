#!/usr/bin/env bash
# Builds the downloadable binaries into dist/: x86_64 Linux and x86_64 Windows, each named with
# the version, plus SHA256SUMS.
#
#   .ci/release.sh            # needs rustup's x86_64-unknown-linux-musl and x86_64-pc-windows-gnu
#                                 # targets, musl-gcc and mingw-w64 (apt-get install musl-tools
#                                 # gcc-mingw-w64-x86-64), as .ci/run sets up
#
# The Linux binary is a static-pie executable linked with musl (rustup's x86_64-unknown-linux-musl
# target; musl-gcc compiles aws-lc-sys's C and src/startup/relro.c): it needs no C library on the
# system, keeps ASLR and read-only relocated data (RELRO), and starts without a dynamic loader (no
# symbol lookups), so a cached `lcsauth token` takes about two thirds of the time of a glibc build
# (README, Performance). musl resolves host names itself from /etc/hosts and /etc/resolv.conf (no
# NSS modules). The Windows binary is built with mingw-w64 and needs Windows 10 / Server 2016 or
# later, as every Rust program does.
#
# macOS binaries are not cross-built (Apple's SDK only ships with Xcode). On a Mac:
#   rustup target add aarch64-apple-darwin x86_64-apple-darwin
#   cargo build --release --locked --target aarch64-apple-darwin
#   cargo build --release --locked --target x86_64-apple-darwin
#   lipo -create -output lcsauth-$VERSION-macos-universal \
#     target/aarch64-apple-darwin/release/lcsauth target/x86_64-apple-darwin/release/lcsauth
#   shasum -a 256 lcsauth-$VERSION-macos-universal >> SHA256SUMS
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
[ -n "$VERSION" ] || { echo "no version in Cargo.toml" >&2; exit 1; }
TARGET_DIR=${CARGO_TARGET_DIR:-target}
DIST=dist
export CARGO_PROFILE_RELEASE_STRIP=true   # symbols make up most of an unstripped binary

for target in x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do
  rustup target list --installed | grep -qx $target || rustup target add $target
done
command -v musl-gcc >/dev/null || { echo "musl-gcc is missing: apt-get install musl-tools" >&2; exit 1; }
command -v x86_64-w64-mingw32-gcc >/dev/null || {
  echo "x86_64-w64-mingw32-gcc is missing: apt-get install gcc-mingw-w64-x86-64" >&2
  exit 1
}

cargo build --release --locked --bin lcsauth --target x86_64-unknown-linux-musl
cargo build --release --locked --bin lcsauth --target x86_64-pc-windows-gnu

rm -rf "$DIST" && mkdir -p "$DIST"
cp "$TARGET_DIR/x86_64-unknown-linux-musl/release/lcsauth" "$DIST/lcsauth-$VERSION-x86_64-linux"
cp "$TARGET_DIR/x86_64-pc-windows-gnu/release/lcsauth.exe" "$DIST/lcsauth-$VERSION-x86_64-windows.exe"
(cd "$DIST" && sha256sum lcsauth-"$VERSION"-* > SHA256SUMS)

# The Linux binary as shipped, end to end: sign-in over TLS, Secret Service, kernel keyring, cached path.
have() { for t in "$@"; do command -v "$t" >/dev/null || return 1; done; }
if have dbus-run-session gnome-keyring-daemon secret-tool keyctl; then
  bash .ci/check-linux-binary.sh "$DIST/lcsauth-$VERSION-x86_64-linux"
else
  echo "not checked end to end (needs dbus-daemon gnome-keyring libsecret-tools keyutils): $DIST/lcsauth-$VERSION-x86_64-linux"
fi

echo "built in $DIST/:"
(cd "$DIST" && ls -l lcsauth-"$VERSION"-* && cat SHA256SUMS)
