#!/usr/bin/env bash
# Installs code-server (a real VS Code served to a browser) into .tools/code-server for the editor tests.
# Works offline apart from the npm registry: @vscode/ripgrep's postinstall is fed Debian's rg via its cache.
# Prerequisites (scripts/setup-debian.sh installs them): build-essential python3 libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PREFIX="${CODE_SERVER_PREFIX:-$PWD/.tools/code-server}"
BIN="$PREFIX/node_modules/.bin/code-server"
# --config keeps `code-server --version` from writing ~/.config/code-server/config.yaml.
version_of() { "$BIN" --config "$PREFIX/config.yaml" --version 2>/dev/null | grep -E "^[0-9]" | head -n1; }

if [ -x "$BIN" ] && version_of | grep -q "^$VERSION"; then
  echo "code-server $VERSION already installed in $PREFIX"
  exit 0
fi

RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  echo "install-code-server: ripgrep (rg) is required; install the Debian package 'ripgrep'." >&2
  exit 1
fi

# @vscode/ripgrep 1.15.11 downloads this archive from GitHub unless its cache already holds it.
TMP="${TMPDIR:-/tmp}"
CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
ARCHIVE="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$ARCHIVE" ]; then
  mkdir -p "$CACHE"
  STAGE="$(mktemp -d)"
  cp "$RG" "$STAGE/rg"
  tar -czf "$ARCHIVE" -C "$STAGE" rg
  rm -rf "$STAGE"
fi

mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{ "name": "code-server-tools", "private": true }' > "$PREFIX/package.json"
echo "Installing code-server $VERSION into $PREFIX (about a minute)..."
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "code-server@$VERSION"
version_of
