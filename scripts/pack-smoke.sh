#!/usr/bin/env bash
# Packs typed-batch, installs the tarball into a fresh project under .tmp/pack-smoke/, and
# type-checks and runs one program there twice: as ESM (.mts) and as CommonJS (.cts, compiled to
# require() calls, which Node >= 20.19 resolves to the ESM build). The program drives the emulator
# from `typed-batch/testing` through typed-batch's client: account, pool, job, task, settle.
# Usage: scripts/pack-smoke.sh   (after npm run build; uses the registry or the npm cache)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
tsc="$repo/node_modules/typescript/bin/tsc"
work="$repo/.tmp/pack-smoke"
rm -rf "$work"
mkdir -p "$work/project"

tarball="$(npm pack --silent --pack-destination "$work")"
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) kB)"

cd "$work/project"
cat > package.json <<'JSON'
{ "name": "typed-batch-pack-smoke", "private": true, "version": "0.0.0" }
JSON
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work/$tarball" "@types/node@^20.19.0" >/dev/null
echo "installed into $work/project ($(ls node_modules | wc -l) top-level packages)"

# The example: the same program body for both module systems.
body() {
cat <<'TS'
  const emulator = await startEmulator();
  try {
    const storageId = emulator.createStorageAccount("renderstore");
    const ids = emulator.createIdentity("worker");
    emulator.grantRole({ principalId: ids.principalId, role: "Storage Blob Data Reader", scope: storageId });
    emulator.seedBlob("renderstore", "inputs", "scene/frame-1.txt", "frame data");
    const worker = userAssignedIdentity(ids.resourceId, "worker");
    const account = batchAccount("acct", { location: emulator.location })
      .withSystemAssignedIdentity()
      .withAutoStorage({ storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
      .build();
    const render = pool("render", account)
      .withIdentities(worker)
      .withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } })
      .build();
    const frames = job("frames", render).build();
    const frame = task("frame-1", frames)
      .withCommandLine("render.sh 1")
      .withResourceFile(resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" }))
      .build();
    const client = createBatchClient(emulator.clientConfigFor("acct"));
    await client.accounts.createOrUpdate(account);
    await client.pools.create(render);
    await client.jobs.create(frames);
    await client.tasks.add(frame);
    emulator.settle();
    const files = emulator.taskFiles("acct", "frames", "frame-1");
    if (!files.includes("wd/scene/frame-1.txt")) throw new Error(`resource file not downloaded: ${files.join(", ")}`);
    console.log(`${kind}: task ran, ${files.filter((f) => f.startsWith("wd/")).join(", ")} downloaded`);
  } finally {
    await emulator.stop();
  }
TS
}
imports='batchAccount, createBatchClient, job, pool, resourceFile, task, userAssignedIdentity'

{ echo "import { $imports } from \"typed-batch\";"
  echo 'import { startEmulator } from "typed-batch/testing";'
  echo 'const kind = "esm";'
  body
} > run.mts

{ echo "import { $imports } from \"typed-batch\";"        # compiled to require("typed-batch") in a .cts
  echo 'import { startEmulator } from "typed-batch/testing";'
  echo 'const kind = "cjs";'
  echo 'async function main(): Promise<void> {'
  body
  echo '}'
  echo 'main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });'
} > run.cts

cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "skipLibCheck": false,
    "types": ["node"],
    "outDir": "out"
  },
  "files": ["run.mts", "run.cts"]
}
JSON
node "$tsc" -p tsconfig.json
grep -q 'require("typed-batch")' out/run.cjs || { echo "run.cjs does not require() typed-batch"; exit 1; }
node out/run.mjs
node out/run.cjs
# And plain require() from a CommonJS script, no TypeScript involved.
node -e 'const tb = require("typed-batch"); const t = require("typed-batch/testing");
  if (typeof tb.pool !== "function" || typeof t.startEmulator !== "function") throw new Error("require() lost exports");
  console.log("require(): ok,", Object.keys(tb).length, "exports")'
echo "pack smoke: ok"
