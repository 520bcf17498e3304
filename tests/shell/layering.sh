#!/usr/bin/env bash
# The layering rule holds for the tree, and the checker really catches a
# violation: planted copies where an engine includes kernel/ or another
# engine, and where core/ includes an engine, must fail.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tests/layering/check.sh
n=0
t() { n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }

desc="the tree follows the layering rules"
t "$check" "$top"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
plant() { # plant DIR FILE LINE: a minimal tree with one include
  rm -rf "$tmp/tree"; mkdir -p "$tmp/tree/$1"
  printf '%s\n' "$3" >"$tmp/tree/$1/$2"
}
fails() { ! "$check" "$tmp/tree" >/dev/null; }
passes() { "$check" "$tmp/tree" >/dev/null; }

plant ikev2 x.cc '#include "kernel/xfrm/xfrm_kernel.h"'
desc="an engine including kernel/ is caught"; t fails
plant mip6 x.h '#include "ikev2/sa/ike_sa.h"'
desc="an engine including another engine is caught"; t fails
plant core x.h '#include "policy/spd.h"'
desc="core including an engine is caught"; t fails
plant kernel/fake x.cc '#include "ikev2/wire/message.h"'
desc="kernel/ including an engine is caught"; t fails
plant kink x.cc '#include "core/wire/reader.h"'
desc="an engine including core/ passes"; t passes
plant daemon x.cc '#include "kernel/fake/fake_kernel.h"'
desc="daemon/ may include kernel/"; t passes
