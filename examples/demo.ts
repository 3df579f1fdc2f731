/**
 * `npm run demo`: the article's eight outcomes on the local emulator, raw SDKs versus typed-batch.
 * No Azure account and no network: everything runs against an in-process HTTPS emulator.
 */
import pc from "picocolors";
import { startEmulator } from "typed-batch/testing";
import { runArticleScenarios } from "./article-scenarios.js";

const started = performance.now();
const emulator = await startEmulator();
try {
  console.log(pc.bold("typed-batch demo: the article's two tables on the local Azure Batch emulator\n"));
  for (const outcome of await runArticleScenarios(emulator)) {
    console.log(pc.bold(`${outcome.scenario}`) + pc.dim(`  (${outcome.setup})`));
    console.log(`  raw SDKs:    ${outcome.raw}`);
    const refusedNote = outcome.refused.length > 0 ? pc.green(outcome.typed) : outcome.typed;
    console.log(`  typed-batch: ${refusedNote}`);
    for (const f of outcome.refused) console.log(pc.dim(`               ${f.path}: ${f.message}\n               fix: ${f.fix}`));
    console.log();
  }
  console.log(pc.dim(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s. With the builders, rows 3 and 4 do not even compile; row 2 is stopped by the client's permission preflight (strictPermissions).`));
} finally {
  await emulator.stop();
}
