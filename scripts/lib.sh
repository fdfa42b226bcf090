# Shared by scripts/serve and scripts/test: install what is missing, once, and say so.
# Every step checks first, so a warm machine skips straight to the build.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CARGO_LEPTOS_VERSION="0.3.10"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Leptos reads the bundle name at compile time; every build (cargo-leptos, cargo test)
# must agree on it or they rebuild each other's artifacts.
export LEPTOS_OUTPUT_NAME="rounds"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    step "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

# The exact wasm-bindgen version the lock file pins: the CLI must match it.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "cargo is required (rustup.rs)"; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # 0.3.11 needs a newer rustc; a debug build of the tool installs in minutes instead of ~45.
    step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (one time, about 11 minutes)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --debug
  fi
  local wanted
  wanted="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$wanted"; then
    # Without --locked: the registry mirror lacks some of the newest patch releases.
    step "Installing wasm-bindgen-cli $wanted (one time, about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
  if [ ! -x node_modules/.bin/tailwindcss ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing npm packages (Tailwind, wasm-opt, Playwright, axe)"
    # `npm install`, not `npm ci`: the registry mirror lacks some of Tailwind's optional
    # platform packages, which `npm ci` reports as a lock file out of sync.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
  fi
}

build_release() {
  step "Building the site (release)"
  # --precompress writes brotli and gzip copies of every site file, served as they are.
  cargo leptos build --release --precompress
}

server_binary() {
  local target_dir
  target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  echo "$target_dir/release/server"
}
