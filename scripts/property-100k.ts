/**
 * The guard = behaviour property at 100,000 runs (NUM_RUNS), through vitest so the test file is the
 * one `npm test` runs at 1,000. A fresh emulator every RECYCLE_EVERY (2,000) runs keeps the number of
 * data-plane listeners bounded. PROPERTY_SEED picks the seed (default: the test's).
 * Build and run: `node node_modules/typescript/bin/tsc -p tsconfig.scripts.json && node build/scripts/property-100k.js`.
 */
import { spawnSync } from "node:child_process";

const runs = process.env.NUM_RUNS ?? "100000";
const started = Date.now();
const result = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "test/properties/guard-behaviour.test.ts", "-t", "random configurations"], {
  stdio: "inherit",
  env: { ...process.env, NUM_RUNS: runs },
});
console.log(`property: ${runs} runs, exit ${result.status}, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
process.exit(result.status ?? 1);
