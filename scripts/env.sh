# Sourced by scripts/setup, scripts/serve and scripts/test: one place for paths and pinned versions.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# npm's binaryen (wasm-opt 132) first, so Debian's broken binaryen 108 is never picked up.
export PATH="$ROOT/e2e/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true TRUNK_OFFLINE=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

TRUNK_VERSION=0.21.14
WASM_OPT_VERSION=132   # npm package binaryen@132.0.0, pinned in Trunk.toml and e2e/package-lock.json
CARGO_DENY_VERSION=0.20.2
# Where cargo-deny keeps its copy of the RustSec advisory database (`cargo deny fetch db`).
ADVISORY_DBS="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version the app is built against, read from Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
