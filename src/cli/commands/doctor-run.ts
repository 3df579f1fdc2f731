import { readFile } from "node:fs/promises";
import { BatchManagementClient } from "@azure/arm-batch";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { createBatchClient } from "../../client/batch-client.js";
import { managementScope } from "../../client/sdk-clients.js";
import type { DoctorProgress } from "../../doctor/doctor.js";
import type { Finding } from "../../errors/issue.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatFileFindings } from "../format-findings.js";
import type { Io } from "../io.js";
import type { DoctorCliOptions } from "./doctor.js";

/**
 * The implementation of `typed-batch doctor`, loaded only when the command runs (it loads the
 * Azure SDKs). Failures that stop the check (sign-in, account not found, unreachable endpoint) are
 * exit 2 with one line on standard error and no stack trace.
 */

/** A credential that hands out tokens read from a file or TYPED_BATCH_TEST_TOKEN: one token, or a JSON object of scope → token. */
function staticCredential(text: string): TokenCredential {
  const trimmed = text.trim();
  // Named like @azure/identity's error so the command reports it as a sign-in failure (exit 2).
  const unavailable = (message: string) => Object.assign(new Error(message), { name: "CredentialUnavailableError" });
  let byScope: Record<string, string> | undefined;
  if (trimmed.startsWith("{")) {
    try {
      byScope = JSON.parse(trimmed) as Record<string, string>;
    } catch {
      throw unavailable("the test token is neither a token nor a JSON object of scope to token");
    }
  }
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? (scopes[0] ?? "") : scopes;
      const token = byScope === undefined ? trimmed : byScope[scope];
      if (typeof token !== "string" || token === "") throw unavailable(`the test token has no token for scope ${scope}`);
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

async function credentialOf(options: DoctorCliOptions): Promise<TokenCredential> {
  if (options.tokenFile !== undefined) return staticCredential(await readFile(options.tokenFile, "utf8"));
  const fromEnv = process.env["TYPED_BATCH_TEST_TOKEN"];
  if (fromEnv !== undefined && fromEnv !== "") return staticCredential(fromEnv);
  return new DefaultAzureCredential();
}

/** One line saying why the doctor could not run, or undefined for a bug. */
function cannotRun(error: unknown, options: DoctorCliOptions): string | undefined {
  const e = error as { statusCode?: number; code?: string; name?: string; message?: string };
  if (e.statusCode === 404) return `Batch account '${options.account}' (or pool '${options.pool ?? ""}') not found in resource group '${options.resourceGroup}' of subscription '${options.subscription}' (${e.code ?? "NotFound"})`;
  if (e.statusCode === 401 || e.statusCode === 403) return `Azure refused the request (HTTP ${e.statusCode} ${e.code ?? ""}): sign in with an identity that can read the Batch account (az login)`;
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError" || e.name === "AggregateAuthenticationError") return `could not sign in: ${(e.message ?? "").split("\n")[0] ?? ""}`;
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "REQUEST_SEND_ERROR" || e.code === "ETIMEDOUT") return `could not reach Azure (${e.code}): ${e.message ?? ""}`;
  if (e.code === "ENOENT" || e.code === "EACCES") return `cannot read file: ${e.message ?? ""}`;
  return undefined;
}

/** Groups findings by what they are about: the account, a pool, a job. */
function groupOf(f: Finding): string {
  const m = /^(account|pools\["[^"]*"\]|jobs\["[^"]*"\])/.exec(f.path);
  return m?.[1] ?? "account";
}

/**
 * Runs the doctor and prints; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runDoctorCommand({ subscription, resourceGroup: "render", account: "acct" }, processIo());
 * ```
 */
export async function runDoctorCommand(options: DoctorCliOptions, io: Io): Promise<ExitCode> {
  const progress = process.stderr.isTTY === true && options.json !== true;
  try {
    const ca = options.caFile === undefined ? undefined : await readFile(options.caFile, "utf8");
    const credential = await credentialOf(options);
    const managementEndpoint = options.managementEndpoint ?? "https://management.azure.com";
    let accountEndpoint = options.accountEndpoint;
    if (accountEndpoint === undefined) {
      const arm = new BatchManagementClient(credential, options.subscription, { endpoint: managementEndpoint, credentialScopes: [managementScope], ...(ca !== undefined && { tlsOptions: { ca } }) });
      const account = await arm.batchAccountOperations.get(options.resourceGroup, options.account);
      accountEndpoint = `https://${account.accountEndpoint ?? ""}`;
    }
    const client = createBatchClient({
      subscriptionId: options.subscription,
      resourceGroup: options.resourceGroup,
      accountName: options.account,
      accountEndpoint,
      credential,
      managementEndpoint,
      ...(ca !== undefined && { tlsCa: ca }),
    });
    const onProgress = (p: DoctorProgress) => process.stderr.write(`\r${io.errColor.dim(`doctor: ${p.step} ${p.done}/${p.total}`)}\u001b[K`);
    const findings = await client.doctor({
      ...(options.pool !== undefined && { pool: options.pool }),
      ...(options.logsContainer !== undefined && { logsContainerUrl: options.logsContainer }),
      ...(progress && { onProgress }),
    });
    if (progress) process.stderr.write("\r\u001b[K");
    const errors = findings.filter((f) => f.severity === "error").length;
    if (options.json === true) {
      io.json({ findings });
    } else {
      const groups = new Map<string, Finding[]>();
      for (const f of findings) groups.set(groupOf(f), [...(groups.get(groupOf(f)) ?? []), f]);
      if (!groups.has("account")) groups.set("account", []);
      for (const [group, items] of [...groups].sort(([a], [b]) => (a === "account" ? -1 : b === "account" ? 1 : a.localeCompare(b)))) {
        for (const line of formatFileFindings(group, items, io.color)) io.out(line);
      }
      const warnings = findings.length - errors;
      io.out(`account '${options.account}': ${errors === 0 ? "no errors" : io.color.red(`${errors} error(s)`)}, ${warnings === 0 ? "no warnings" : io.color.yellow(`${warnings} warning(s)`)}`);
    }
    return errors > 0 ? exitCodes.findings : exitCodes.ok;
  } catch (error) {
    if (progress) process.stderr.write("\r\u001b[K");
    const reason = cannotRun(error, options);
    if (reason === undefined) throw error;
    io.err(`typed-batch doctor: ${reason}`);
    return exitCodes.unusableInput;
  }
}
