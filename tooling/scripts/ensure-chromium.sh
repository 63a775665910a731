#!/usr/bin/env bash
# The Official Account login is tested in a real browser: install Debian's chromium (driven by playwright-core) when it is missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "chromium is missing: installing Debian's chromium for the browser tests" >&2
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "cannot install chromium (not root, no sudo): install it yourself, e.g. apt-get install chromium" >&2
  exit 1
fi
