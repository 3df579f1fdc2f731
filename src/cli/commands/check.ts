import { type Command, Option } from "commander";
import { diagnoseDeployment } from "../../diagnose/diagnose.js";
import { type Deployment, emptyDeployment, type FileFinding, mergeDeployment } from "../../diagnose/inputs/model.js";
import type { Finding } from "../../errors/issue.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatFileFindings, formatSummary } from "../format-findings.js";
import { type SarifFile, sarifLog } from "../format-sarif.js";
import type { Io } from "../io.js";
import { readInput, readParameters, stdinName } from "../read-input.js";

/**
 * `typed-batch check FILE... [--format text|json|sarif] [--json] [--parameters FILE] [--each]`:
 * every file is read (bundles, Batch REST bodies, ARM templates, Terraform plans), all of them
 * joined into one deployment (or each alone with `--each`), and checked offline.
 * Exit codes: see `exit-codes.ts`.
 */

/** Output formats of `check`. */
export const checkFormats = ["text", "json", "sarif"] as const;

/** Options of `check`. */
export interface CheckOptions {
  /** Same as `format: "json"`. @default false */
  readonly json?: boolean;
  /** `text` for people, `json` (`{ "findings": [...] }`), `sarif` (SARIF 2.1.0). @default "text" */
  readonly format?: (typeof checkFormats)[number];
  /** An ARM parameters file for the templates given. @default none (parameters take their defaultValue) */
  readonly parameters?: string;
  /** Check every file alone, not as one deployment. @default false */
  readonly each?: boolean;
}

export type { FileFinding };

interface Usable {
  readonly shown: string;
  readonly deployment: Deployment;
  readonly sarif: SarifFile;
}

/**
 * Checks every file and reports; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCheck(["pool.json", "job.json"], { format: "sarif" }, processIo());
 * ```
 */
export async function runCheck(files: readonly string[], options: CheckOptions, io: Io): Promise<ExitCode> {
  const format = options.json === true ? "json" : (options.format ?? "text");
  let parameters: Readonly<Record<string, unknown>> = {};
  if (options.parameters !== undefined) {
    const read = await readParameters(options.parameters);
    if (!read.ok) {
      io.err(`typed-batch: ${options.parameters}: ${read.reason}`);
      return exitCodes.unusableInput;
    }
    parameters = read.values;
  }
  const usable: Usable[] = [];
  let unusable = 0;
  for (const file of files) {
    const shown = file === stdinName ? "(stdin)" : file;
    const read = await readInput(file, shown, { parameters });
    if (!read.ok) {
      unusable++;
      io.err(`typed-batch: ${shown}: ${read.reason}`);
      continue;
    }
    const locate = read.deployment.locators.get(shown);
    usable.push({ shown, deployment: read.deployment, sarif: { name: shown, text: read.text, ...(locate && { locate }) } });
  }
  const findings: FileFinding[] = [];
  if (options.each === true) {
    for (const u of usable) for (const f of diagnoseDeployment(u.deployment)) findings.push(f);
  } else {
    const joined = emptyDeployment();
    for (const u of usable) mergeDeployment(joined, u.deployment);
    for (const f of diagnoseDeployment(joined)) findings.push(f);
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  if (format === "json") io.json({ findings });
  else if (format === "sarif") io.json(sarifLog(findings, usable.map((u) => u.sarif)));
  else {
    const byFile = new Map<string, Finding[]>(usable.map((u) => [u.shown, []]));
    for (const { file, ...f } of findings) byFile.get(file)?.push(f);
    // One write per file: half a million small writes cost more than the checks.
    for (const [file, list] of byFile) io.out(formatFileFindings(file, list, io.color).join("\n"));
    io.out(formatSummary({ files: files.length, unusable, errors, warnings: findings.length - errors }, io.color));
  }
  if (unusable > 0) return exitCodes.unusableInput;
  return errors > 0 ? exitCodes.findings : exitCodes.ok;
}

/**
 * Registers `check` on the program.
 *
 * @example
 * ```ts
 * registerCheck(program, processIo());
 * ```
 */
export function registerCheck(program: Command, io: Io): void {
  program
    .command("check")
    .description("check Azure Batch configuration (REST bodies, ARM templates, Terraform plans) for managed-identity mistakes, offline")
    .argument(
      "<file...>",
      "bundles, Batch REST bodies (ARM account/pool create or update; pool, job, job schedule, task, task collection, upload-logs), ARM deployment templates, Terraform plan JSON; - reads standard input",
    )
    .addOption(new Option("--format <format>", "output format").choices(checkFormats).default("text"))
    .option("--json", "same as --format json: print { \"findings\": [...] } and nothing else on standard output")
    .option("--parameters <file>", "an ARM parameters file for the templates given")
    .option("--each", "check every file alone instead of as one deployment")
    .addHelpText(
      "after",
      "\nAll files of one run form one deployment: a job in one file is checked against the pool in another.\nExit codes: 0 no error findings, 1 error findings, 2 input that cannot be read (missing file, invalid JSON, an unrecognised document).",
    )
    .action(async (files: string[], options: CheckOptions) => {
      process.exitCode = await runCheck(files, options, io);
    });
}
