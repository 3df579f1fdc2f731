import { type Command, Option } from "commander";
import type { Io } from "../io.js";

/**
 * `typed-batch doctor --subscription S --resource-group G --account A [--pool P] [--json]`: the
 * live check. This file only declares the command; the implementation (which loads the Azure
 * SDKs) is imported when the command runs, so `check` and `explain` stay SDK-free.
 *
 * Hidden options for tests and sovereign clouds (documented in docs/doctor.md, not in --help):
 * `--management-endpoint URL`, `--account-endpoint URL`, `--ca-file PEM` (or NODE_EXTRA_CA_CERTS),
 * `--token-file FILE` (or env TYPED_BATCH_TEST_TOKEN): a bearer token, or a JSON object of
 * scope → token, used instead of DefaultAzureCredential. Tokens are never printed.
 */

/** Options of `doctor` as commander parses them. */
export interface DoctorCliOptions {
  /** Subscription id. */
  readonly subscription: string;
  /** Resource group of the Batch account. */
  readonly resourceGroup: string;
  /** Batch account name. */
  readonly account: string;
  /** Only this pool. @default every pool */
  readonly pool?: string;
  /** Print `{ "findings": [...] }` only. @default false */
  readonly json?: boolean;
  /** Container SAS URL for node log upload. @default none */
  readonly logsContainer?: string;
  /** ARM URL. @default "https://management.azure.com" */
  readonly managementEndpoint?: string;
  /** Batch account URL. @default read from the account */
  readonly accountEndpoint?: string;
  /** PEM file of an extra CA. @default none */
  readonly caFile?: string;
  /** Token file. @default none: DefaultAzureCredential */
  readonly tokenFile?: string;
}

/**
 * Registers `doctor` on the program.
 *
 * @example
 * ```ts
 * registerDoctor(program, processIo());
 * ```
 */
export function registerDoctor(program: Command, io: Io): void {
  program
    .command("doctor")
    .description("live check of a Batch account: offline rules on its pools, storage role assignments, node and task failures")
    .requiredOption("--subscription <id>", "subscription id")
    .requiredOption("--resource-group <name>", "resource group of the Batch account")
    .requiredOption("--account <name>", "Batch account name")
    .option("--pool <name>", "check only this pool and its jobs")
    .option("--json", "print { \"findings\": [...] } and nothing else on standard output")
    .option("--logs-container <sas-url>", "container SAS URL (read, write, list) where stuck nodes upload their logs")
    .addOption(new Option("--management-endpoint <url>").hideHelp())
    .addOption(new Option("--account-endpoint <url>").hideHelp())
    .addOption(new Option("--ca-file <pem>").hideHelp())
    .addOption(new Option("--token-file <file>").hideHelp())
    .addHelpText("after", "\nCredentials: DefaultAzureCredential (az login, environment, managed identity).\nExit codes: 0 no error findings, 1 error findings, 2 could not run (arguments, sign-in, account not found).")
    .action(async (options: DoctorCliOptions) => {
      const { runDoctorCommand } = await import("./doctor-run.js");
      process.exitCode = await runDoctorCommand(options, io);
    });
}
