import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import type { Io } from "../io.js";

/**
 * `typed-batch verify-identity --identity ID [--blob-url URL] [--client-id GUID]`: on a compute
 * node, the article's manual token check (IMDS token, client id, Get Blob), each outcome explained.
 * Exit 0 when every step passes, 1 when one fails, 2 when IMDS (or the blob) cannot be reached or
 * the input is unusable. The token is never printed. The implementation loads no Azure SDK unless
 * the pool is read from ARM (`--subscription --resource-group --account --pool`).
 */

/** Options of `verify-identity`. */
export interface VerifyIdentityCliOptions {
  /** Identity resource id. @default none (IMDS picks the only identity) */
  readonly identity?: string;
  /** Blob to read. @default none */
  readonly blobUrl?: string;
  /** The pool's clientId for the identity. @default read from the pool when the pool options are given, else not compared */
  readonly clientId?: string;
  /** For reading the clientId from the pool. @default none */
  readonly subscription?: string;
  /** For reading the clientId from the pool. @default none */
  readonly resourceGroup?: string;
  /** For reading the clientId from the pool. @default none */
  readonly account?: string;
  /** For reading the clientId from the pool. @default none */
  readonly pool?: string;
  /** Print the result as JSON. @default false */
  readonly json?: boolean;
  /** Extra CA (PEM file) for the blob URL. @default NODE_EXTRA_CA_CERTS / system store */
  readonly caFile?: string;
  /** IMDS base URL. @default AZURE_POD_IDENTITY_AUTHORITY_HOST or http://169.254.169.254 */
  readonly imdsEndpoint?: string;
  /** ARM URL. @default https://management.azure.com */
  readonly managementEndpoint?: string;
}

/** The pool's clientId for `identity`, read through ARM (loads @azure/arm-batch and @azure/identity). */
async function poolClientId(o: VerifyIdentityCliOptions, ca: string | undefined): Promise<string | undefined> {
  if (o.subscription === undefined || o.resourceGroup === undefined || o.account === undefined || o.pool === undefined || o.identity === undefined) return undefined;
  const [{ BatchManagementClient }, { DefaultAzureCredential }, { canonicalIdentityId }] = await Promise.all([import("@azure/arm-batch"), import("@azure/identity"), import("../../identity/resource-id.js")]);
  const arm = new BatchManagementClient(new DefaultAzureCredential(), o.subscription, {
    endpoint: o.managementEndpoint ?? "https://management.azure.com",
    credentialScopes: ["https://management.azure.com/.default"],
    ...(ca !== undefined && { tlsOptions: { ca } }),
  });
  const pool = await arm.poolOperations.get(o.resourceGroup, o.account, o.pool);
  const wanted = canonicalIdentityId(o.identity);
  const hit = Object.entries(pool.identity?.userAssignedIdentities ?? {}).find(([id]) => canonicalIdentityId(id) === wanted);
  return hit?.[1].clientId;
}

/**
 * Runs the check and prints; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runVerifyIdentity({ identity: readerId, blobUrl }, processIo());
 * ```
 */
export async function runVerifyIdentity(options: VerifyIdentityCliOptions, io: Io): Promise<ExitCode> {
  const { verifyIdentity } = await import("../../node/verify-identity.js");
  let ca: string | undefined;
  let clientId = options.clientId;
  try {
    ca = options.caFile === undefined ? undefined : await readFile(options.caFile, "utf8");
    clientId ??= await poolClientId(options, ca);
  } catch (error) {
    const e = error as { message?: string; statusCode?: number };
    io.err(`typed-batch verify-identity: ${e.statusCode !== undefined ? `could not read the pool (HTTP ${e.statusCode})` : `cannot use the input: ${e.message ?? String(error)}`}`);
    return exitCodes.unusableInput;
  }
  if (options.blobUrl !== undefined && !URL.canParse(options.blobUrl)) {
    io.err(`typed-batch verify-identity: --blob-url is not a URL`);
    return exitCodes.unusableInput;
  }
  const result = await verifyIdentity({
    ...(options.identity !== undefined && { identity: options.identity }),
    ...(options.blobUrl !== undefined && { blobUrl: options.blobUrl }),
    ...(clientId !== undefined && { clientId }),
    ...(options.imdsEndpoint !== undefined && { imdsEndpoint: options.imdsEndpoint }),
    ...(ca !== undefined && { ca }),
  });
  if (options.json === true) io.json(result);
  else {
    for (const s of result.steps) io.out(`${s.ok ? io.color.green("ok  ") : io.color.red("FAIL")} ${io.color.bold(s.step)} ${s.code}${s.status !== undefined ? ` (HTTP ${s.status})` : ""}\n     ${s.message}`);
  }
  if (result.unusable) return exitCodes.unusableInput;
  return result.ok ? exitCodes.ok : exitCodes.findings;
}

/**
 * Registers `verify-identity` on the program.
 *
 * @example
 * ```ts
 * registerVerifyIdentity(program, processIo());
 * ```
 */
export function registerVerifyIdentity(program: Command, io: Io): void {
  program
    .command("verify-identity")
    .description("on a compute node: get a storage token for a pool identity from IMDS and try it on a blob")
    .option("--identity <resource-id>", "the pool identity's resource id (mi_res_id); needed when the pool has several")
    .option("--blob-url <url>", "a blob to read with the token")
    .option("--client-id <guid>", "the identity's clientId as the pool shows it")
    .option("--subscription <id>", "with --resource-group, --account, --pool: read the clientId from the pool")
    .option("--resource-group <name>")
    .option("--account <name>")
    .option("--pool <name>")
    .option("--json", "print the result as JSON")
    .option("--ca-file <pem>", "extra CA certificate (PEM) for the blob URL")
    .addOption(new Option("--imds-endpoint <url>").hideHelp())
    .addOption(new Option("--management-endpoint <url>").hideHelp())
    .addHelpText("after", "\nIMDS: AZURE_POD_IDENTITY_AUTHORITY_HOST, else http://169.254.169.254.\nExit codes: 0 every step passed, 1 a step failed, 2 IMDS unreachable or unusable input.")
    .action(async (options: VerifyIdentityCliOptions) => {
      process.exitCode = await runVerifyIdentity(options, io);
    });
}
