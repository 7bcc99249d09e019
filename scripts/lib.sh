# Sourced by scripts/tour and scripts/test: install what is missing, then
# configure and build with the default preset. Safe to run again: it installs
# nothing that is there and the build is incremental.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

#! [packages]
# Debian 12 packages needed to build, run and read (scripts/tour installs them):
PACKAGES=(
  g++ cmake ninja-build python3                  # build
  libboost-dev libcli11-dev nlohmann-json3-dev   # Boost headers, CLI11, JSON
  libgtest-dev libbenchmark-dev                  # GoogleTest, Google Benchmark
  doxygen graphviz doxygen-awesome-css libjs-lunr  # the tutorial site and its full-text search
  gnuplot-nox                                    # chapter 7's plots
  openmpi-bin libopenmpi-dev iproute2            # chapter 8: MPI, hosts made of namespaces
  libtbb-dev python3-numba                       # chapter 9: oneTBB, Numba
  gcc-12-offload-nvptx                           # chapter 11: OpenMP offload to NVIDIA GPUs
)
#! [packages]
#! [test_packages]
# ... and what only the tests need (scripts/test installs both lists):
TEST_PACKAGES=(
  clang-format                                   # the sources' format
  clang-14 libomp-14-dev lld-14                  # the asan preset; chapter 9 under TSan (Archer)
  chromium fonts-liberation                      # the site's checks in a browser
)
#! [test_packages]

# stage NAME COMMAND...: runs COMMAND, then prints how long it took; where
# PTUT_STAGE_TIMES names a file (.ci/run's), appends "NAME<tab>SECONDS" to it.
stage() {
  local name=$1 started=$SECONDS took
  shift
  echo "==> $name: $*"
  "$@"
  took=$((SECONDS - started))
  echo "==> $name: done in ${took} s"
  if [ -n "${PTUT_STAGE_TIMES:-}" ]; then
    printf '%s\t%d\n' "$name" "$took" >>"$PTUT_STAGE_TIMES"
  fi
}

# shm_snapshot FILE: the names in /dev/shm now, sorted, into FILE.
shm_snapshot() { ls -A /dev/shm | sort >"$1"; }

# nothing_left_in_shm FILE: fails, naming them, if /dev/shm holds names that the
# snapshot FILE did not. A suite must leave nothing there: not the chapters'
# segments and queues, nor the registrations that LLVM's OpenMP runtime (the clang
# build's libomp) makes for every process, /dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>.
nothing_left_in_shm() {
  local left
  left=$(comm -13 "$1" <(ls -A /dev/shm | sort))
  if [ -n "$left" ]; then
    echo "left in /dev/shm by the suite:" >&2
    echo "$left" >&2
    return 1
  fi
  echo "nothing left in /dev/shm"
}

# ensure_packages PACKAGE...: installs those of them that are missing.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
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
  echo "==> Installing ${#missing[@]} missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  stage "packages: update the lists" "${sudo[@]}" apt-get update -qq
  # Progress: one line per package as apt unpacks and sets it up.
  stage "packages: install" "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    -o Dpkg::Progress-Fancy=0 "${missing[@]}"
}

# build_default [TARGET...]: configure (once) and build the default preset: every
# target, or only those named.
build_default() {
  cd "$ROOT"
  if [ ! -f build/build.ninja ]; then
    stage "default: configure" cmake --preset default
  fi
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  stage "default: build" cmake --build --preset default "${targets[@]}"
}
