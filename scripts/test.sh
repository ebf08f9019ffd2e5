#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Debian packages and npm packages the tests need,
# fetches real Django 4.2 and 5.2 next to the system's 3.2, builds, then runs the unit, differential (each
# against every Django version), LSP, Neovim, packaging (npm pack, vsce ls), pre-commit and code-server suites.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Real Django 4.2 and 5.2 beside the system's 3.2 (cached outside the repository); a version that cannot be
# fetched is announced by the script and its suites are skipped with a message.
echo "Django versions for the test matrix:"
bash scripts/django-versions.sh | sed 's/^/  /'

npm run build --silent
npm run compile-tests --silent
# Lint first: a layer crossing or an unused import fails in seconds, before the long suites.
npm run lint --silent
npx prettier --check . --log-level warn

npx mocha
if [ -f out/test/vscode/runInCodeServer.js ]; then
  node out/test/vscode/runInCodeServer.js
fi
