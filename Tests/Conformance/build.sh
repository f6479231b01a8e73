#!/usr/bin/env bash
# Builds the Go conformance harness from Debian's Go packages (GOPATH mode, no network):
# protoc-gen-go, Go message types generated from the repo's proto/ (driver and device), then
# bin/conformance.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gocode=/usr/share/gocode/src

export GO111MODULE=off
export GOPATH="$here/gopath:/usr/share/gocode"
export GOFLAGS=
export GOCACHE="${GOCACHE:-$here/gopath/pkg/cache}"

die() { echo "build.sh: $*" >&2; exit 1; }

command -v go >/dev/null || die "the Go compiler is missing; install it with: sudo apt-get install golang-go"
command -v protoc >/dev/null || die "protoc is missing; install it with: sudo apt-get install protobuf-compiler"
[ -f /usr/include/google/protobuf/duration.proto ] || die "Google's well-known .proto files are missing; install: sudo apt-get install libprotobuf-dev protobuf-compiler"

need() { # need <GOPATH import path> <Debian package>
  [ -d "$gocode/$1" ] || die "Go package $1 is missing; install it with: sudo apt-get install $2"
}
need github.com/golang/protobuf/protoc-gen-go golang-goprotobuf-dev
need github.com/hashicorp/go-plugin golang-github-hashicorp-go-plugin-dev
need github.com/hashicorp/go-hclog golang-github-hashicorp-go-hclog-dev
need google.golang.org/grpc golang-google-grpc-dev
need google.golang.org/genproto/googleapis/rpc/status golang-google-genproto-dev
need github.com/zclconf/go-cty/cty golang-github-zclconf-go-cty-dev
need github.com/hashicorp/hcl/v2 golang-github-hashicorp-hcl-v2-dev

mkdir -p "$here/bin"
echo "build.sh: building protoc-gen-go" >&2
go build -o "$here/bin/protoc-gen-go" github.com/golang/protobuf/protoc-gen-go

# Generated Go lives in the harness GOPATH (ignored by git) under swiftdriver/proto/...
gen="$here/gopath/src"
pkgroot=swiftdriver/proto
rm -rf "${gen:?}/${pkgroot:?}"
mkdir -p "$gen"

# proto file -> Go import path. google/rpc/status.proto maps to genproto's copy, which
# grpc's status package already uses for grpc-status-details-bin.
maps=(
  "google/protobuf/any.proto=github.com/golang/protobuf/ptypes/any"
  "google/protobuf/duration.proto=github.com/golang/protobuf/ptypes/duration"
  "google/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp"
  "google/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty"
  "google/protobuf/wrappers.proto=github.com/golang/protobuf/ptypes/wrappers"
  "google/rpc/status.proto=google.golang.org/genproto/googleapis/rpc/status"
  "plugins/shared/hclspec/hcl_spec.proto=$pkgroot/hclspec"
  "plugins/shared/structs/proto/attribute.proto=$pkgroot/structs"
  "plugins/shared/structs/proto/recoverable_error.proto=$pkgroot/structs"
  "plugins/shared/structs/proto/stats.proto=$pkgroot/structs"
  "plugins/base/proto/base.proto=$pkgroot/base"
  "plugins/drivers/proto/driver.proto=$pkgroot/drivers"
  "plugins/device/proto/device.proto=$pkgroot/device"
)
mopts=""
for m in "${maps[@]}"; do mopts="${mopts}M$m,"; done

gen_one() { # gen_one <Go package dir> <proto files of that package...>
  local pkgdir="$1"; shift
  local tmp; tmp="$(mktemp -d)"
  protoc -I "$repo/proto" -I /usr/include \
    --plugin=protoc-gen-go="$here/bin/protoc-gen-go" \
    --go_out="${mopts%,}:$tmp" "$@"
  mkdir -p "$gen/$pkgroot/$pkgdir"
  find "$tmp" -name '*.pb.go' -exec mv {} "$gen/$pkgroot/$pkgdir/" \;
  rm -rf "$tmp"
}
cd "$repo/proto"
for f in "${maps[@]}"; do
  file="${f%%=*}"; pkg="${f#*=}"
  case "$pkg" in "$pkgroot"/*) ;; *) continue ;; esac
  [ -f "$file" ] || die "proto/$file is missing from the repository"
done
echo "build.sh: generating Go message types from proto/" >&2
# grpc.health.v1 and go-plugin's own plugin.* messages are already registered by the grpc
# and go-plugin packages the harness links (golang/protobuf panics on a second registration),
# so the harness uses grpc's health package and google.protobuf.Empty (same bytes) for those.
gen_one hclspec plugins/shared/hclspec/hcl_spec.proto
gen_one structs plugins/shared/structs/proto/attribute.proto plugins/shared/structs/proto/recoverable_error.proto plugins/shared/structs/proto/stats.proto
gen_one base plugins/base/proto/base.proto
gen_one drivers plugins/drivers/proto/driver.proto
gen_one device plugins/device/proto/device.proto

echo "build.sh: building bin/conformance" >&2
cd "$here/harness"
go vet . >&2 || die "go vet found problems in the harness"
go build -o "$here/bin/conformance" .
echo "build.sh: built $here/bin/conformance" >&2
