# Shared by scripts/serve and scripts/test: install what is missing, once, and say so.
# Every step checks first, so a warm machine skips straight to the build.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
# Leptos reads the bundle name at compile time; every build (tools/site, cargo test)
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

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "cargo is required (rustup.rs)"; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
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
  # tools/site: the browser bundle (wasm-bindgen as a library, wasm-opt and Tailwind from
  # npm), the release server, and brotli and gzip copies of every site file.
  cargo run --quiet --release --manifest-path tools/site/Cargo.toml
}

server_binary() {
  local target_dir
  target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  echo "$target_dir/${ROUNDS_SERVER_PROFILE:-release}/server"
}
