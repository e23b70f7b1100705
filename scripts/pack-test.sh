#!/usr/bin/env bash
# Packs focalgrad, installs the tarball into an empty project made by `npm init -y`, and uses it there as a
# user would: import, require, tsc (node16 and bundler), a browser bundle, the focalgrad command.
# Ends with "pack: N passed, N failed" (counted by .ci/run) and exits 1 if anything failed.
# Offline: the tarball has no dependencies, and tsc and esbuild come from this repository's node_modules.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # check NAME COMMAND...: runs the command, shows its output on failure
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    printf '%s\n' "$out" | sed 's/^/     /'
  fi
}

finish() {
  echo "pack: ${passed} passed, ${failed} failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# 1. The tarball: built by prepack, holding the library's build and nothing else.
if ! (cd "$root" && npm pack --silent --pack-destination "$work" >"$work/pack.out" 2>"$work/pack.err"); then
  failed=$((failed + 1))
  echo "FAIL npm pack"
  sed 's/^/     /' "$work/pack.err"
  finish
fi
tarball="$work/$(tail -n 1 "$work/pack.out")"
echo "tarball: $(basename "$tarball"), $(wc -c <"$tarball") bytes, $(tar tzf "$tarball" | grep -vc '/$') files"
only_build() {
  local files stray
  files=$(tar tzf "$tarball")
  stray=$(printf '%s\n' "$files" | grep -v '/$' | grep -Ev '^package/(package\.json|README\.md|LICENSE|dist/(index|train|cli)\.js|dist/cjs/(index|train)\.js|dist/cjs/package\.json|dist/(cjs/)?(index|engine/.*|losses/.*|models/.*|train/.*)\.d\.ts)$')
  [ -z "$stray" ] || { echo "unexpected files in the tarball:"; echo "$stray"; return 1; }
  for f in LICENSE dist/index.js dist/train.js dist/cjs/index.js dist/cjs/train.js dist/cli.js dist/index.d.ts dist/cjs/index.d.ts; do
    printf '%s\n' "$files" | grep -qx "package/$f" || { echo "missing: $f"; return 1; }
  done
}
check "the tarball holds only the build (dist/index.js, dist/cjs/index.js, .d.ts, cli.js) and LICENSE" only_build
no_internals() {
  tar xzf "$tarball" -C "$work" package/dist
  ! grep -rn 'pendingGrad\|visitMark' "$work/package/dist" --include='*.d.ts'
}
check "@internal fields are stripped from the .d.ts files" no_internals

# 2. An empty project, and the tarball installed into it.
app="$work/app"
mkdir -p "$app"
cd "$app" || exit 1
check "npm init -y && npm install <tarball>" bash -c "npm init -y >/dev/null && npm install --no-audit --no-fund --prefer-offline '$tarball' >/dev/null"

# ln 2 and ∓½: cross-entropy of logits [0, 0] with target 0 (p = ½ each).
cat >esm.mjs <<'EOF'
import { crossEntropy, tensor, MLP, rng } from 'focalgrad';
import { imbalancedBlobs, confusionMatrix } from 'focalgrad/train';
const x = tensor([[0, 0]], { requiresGrad: true });
const loss = crossEntropy(x, [0]);
loss.backward();
if (Math.abs(loss.item() - Math.LN2) > 1e-15 || x.grad.data[0] !== -0.5 || x.grad.data[1] !== 0.5) throw new Error(`got ${loss.item()}`);
if (typeof imbalancedBlobs !== 'function' || typeof confusionMatrix !== 'function') throw new Error('focalgrad/train lacks its names');
if (!(MLP.fromSafetensors(new MLP([2, 3], { rng: rng(0) }).toSafetensors()) instanceof MLP)) throw new Error('safetensors');
EOF
check "ESM: import from 'focalgrad' and 'focalgrad/train'" node esm.mjs
cat >cjs.cjs <<'EOF'
const { crossEntropy, tensor } = require('focalgrad');
const { train } = require('focalgrad/train');
const x = tensor([[0, 0]], { requiresGrad: true });
const loss = crossEntropy(x, [0]);
loss.backward();
if (Math.abs(loss.item() - Math.LN2) > 1e-15 || x.grad.data[1] !== 0.5) throw new Error(`got ${loss.item()}`);
if (typeof train !== 'function') throw new Error('focalgrad/train lacks train');
if ('train' in require('focalgrad') || 'escapeXml' in require('focalgrad')) throw new Error('the root export holds trainer names');
EOF
check "CommonJS: require('focalgrad') and 'focalgrad/train' (Node $(node --version), no flags)" node cjs.cjs

# TypeScript: the project is CommonJS (npm init -y), so under node16 index.ts is a CJS module whose imports
# resolve through "require" (TS1479 if only ESM typings existed), and esm.mts through "import".
cat >index.ts <<'EOF'
import { type Tensor, focalLoss, tensor, MLP, rng } from 'focalgrad';
import { train, type TrainConfig } from 'focalgrad/train';
const x: Tensor = tensor([[1, 2, 3]], { requiresGrad: true });
const loss: Tensor = focalLoss(x, [2], { gamma: 2, alpha: 0.25 });
const bytes: Uint8Array = new MLP([2, 3], { rng: rng(0) }).toSafetensors({ dtype: 'F32' });
const config: Partial<TrainConfig> = { epochs: 1 };
export { loss, bytes, config, train };
EOF
cp index.ts esm.mts
tsc() { node "$root/node_modules/typescript/bin/tsc" "$@"; }
common='"strict": true, "noEmit": true, "skipLibCheck": false, "types": [], "lib": ["ES2022"], "target": "ES2022"'
echo "{ \"compilerOptions\": { $common, \"module\": \"node16\", \"moduleResolution\": \"node16\" }, \"files\": [\"index.ts\", \"esm.mts\"] }" >tsconfig.node16.json
echo "{ \"compilerOptions\": { $common, \"module\": \"esnext\", \"moduleResolution\": \"bundler\" }, \"files\": [\"index.ts\"] }" >tsconfig.bundler.json
check "tsc --noEmit, moduleResolution node16 (CJS and ESM files, skipLibCheck off)" tsc -p tsconfig.node16.json
check "tsc --noEmit, moduleResolution bundler" tsc -p tsconfig.bundler.json
cat >browser.mjs <<'EOF'
import { tensor, focalLoss } from 'focalgrad';
console.log(focalLoss(tensor([[1, 2]]), [1]).item());
EOF
check "a browser bundle (esbuild --platform=browser)" "$root/node_modules/.bin/esbuild" browser.mjs --bundle --platform=browser --format=esm --outfile=bundle.js --log-level=warning

# 3. The command.
check "npx focalgrad --help" bash -c "npx --no-install focalgrad --help | grep -q 'focalgrad loss'"
loss_ln2() {
  local out
  out=$(npx --no-install focalgrad loss --kind ce --logits '[[0, 0]]' --target '[0]') || return 1
  echo "$out"
  node -e "const r = JSON.parse(process.argv[1]); if (Math.abs(r.loss - Math.LN2) > 1e-16 || r.grad[0][0] !== -0.5) process.exit(1)" "$out"
}
check "npx focalgrad loss --kind ce --logits '[[0, 0]]' --target '[0]' prints ln 2" loss_ln2
usage_error() {
  npx --no-install focalgrad loss --kind ce --logits '[[0, 0' --target '[0]' 2>err.txt
  [ $? -eq 2 ] && grep -q -- '--logits' err.txt
}
check "npx focalgrad loss with malformed JSON exits 2 naming --logits" usage_error
check "npx focalgrad vectors --out v.json" bash -c "npx --no-install focalgrad vectors --out v.json >/dev/null && node -e \"JSON.parse(require('fs').readFileSync('v.json', 'utf8'))\""

finish
