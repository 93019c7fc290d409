#!/usr/bin/env bash
# Builds and runs the firmware's host-side unit tests with g++ (C++17).
#
#   bash firmware/test/run.sh            all tests
#   bash firmware/test/run.sh backoff    only tests whose names contain "backoff"
#
# The board-independent sources in firmware/power_monitor/ are compiled exactly
# as the sketch uses them; firmware/test/stubs/ stands in for the few ESP-IDF
# headers they include. Output goes to firmware/build/ (git-ignored). The last
# line is "N passed, M failed"; the exit code is non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
firmware="$(dirname "$here")"
sketch="$firmware/power_monitor"
build="$firmware/build/host-tests"
mkdir -p "$build"

cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "firmware host tests: $cxx not found (install g++ to run them)" >&2
  exit 2
fi

common=(-std=c++17 -g -O1 -I "$here/stubs")
# The firmware sources get the strict warnings: what is sloppy here is usually
# a bug on a 32-bit microcontroller too.
strict=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror)
tests=(-Wall -Wextra -Werror)

# AddressSanitizer and UBSan catch buffer overruns and overflow in the
# string-handling code; use them where the toolchain has them.
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
if ! echo 'int main() { return 0; }' | "$cxx" "${sanitize[@]}" -x c++ - -o "$build/sanitizer-probe" >/dev/null 2>&1; then
  echo "firmware host tests: sanitizers unavailable, building without them"
  sanitize=()
fi

# Compile every file in parallel; any failure stops the run after all finish.
objects=()
pids=()
compile() {  # flags... -- source object
  local flags=()
  while [[ "$1" != "--" ]]; do flags+=("$1"); shift; done
  "$cxx" "${flags[@]}" -c "$2" -o "$3"
}
for source in "$sketch"/*.cpp; do
  object="$build/sketch-$(basename "${source%.cpp}").o"
  compile "${common[@]}" "${strict[@]}" "${sanitize[@]}" -- "$source" "$object" &
  pids+=($!)
  objects+=("$object")
done
for source in "$here"/*.cpp; do
  object="$build/test-$(basename "${source%.cpp}").o"
  compile "${common[@]}" "${tests[@]}" "${sanitize[@]}" -- "$source" "$object" &
  pids+=($!)
  objects+=("$object")
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
if [[ "$failed" != 0 ]]; then
  echo "firmware host tests: compilation failed" >&2
  exit 1
fi
"$cxx" "${sanitize[@]}" "${objects[@]}" -o "$build/run-tests"

exec "$build/run-tests" "$@"
