// addMany at scale under faults: 20,000 tasks (SCALE_TASKS), 10% of add-collection calls each answered
// 413, 429, 503 or dropped after being applied, plus 10% per-task server errors. Nothing lost, nothing
// added twice, and the client's retained heap stays flat once the in-flight window is full, below
// what holding the tasks would cost. The emulator runs in another process so its own
// storage of the tasks is not counted. scripts/faults-100k.ts runs 100,000.
import { describe, expect, test } from "vitest";
import { bufferedCost, runFaults } from "./run-faults.js";

const count = Number(process.env.SCALE_TASKS ?? 20_000);
const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;


describe("addMany at scale with faults", () => {
  test(`${count} tasks with 10% faults of each kind: exactly once, flat memory`, async () => {
    const small = await runFaults(Math.max(1000, Math.floor(count / 10)), { seed: 12 });
    const big = await runFaults(count, { seed: 11 });
    const buffered = bufferedCost(count);
    console.log(
      `faults at scale: ${big.count} tasks in ${(big.ms / 1000).toFixed(1)} s; statuses ${JSON.stringify(big.statuses)}; ` +
        `retained heap growth ${(big.retainedGrowth / MB).toFixed(1)} MB (vs ${(small.retainedGrowth / MB).toFixed(1)} MB at ${small.count}), peak with garbage ${(big.peakGrowth / MB).toFixed(1)} MB (vs ${(small.peakGrowth / MB).toFixed(1)} MB); holding the tasks would retain ${(buffered / MB).toFixed(1)} MB`,
    );
    console.log(`retained series (MB): ${small.count}: ${small.retainedSeries.map((b) => (b / MB).toFixed(1)).join(" ")}; ${big.count}: ${big.retainedSeries.map((b) => (b / MB).toFixed(1)).join(" ")}`);
    for (const r of [small, big]) {
      expect(r.failed).toBe(0);
      expect(r.added).toBe(r.count);
      expect(r.listed).toBe(r.count);
      expect(r.distinct).toBe(r.count);
      expect(r.missing).toBe(0);
    }
    for (const status of ["413", "429", "503"]) expect(big.statuses[status] ?? 0, status).toBeGreaterThan(0);
    // Flat: retained memory rises while the in-flight window fills (64 chunks of 100 tasks, about
    // 6,400 tasks), then stays level however many tasks follow; buffering would keep rising to `buffered`.
    const series = big.retainedSeries;
    const half = Math.floor(series.length / 2);
    expect(series.length).toBeGreaterThanOrEqual(10);
    // The second half's typical level is the first half's (the window), not higher.
    expect(median(series.slice(half))).toBeLessThan(Math.max(...series.slice(0, half)) * 1.25 + 1 * MB);
    expect(big.retainedGrowth).toBeLessThan(buffered);
  }, 300_000);
});
