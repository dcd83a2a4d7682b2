#!/usr/bin/env bash
# Debian packages the test suite drives for real: chromium (browser tests) and nginx (the
# reverse-proxy deployment test). Installs the missing ones when this machine allows it (root, or
# password-less sudo, and apt-get); otherwise stops at once with the one command to run.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ "${#missing[@]}" -eq 0 ] && exit 0

install="apt-get update -qq && apt-get install -y -qq ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    sudo="unavailable"
  fi
fi
if [ "$sudo" = unavailable ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "make test needs the Debian packages: ${missing[*]} (not installed)." >&2
  echo "Install them once, then run make test again:" >&2
  echo "    sudo sh -c '$install'" >&2
  exit 1
fi
echo "Installing Debian packages the tests use: ${missing[*]} (about a minute)..."
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
