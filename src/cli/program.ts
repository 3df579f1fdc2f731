import { Command } from "commander";
import { redact } from "../errors/redact.js";
import { registerCheck } from "./commands/check.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerEmulator } from "./commands/emulator.js";
import { registerExplain } from "./commands/explain.js";
import { registerVerifyIdentity } from "./commands/verify-identity.js";
import type { Io } from "./io.js";
import { packageVersion } from "./version.js";

/**
 * The `typed-batch` command. Each subcommand lives in `commands/<name>.ts` and is registered here.
 *
 * `check` and `explain` must not load an Azure SDK (test/cli/no-azure-sdk.test.ts fails if they
 * do): a command that needs one (`doctor`, `verify-identity`) imports it inside its action with
 * `await import(...)`, never at the top of its file.
 */

/**
 * Builds the program with every subcommand.
 *
 * @example
 * ```ts
 * await createProgram(processIo()).parseAsync(["node", "typed-batch", "explain", "ApplicationPackageError"]);
 * ```
 */
export function createProgram(io: Io): Command {
  const program = new Command()
    .name("typed-batch")
    .description("Finds Azure Batch managed-identity mistakes in pool, job and task JSON, and explains Azure's errors.")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpCommand(true)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => process.stdout.write(redact(text)),
      writeErr: (text) => process.stderr.write(redact(text)),
    })
    .exitOverride();
  registerCheck(program, io);
  registerExplain(program, io);
  registerDoctor(program, io);
  registerVerifyIdentity(program, io);
  registerEmulator(program, io);
  return program;
}

