#!/usr/bin/env bash
# Installs the Debian packages the tests use, and only those that are missing:
#   python3-django   Django 3.2, the oldest version of the test matrix (4.2 and 5.2 come from django-versions.sh)
#   python3-jinja2   the Jinja2 engine for the Jinja template tests
#   neovim           the second real LSP client
#   chromium         the browser playwright-core drives for the code-server suite
#   pre-commit       the pre-commit hook test
#   ripgrep          code-server's search, fed to @vscode/ripgrep so its install needs no download
#   build-essential libkrb5-dev libxkbfile-dev libsecret-1-dev   native modules code-server builds on install
# Prints what it installs; says nothing and changes nothing when everything is there.
set -euo pipefail

packages=(python3-django python3-jinja2 neovim chromium pre-commit ripgrep build-essential libkrb5-dev libxkbfile-dev libsecret-1-dev)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
