#!/bin/sh
# The browser tests and static image export need Debian's Chromium. Install it when missing.
set -eu
for candidate in "${DNVIZ_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exit 0
  fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "dnviz: installing Debian's chromium for the browser tests (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "dnviz: the browser tests need Chromium. Install it with: sudo apt-get install chromium" >&2
echo "       (or point DNVIZ_CHROMIUM at a Chromium binary)." >&2
exit 1
