#!/usr/bin/env bash
# Runs the conformance harness against the plugin binary, building the harness if needed.
#   Tests/Conformance/run.sh [scenario...]        (default: base lifecycle recover disk)
#   PLUGIN_BINARY=path GO_API_BINARY=path Tests/Conformance/run.sh demo
#   DEVICE_BINARY=path Tests/Conformance/run.sh device   (nomad-device-swift; default .build/debug)
#   Tests/Conformance/run.sh -validate-hcl examples/*.hcl examples/*.nomad
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="$here/bin/conformance"

# Rebuild when any harness source, fixture-independent input or proto file is newer.
if [ ! -x "$bin" ] || [ -n "$(find "$here/harness" "$here/build.sh" "$repo/proto" -newer "$bin" -print -quit)" ]; then
  "$here/build.sh"
fi

if [ "${1:-}" = "-validate-hcl" ]; then
  shift
  exec "$bin" -validate-hcl "$@"
fi
cd "$repo"

flags=()
scenarios=()
for a in "$@"; do
  case "$a" in
    -*) flags+=("$a") ;;
    *) scenarios+=("$a") ;;
  esac
done
if [ "${#scenarios[@]}" -eq 0 ]; then
  scenarios=(base lifecycle recover disk)
fi
list="$(IFS=,; echo "${scenarios[*]}")"

exec "$bin" -plugin "${PLUGIN_BINARY:-$repo/.build/debug/nomad-driver-swift}" \
  -go-api "${GO_API_BINARY:-$repo/.build/debug/go-api}" \
  -device "${DEVICE_BINARY:-$repo/.build/debug/nomad-device-swift}" \
  -fixtures "$here/fixtures" -scenario "$list" ${flags[@]+"${flags[@]}"}
