#!/usr/bin/env bash
# System packages the project needs, installed idempotently (.ci/run runs this before the tests).
# WebGPU in Node (Dawn, the `webgpu` npm package) runs on Mesa's lavapipe Vulkan driver when there
# is no GPU; Dawn needs Mesa ≥ 24, which Debian 12 has in bookworm-backports.
set -euo pipefail
mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
v=$(mesa_version)
if [ -z "$v" ] || dpkg --compare-versions "$v" lt 24; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: mesa-vulkan-drivers ≥ 24 is missing (have: ${v:-none}); run this script as root" >&2
    exit 1
  fi
  src=/etc/apt/sources.list.d/bookworm-backports.sources
  if [ ! -f "$src" ]; then
    cat > "$src" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
fi
echo "setup-system: mesa-vulkan-drivers $(mesa_version)"
