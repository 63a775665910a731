#!/usr/bin/env bash
# The Redis token store is tested against a real redis-server: install Debian's when it is missing.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
echo "redis-server is missing: installing Debian's redis-server for the token-store tests" >&2
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null
else
  echo "cannot install redis-server (not root, no sudo): install it yourself, e.g. apt-get install redis-server" >&2
  exit 1
fi
