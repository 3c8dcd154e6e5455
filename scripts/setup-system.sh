#!/usr/bin/env bash
# System packages the project needs, installed idempotently (.ci/run runs this before the tests):
# - WebGPU in Node (Dawn, the `webgpu` npm package) runs on Mesa's lavapipe Vulkan driver when there
#   is no GPU; Dawn needs Mesa ≥ 24, which Debian 12 has in bookworm-backports.
# - The browser tests drive Debian's chromium through playwright-core (WebGPU through SwiftShader);
#   no browser is downloaded by npm.
# - Headless PNGs of the viewer (resvg) draw their text in DejaVu Sans (fonts-dejavu-core).
# - The README's Python that expands compress.model's compact weights is run by a test (and the
#   benchmarks compare with NumPy): Debian's python3 with python3-numpy, python3-scipy, python3-pywt.
# - The job-queue tests start their own Redis (redis-server on 127.0.0.1, a free port) and stop it
#   by its PID; Debian's redis-server package provides the program (no service is enabled here).
set -euo pipefail
mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
need_mesa=0
v=$(mesa_version)
if [ -z "$v" ] || dpkg --compare-versions "$v" lt 24; then need_mesa=1; fi
need_chromium=0
[ -x /usr/bin/chromium ] || need_chromium=1
need_fonts=0
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_fonts=1
need_python=0
/usr/bin/python3 -c 'import numpy, scipy, pywt' 2>/dev/null || need_python=1
need_redis=0
[ -x /usr/bin/redis-server ] || need_redis=1
if [ "$need_mesa$need_chromium$need_fonts$need_python$need_redis" != 00000 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: missing system packages (mesa-vulkan-drivers ≥ 24: have ${v:-none}; chromium: $([ $need_chromium = 1 ] && echo missing || echo present); fonts-dejavu-core: $([ $need_fonts = 1 ] && echo missing || echo present); python3 numpy/scipy/pywt: $([ $need_python = 1 ] && echo missing || echo present); redis-server: $([ $need_redis = 1 ] && echo missing || echo present)); run this script as root" >&2
    exit 1
  fi
  src=/etc/apt/sources.list.d/bookworm-backports.sources
  if [ "$need_mesa" = 1 ] && [ ! -f "$src" ]; then
    cat > "$src" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq
  if [ "$need_mesa" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers; fi
  if [ "$need_chromium" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi
  if [ "$need_fonts" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; fi
  if [ "$need_python" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy python3-scipy python3-pywt; fi
  if [ "$need_redis" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; fi
fi
echo "setup-system: mesa-vulkan-drivers $(mesa_version), $(/usr/bin/chromium --version 2>/dev/null | head -c 60), $(/usr/bin/redis-server --version 2>/dev/null | cut -d' ' -f1-3)"
