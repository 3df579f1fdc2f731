#!/usr/bin/env node
import { CommanderError } from "commander";
import { exitCodes } from "./exit-codes.js";
import { processIo } from "./io.js";
import { createProgram } from "./program.js";

/** Entry point of the `typed-batch` bin: runs the program and turns failures into exit codes. */

/** Exit code of a commander usage error, help or version. */
function commanderExit(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return exitCodes.ok;
  return error.exitCode === 0 ? exitCodes.ok : exitCodes.unusableInput;
}

async function main(): Promise<void> {
  const io = processIo();
  try {
    await createProgram(io).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = commanderExit(error);
      return;
    }
    const detail = error instanceof Error ? error.message : String(error);
    io.err(`typed-batch: internal error: ${detail}`);
    if (process.env["TYPED_BATCH_DEBUG"] === "1" && error instanceof Error && error.stack !== undefined) io.err(error.stack);
    process.exitCode = exitCodes.internal;
  }
}

await main();
