/**
 * Start-up of `typed-batch emulator` (issue 17's budget: under 2 s), each sample a fresh process
 * timed from spawn to its ready line ("started in ..."), median of N:
 * - on a fresh state directory (certificate made, `selfsigned` loaded);
 * - restarted on a kept directory (state read back, certificate reused);
 * - through `npx typed-batch emulator` (npm's own start-up included).
 *
 * `node build/bench/runtime/emulator-start.js`; BENCH_EMULATOR_RUNS (default 7). Exits 1 when the
 * fresh-directory median is over the budget.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fixed, machineLine, markdownTable, median } from "../markdown-table.js";

const root = resolve(process.cwd());
const runs = Number(process.env.BENCH_EMULATOR_RUNS ?? 7);
const budgetMs = 2000;

/** Milliseconds from spawn to the ready line; stops the server with SIGTERM and waits for it. */
async function readyMs(command: string, args: readonly string[]): Promise<number> {
  const started = performance.now();
  // A process group of its own, so SIGTERM reaches the server under `npx` too.
  const child = spawn(command, [...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"], detached: true });
  const ms = await new Promise<number>((resolveReady, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
      if (/started in\s+\d+ ms/.test(out)) resolveReady(performance.now() - started);
    });
    child.on("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited ${code} before it was ready:\n${out}`)));
  });
  const group = -(child.pid ?? 0);
  process.kill(group, "SIGTERM");
  // Wait for the whole group (under npx the server outlives npm's process for a moment).
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return ms;
}

async function sample(label: string, make: () => { command: string; args: string[]; cleanup?: () => void }): Promise<[string, number, number, number]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { command, args, cleanup } = make();
    times.push(await readyMs(command, args));
    cleanup?.();
  }
  return [label, median(times), Math.min(...times), Math.max(...times)];
}

const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), "tb-bench-emulator-"));
  return { command: process.execPath, args: ["dist/cli/main.js", "emulator", "--state-dir", dir], cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) };
};
const kept = mkdtempSync(join(tmpdir(), "tb-bench-emulator-kept-"));
await readyMs(process.execPath, ["dist/cli/main.js", "emulator", "--state-dir", kept]); // makes the state and certificate
const rows = [
  await sample("node dist/cli/main.js emulator (fresh state dir)", fresh),
  await sample("node dist/cli/main.js emulator (restart on a kept state dir)", () => ({ command: process.execPath, args: ["dist/cli/main.js", "emulator", "--state-dir", kept] })),
  await sample("npx typed-batch emulator (fresh state dir)", () => {
    const f = fresh();
    return { command: "npx", args: ["typed-batch", ...f.args.slice(1)], cleanup: f.cleanup };
  }),
];
rmSync(kept, { recursive: true, force: true });

console.log(`\n## typed-batch emulator: spawn to ready line, median of ${runs}\n`);
console.log(markdownTable(["case", "median ms", "min ms", "max ms"], rows.map(([label, med, min, max]) => [label, fixed(med, 0), fixed(min, 0), fixed(max, 0)])));
console.log(`\n${await machineLine()}`);
const freshMedian = rows[0]?.[1] ?? Infinity;
console.log(`budget ${budgetMs} ms (fresh state dir): ${freshMedian <= budgetMs ? "within" : "OVER"}`);
if (freshMedian > budgetMs) process.exitCode = 1;
