import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Runs the compiled CLI as a child process, the way users do. */

/** The compiled bin. */
export const cliPath = fileURLToPath(new URL("../../../dist/cli/main.js", import.meta.url));

/** The fixture corpus. */
export const bundlesDir = fileURLToPath(new URL("../../fixtures/bundles/", import.meta.url));

/** A finished run. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Standard input. @default "" */
  readonly input?: string;
  /** Node options placed before the bin (e.g. `--import` a hook). @default [] */
  readonly nodeArgs?: readonly string[];
  /** Extra environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `node dist/cli/main.js ...args` with colours off. */
export function runCli(args: readonly string[], options: RunOptions = {}): CliRun {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath, ...args], {
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stack trace line as Node prints them. */
export const stackLine = /^\s+at .+(:\d+:\d+\)?|\(node:)/m;
