import { type Command, InvalidArgumentError, Option } from "commander";
import { exitCodes } from "../exit-codes.js";
import type { Io } from "../io.js";

/**
 * `typed-batch emulator [--port N] [--host 127.0.0.1] [--state-dir DIR] [--seed S]`: the local Azure
 * emulator as a long-running server for clients in any language (Python SDK, Azure CLI, .NET,
 * Node). It prints where everything is, writes `emulator.env` and `emulator.json` (mode 0600) into
 * the state directory, and stops cleanly on SIGINT or SIGTERM. It never prints a secret: the client
 * secret is only in the two files. Guide: docs/emulator.md. The server is loaded on first use.
 */

/** Options of `emulator`. */
export interface EmulatorCliOptions {
  /** HTTPS port. @default the last run's port with --state-dir, else a free one */
  readonly port?: number;
  /** Address to bind. @default "127.0.0.1" */
  readonly host: string;
  /** State and connection files directory. @default a temporary directory, removed on stop */
  readonly stateDir?: string;
  /** Seed of the pseudo-random streams. @default 1 */
  readonly seed?: number;
  /** `info` prints the summary; `debug` adds one line per request; `quiet` prints only errors. @default "info" */
  readonly logLevel: "quiet" | "info" | "debug";
}

const integer = (name: string, min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
  return n;
};

/**
 * Starts the server and resolves when it has stopped (after SIGINT or SIGTERM).
 *
 * @example
 * ```ts
 * process.exitCode = await runEmulator({ host: "127.0.0.1", stateDir: ".emulator", logLevel: "info" }, processIo());
 * ```
 */
export async function runEmulator(options: EmulatorCliOptions, io: Io): Promise<number> {
  const started = performance.now();
  const { startStandalone } = await import("../../testing/standalone/start.js");
  const { describe } = await import("../../testing/standalone/connection-files.js");
  const level = options.logLevel;
  let server;
  try {
    server = await startStandalone({
      host: options.host,
      ...(options.port !== undefined && { port: options.port }),
      ...(options.stateDir !== undefined && { stateDir: options.stateDir }),
      ...(options.seed !== undefined && { seed: options.seed }),
      log: (lineLevel, line) => {
        if (lineLevel === "warn") io.err(`typed-batch emulator: ${line}`);
        else if (level === "debug" || (lineLevel === "info" && level === "info")) io.out(line);
      },
    });
  } catch (error) {
    io.err(`typed-batch emulator: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.unusableInput;
  }
  if (level !== "quiet") {
    io.out(describe(server.info));
    io.out(`  started in          ${Math.round(performance.now() - started)} ms; stop with Ctrl-C (SIGINT) or SIGTERM`);
  }
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      running.stop().then(
        () => {
          if (level !== "quiet") io.out(`typed-batch emulator stopped (${signal})`);
          resolve();
        },
        (error: unknown) => {
          io.err(`typed-batch emulator: stop failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve();
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return exitCodes.ok;
}

/**
 * Registers `emulator`.
 *
 * @example
 * ```ts
 * registerEmulator(program, processIo());
 * ```
 */
export function registerEmulator(program: Command, io: Io): void {
  program
    .command("emulator")
    .description("run the local Azure Batch emulator (ARM, Batch, Blob, IMDS, Entra-shaped tokens) as a server for any client")
    .option("--port <n>", "HTTPS port (default: the last run's with --state-dir, else a free one)", integer("--port", 0, 65535))
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--state-dir <dir>", "keep state and write emulator.env/emulator.json here (default: a temporary directory)")
    .option("--seed <s>", "seed of the pseudo-random streams", integer("--seed", 0, 2 ** 32 - 1))
    .addOption(new Option("--log-level <level>", "quiet, info, or debug (one line per request)").choices(["quiet", "info", "debug"]).default("info"))
    .addHelpText("after", "\nThe client secret is written to DIR/emulator.env and DIR/emulator.json (mode 0600), never printed.\nGuide: docs/emulator.md")
    .action(async (options: EmulatorCliOptions) => {
      process.exitCode = await runEmulator(options, io);
    });
}
