#!/usr/bin/env bash
# Installs what the real-editor tests need, each piece only when it is missing,
# into the project's gitignored cache folder (.cache/e2e/ unless KUBE_EXPOSE_E2E_CACHE says
# otherwise), so a second run on the same machine takes a second.
#
#   scripts/e2e/install.sh            everything: Debian packages + code-server
#   scripts/e2e/install.sh apt        only the Debian packages (chromium, ripgrep, neovim, build deps)
#   scripts/e2e/install.sh nvim       only neovim
#
# Works offline except for the npm registry and Debian's apt: code-server's one
# download from elsewhere (@vscode/ripgrep fetches rg from GitHub) is served from a
# cache seeded with Debian's rg. Runs as root (CI) or through sudo.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${KUBE_EXPOSE_E2E_CACHE:-$ROOT/.cache/e2e}"
CS_VERSION="${CS_VERSION:-4.100.3}"          # the last code-server line that runs on Node 20 (VS Code 1.100.3)
RG_PKG_VERSION="${RG_PKG_VERSION:-1.15.11}"  # @vscode/ripgrep pinned in code-server's lib/vscode/npm-shrinkwrap.json
RG_ASSET_VERSION="${RG_ASSET_VERSION:-v13.0.0-10}" # VERSION in @vscode/ripgrep's lib/postinstall.js
what="${1:-all}"

say() { echo "[e2e-install] $*"; }

apt_install() {
  local need=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  [ "${#need[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to apt-get install ${need[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  say "apt-get install ${need[*]}"
  local t=$SECONDS
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null >/dev/null
  say "apt done in $((SECONDS - t)) s"
}

case "$what" in
  nvim) apt_install neovim; exit 0 ;;
  apt) apt_install chromium ripgrep neovim libkrb5-dev build-essential python3; exit 0 ;;
  all) apt_install chromium ripgrep neovim libkrb5-dev build-essential python3 ;;
  *) echo "usage: $0 [all|apt|nvim]" >&2; exit 2 ;;
esac

CS_DIR="$CACHE/code-server"
MARK="$CS_DIR/.installed-$CS_VERSION"
if [ -f "$MARK" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  say "code-server $CS_VERSION already in $CS_DIR"
  exit 0
fi

mkdir -p "$CACHE"
# Two runs on one machine (CI next to a developer) must not install into the same folder at once.
exec 9>"$CACHE/.install.lock"
flock 9
if [ -f "$MARK" ]; then exit 0; fi

say "installing code-server $CS_VERSION into $CS_DIR (about 1-2 minutes, once)"
t=$SECONDS
rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
echo '{"name":"kube-expose-e2e-code-server","private":true}' > "$CS_DIR/package.json"

# @vscode/ripgrep's download.js looks for its asset in $(os.tmpdir())/vscode-ripgrep-cache-<version>/
# before going to GitHub: put a tarball of Debian's rg there. TMPDIR points os.tmpdir() into our cache.
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 2 ;;
esac
export TMPDIR="$CACHE/tmp"
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE"
ASSET="$RG_CACHE/ripgrep-$RG_ASSET_VERSION-$RG_TARGET.tar.gz"
if [ ! -s "$ASSET" ]; then
  stage="$(mktemp -d)"; cp "$(command -v rg)" "$stage/rg"
  tar czf "$ASSET" -C "$stage" rg; rm -rf "$stage"
fi

# code-server's postinstall refuses root without unsafe-perm; node-pty runs `npx node-gyp`, which
# must not ask (no stdin in CI); node-gyp must use the installed Node headers, not download them.
export npm_config_unsafe_perm=true npm_config_yes=true
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
(cd "$CS_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CS_VERSION" </dev/null)

test -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" || { echo "ripgrep was not installed into code-server" >&2; exit 1; }
x="$(mktemp -d)"
XDG_CONFIG_HOME="$x" XDG_DATA_HOME="$x" XDG_CACHE_HOME="$x" "$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | grep -i "with code" || true
rm -rf "$x"
touch "$MARK"
say "code-server installed in $((SECONDS - t)) s"
