#!/usr/bin/env bash
# tests/layering/check.sh [ROOT] — enforce ARCHITECTURE.md's include rules:
#   core/ includes nothing else of ours;
#   engines (ikev2 kink policy mip6) include core/ and themselves only;
#   kernel/ includes core/ and kernel/ only.
# Prints each violation as FILE:LINE: text and exits 1 if there is any.
set -u
root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 2
ours='core|kernel|ikev2|kink|policy|mip6|daemon|tools'
bad=0
check() { # check FOLDER ALLOWED-REGEX
  local dir=$1 allowed=$2
  [ -d "$dir" ] || return 0
  while IFS= read -r hit; do
    inc=$(sed -E 's/.*#include *"([^"/]+)\/.*/\1/' <<<"$hit")
    if ! grep -qxE "$allowed" <<<"$inc"; then echo "$hit"; bad=1; fi
  done < <(grep -rnE "^[[:space:]]*#[[:space:]]*include *\"($ours)/" "$dir" --include='*.h' --include='*.cc' --include='*.hpp' --include='*.cpp' 2>/dev/null)
}
check core 'core'
check kernel 'core|kernel'
for e in ikev2 kink policy mip6; do check "$e" "core|$e"; done
exit $bad
