#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Debian packages and npm packages the tests need,
# fetches real Django 4.2 and 5.2 next to the system's 3.2, builds, then runs the unit, differential (each
# against every Django version), LSP, Neovim, packaging (npm pack, vsce ls), pre-commit and code-server suites.
set -euo pipefail
cd "$(dirname "$0")/.."

need_debs=()
for pkg in python3-django python3-jinja2 neovim chromium pre-commit ripgrep build-essential libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_debs+=("$pkg")
done
if [ ${#need_debs[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_debs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_debs[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Real Django 4.2 and 5.2 beside the system's 3.2 (cached outside the repository); a version that cannot be
# fetched is announced by the script and its suites are skipped with a message.
echo "Django versions for the test matrix:"
bash scripts/django-versions.sh | sed 's/^/  /'

npm run build --silent
npm run compile-tests --silent

npx mocha
if [ -f out/test/vscode/runInCodeServer.js ]; then
  node out/test/vscode/runInCodeServer.js
fi
