# Sourced by scripts/tour and scripts/test: install what is missing, then
# configure and build with the default preset. Safe to run again: it installs
# nothing that is there and the build is incremental.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages: toolchain, libraries, test tools, the site and its check.
PACKAGES=(
  g++ cmake ninja-build clang-format             # build, and the sources' format
  libboost-dev libcli11-dev nlohmann-json3-dev   # Boost headers, CLI11, JSON
  libgtest-dev libbenchmark-dev                  # GoogleTest, Google Benchmark
  doxygen graphviz doxygen-awesome-css libjs-lunr  # the tutorial site and its full-text search
  gnuplot-nox                                    # chapter 7's plots
  openmpi-bin libopenmpi-dev iproute2            # chapter 8: MPI, and hosts made of network namespaces
  libtbb-dev python3-numba                       # chapter 9: oneTBB (C++17 parallel algorithms), Numba
  clang-14 libomp-14-dev                         # chapter 9 under ThreadSanitizer (LLVM's OpenMP + Archer)
  gcc-12-offload-nvptx                           # chapter 11: OpenMP offload to NVIDIA GPUs
  chromium fonts-liberation python3              # the site's checks
)

ensure_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "error: missing Debian packages (${missing[*]}); run as root or install sudo" >&2
      exit 1
    }
    sudo=(sudo)
  fi
  echo "==> Installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build_default() {
  cd "$ROOT"
  if [ ! -f build/build.ninja ]; then
    echo "==> Configuring (cmake --preset default)"
    cmake --preset default
  fi
  echo "==> Building (cmake --build --preset default)"
  cmake --build --preset default
}
