#!/usr/bin/env bash
# Prepares gpu-run/ for the lent GPU machine, which has no Node.js and no Vulkan loader:
# a bundle of bench/webgpu-device.ts, this machine's node binary and the webgpu package's Linux
# binary (both xz-compressed, under the 64 MiB carry limit), and .gl/ with the Vulkan/GL loaders.
# Check the script first on this machine: QUICK=1 node gpu-run/run.mjs (small sizes, lavapipe).
# Both folders stay out of git (.git/info/exclude). Then run, carrying ["gpu-run", ".gl"]:
#   for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig;
#   export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json;
#   cd gpu-run && xz -dc node.xz > node && chmod +x node && tar -xJf webgpu.tar.xz && ./node run.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .git/info
grep -qx 'gpu-run/' .git/info/exclude 2>/dev/null || echo 'gpu-run/' >> .git/info/exclude
grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo '/.gl/' >> .git/info/exclude
[ -f gpu-run/node.xz ] && mv gpu-run/node.xz /tmp/corespace-node.xz
rm -rf gpu-run && mkdir -p gpu-run/node_modules/webgpu/dist/linux-x64
[ -f /tmp/corespace-node.xz ] && mv /tmp/corespace-node.xz gpu-run/node.xz
npx esbuild bench/webgpu-device.ts --bundle --format=esm --platform=node --external:webgpu --outfile=gpu-run/run.mjs
cp node_modules/webgpu/index.js node_modules/webgpu/package.json gpu-run/node_modules/webgpu/
cp node_modules/webgpu/dist/linux-x64/dawn.node gpu-run/node_modules/webgpu/dist/linux-x64/
(cd gpu-run && tar -cJf webgpu.tar.xz node_modules && rm -rf node_modules)
[ -f gpu-run/node.xz ] || xz -9 -T0 -c "$(readlink -f "$(command -v node)")" > gpu-run/node.xz
if [ ! -d .gl ]; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh gpu-run .gl
