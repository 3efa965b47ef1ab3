#!/usr/bin/env bash
# Install what the test suite needs on a fresh machine, then run every test.
# Used as-is by CI (.ci/run) and by developers: `bash tests/run.sh [pytest args]`.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)  # Debian's nodejs comes without it
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# axe-core (accessibility checks in the browser tests), pinned in tests/package.json.
if [ ! -f tests/node_modules/axe-core/axe.min.js ]; then
  (cd tests && npm install --no-audit --no-fund --silent)
fi

exec python3 -m pytest "$@"
