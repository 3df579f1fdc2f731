/**
 * addMany of 100,000 tasks (SCALE_TASKS) with 10% faults of each kind (413, 429, 503, dropped
 * connections) and 10% per-task server errors, against the emulator in another process: nothing lost,
 * nothing added twice, retained client heap flat once the in-flight window is full.
 * Build and run: `npm run build && node node_modules/typescript/bin/tsc -p tsconfig.scripts.json && node build/scripts/faults-100k.js`.
 */
import { bufferedCost, runFaults } from "../test/scale/run-faults.js";

const count = Number(process.env.SCALE_TASKS ?? 100_000);
const MB = 1024 * 1024;
const r = await runFaults(count, { seed: Number(process.env.SCALE_SEED ?? 11) });
const buffered = bufferedCost(count);
const half = Math.floor(r.retainedSeries.length / 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const firstHalf = Math.max(...r.retainedSeries.slice(0, half));
const secondHalf = median(r.retainedSeries.slice(half));
const checks: Array<[string, boolean]> = [
  ["no task failed", r.failed === 0],
  ["every task reported added", r.added === count],
  ["every task listed once", r.listed === count && r.distinct === count && r.missing === 0],
  ["413, 429 and 503 all injected", ["413", "429", "503"].every((s) => (r.statuses[s] ?? 0) > 0)],
  ["retained heap flat: second half's median at the first half's level", secondHalf < firstHalf * 1.25 + MB],
  ["retained heap peak under a third of the cost of holding the tasks", r.retainedGrowth < buffered / 3],
];
console.log(
  `${count} tasks in ${(r.ms / 1000).toFixed(1)} s (${Math.round(count / (r.ms / 1000))} tasks/s); addtaskcollection statuses ${JSON.stringify(r.statuses)}\n` +
    `listed ${r.listed}, distinct ${r.distinct}, missing ${r.missing}, failed ${r.failed}\n` +
    `retained heap growth: peak ${(r.retainedGrowth / MB).toFixed(1)} MB; series ${r.retainedSeries.map((b) => (b / MB).toFixed(1)).join(" ")}\n` +
    `peak heap growth with garbage ${(r.peakGrowth / MB).toFixed(1)} MB; holding ${count} built tasks would retain ${(buffered / MB).toFixed(1)} MB`,
);
for (const [name, ok] of checks) console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
