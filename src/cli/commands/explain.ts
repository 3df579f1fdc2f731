import type { Command } from "commander";
import { explain, explainableCodes } from "../../diagnose/explain.js";
import type { Explanation } from "../../diagnose/explanation.js";
import { describeScenario } from "../../diagnose/scenarios.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { clip, type Io, type Palette } from "../io.js";

/**
 * `typed-batch explain CODE`: what an Azure error code, a pasted log line or a typed-batch
 * finding code means, and what to change. Without an argument, lists the codes it knows.
 */

/** Options of `explain`. */
export interface ExplainOptions {
  /** Print the explanation as JSON. @default false */
  readonly json?: boolean;
}

function formatExplanation(e: Explanation, c: Palette): string[] {
  const lines = [c.bold(e.code), `  ${e.title}`, `  ${c.dim("cause:")} ${e.cause}`];
  for (const scenario of e.scenario ?? []) lines.push(`  ${c.dim(describeScenario(scenario))}`);
  lines.push(`  ${c.dim("fix:")} ${e.fix}`);
  if (e.see !== undefined) lines.push(`  ${c.dim("see:")} ${e.see}`);
  return lines;
}

/**
 * Explains `words` (joined with spaces, so an unquoted log line works) and resolves to the exit code.
 *
 * @example
 * ```ts
 * await runExplain(["ResourceContainerListMiscError"], {}, processIo()); // 0
 * ```
 */
export function runExplain(words: readonly string[], options: ExplainOptions, io: Io): ExitCode {
  const input = words.join(" ");
  if (input.trim() === "") {
    if (options.json === true) io.json({ codes: explainableCodes() });
    else for (const code of explainableCodes()) io.out(code);
    return exitCodes.ok;
  }
  const found = explain(input);
  if (found === undefined) {
    io.err(`typed-batch: no explanation for '${clip(input, 200)}'. Run 'typed-batch explain' for the codes it knows.`);
    return exitCodes.findings;
  }
  if (options.json === true) io.json(found);
  else for (const line of formatExplanation(found, io.color)) io.out(line);
  return exitCodes.ok;
}

/**
 * Registers `explain` on the program.
 *
 * @example
 * ```ts
 * registerExplain(program, processIo());
 * ```
 */
export function registerExplain(program: Command, io: Io): void {
  program
    .command("explain")
    .description("explain an Azure error code or log line, or a typed-batch finding code")
    .argument("[code...]", "a code such as ApplicationPackageError, or a pasted log line; none lists the known codes")
    .option("--json", "print the explanation as JSON")
    .addHelpText("after", "\nExit codes: 0 explained, 1 nothing matched.")
    .action((words: string[], options: ExplainOptions) => {
      process.exitCode = runExplain(words, options, io);
    });
}
