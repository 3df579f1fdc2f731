/** Starts `emulator-process.js` as a child and returns its client configuration. */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { EmulatorClientConfig } from "typed-batch/testing";

/** What the child prints. */
export interface ChildEmulator {
  /** The client configuration without its credential (it cannot cross a pipe), plus the world facts. */
  readonly config: Omit<EmulatorClientConfig, "credential"> & { tenantId: string; principalId: string; location: string };
  stop(): Promise<void>;
}

/** Starts the emulator in another process with a per-request latency. */
export async function startChildEmulator(latencyMs: number, accountName = "bench"): Promise<ChildEmulator> {
  const script = fileURLToPath(new URL("./emulator-process.js", import.meta.url));
  const profile = process.env.BENCH_PROFILE_EMULATOR ? ["--cpu-prof", "--cpu-prof-dir=.tmp/prof"] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, script, String(latencyMs), accountName], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  return {
    config: JSON.parse(first),
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}
