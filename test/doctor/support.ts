// Scenario set-up for the doctor and node tests: real SDK clients against the emulator, and the
// compiled CLI run as a child process without blocking the in-process emulator.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { BatchManagementClient, type Pool } from "@azure/arm-batch";
import { BatchServiceClient, type TaskAddParameter } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import type { Emulator } from "../../src/testing/index.js";
import { cliPath } from "../cli/support/run-cli.js";

export const ROLE = {
  reader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  contributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
} as const;

/** One account with autostorage under BatchAccountManagedIdentity, a worker and an other identity. */
export interface Scene {
  readonly account: string;
  readonly storage: string;
  readonly storageId: string;
  readonly worker: { resourceId: string; principalId: string; clientId: string };
  readonly other: { resourceId: string; principalId: string; clientId: string };
  readonly arm: BatchManagementClient;
  readonly batch: BatchServiceClient;
}

let counter = 0;

/** Options of {@link scene}. */
export interface SceneOptions {
  /** Account's node identity reference is the worker. @default true */
  readonly nodeRef?: boolean;
  /** Worker has Storage Blob Data Reader on autostorage. @default true */
  readonly workerRole?: boolean;
  /** The account's system identity has Contributor on autostorage. @default true */
  readonly accountRole?: boolean;
}

export async function scene(em: Emulator, opts: SceneOptions = {}): Promise<Scene> {
  const n = ++counter;
  const arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  const auth = new AuthorizationManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  const storage = `docstore${n}`;
  const storageId = em.createStorageAccount(storage);
  const worker = em.createIdentity(`docworker${n}`);
  const other = em.createIdentity(`docother${n}`);
  const account = `docacct${n}`;
  const created = await arm.batchAccountOperations.beginCreateAndWait(em.resourceGroup, account, {
    location: em.location,
    identity: { type: "SystemAssigned" },
    autoStorage: {
      storageAccountId: storageId,
      authenticationMode: "BatchAccountManagedIdentity",
      ...(opts.nodeRef !== false && { nodeIdentityReference: { resourceId: worker.resourceId } }),
    },
  });
  const grant = (principalId: string, role: string) =>
    auth.roleAssignments.create(storageId, randomUUID(), { roleDefinitionId: `/subscriptions/${em.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId });
  if (opts.accountRole !== false) await grant(created.identity?.principalId ?? "", ROLE.contributor);
  if (opts.workerRole !== false) await grant(worker.principalId, ROLE.reader);
  em.seedApplicationPackage(account, "ffmpeg", "6.1");
  em.seedBlob(storage, "inputs", "scene/frame.txt", "frame data");
  const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl(account), em.batchClientOptions);
  return { account, storage, storageId, worker, other, arm, batch };
}

/** An ARM pool body with one node. */
export function poolBody(identities: readonly string[], extra: Partial<Pool> = {}): Pool {
  return {
    ...(identities.length > 0 && { identity: { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(identities.map((id) => [id, {}])) } }),
    vmSize: "STANDARD_D2S_V3",
    scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    ...extra,
  };
}

export async function createPool(em: Emulator, s: Scene, name: string, body: Pool): Promise<void> {
  await s.arm.poolOperations.create(em.resourceGroup, s.account, name, body);
}

/** A job on `pool` with one task reading an autostorage container, run to completion. */
export async function runTask(em: Emulator, s: Scene, pool: string, job: string, task: Partial<TaskAddParameter> = {}): Promise<void> {
  await s.batch.job.add({ id: job, poolInfo: { poolId: pool } });
  await s.batch.task.add(job, { id: "frame-1", commandLine: "render.sh", resourceFiles: [{ autoStorageContainerName: "inputs", blobPrefix: "scene/" }], ...task });
  em.settle();
}

/** A finished child process. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI asynchronously (spawnSync would block the in-process emulator). */
export function runCliAsync(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Files the CLI reads: the emulator's CA and a scope → token map minted by the emulator's credential. */
export async function cliFiles(em: Emulator): Promise<{ ca: string; tokens: string; tokenMap: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), "typed-batch-doctor-"));
  const ca = join(dir, "ca.pem");
  writeFileSync(ca, em.ca);
  const tokenMap: Record<string, string> = {};
  for (const scope of ["https://management.azure.com/.default", "https://batch.core.windows.net//.default", "https://storage.azure.com/.default"]) {
    tokenMap[scope] = (await em.credential.getToken(scope))?.token ?? "";
  }
  const tokens = join(dir, "tokens.json");
  writeFileSync(tokens, JSON.stringify(tokenMap));
  return { ca, tokens, tokenMap };
}

/** The doctor's command line for an account of the emulator. */
export function doctorArgs(em: Emulator, account: string, files: { ca: string; tokens: string }, extra: readonly string[] = []): string[] {
  return [
    "doctor",
    "--subscription", em.subscriptionId,
    "--resource-group", em.resourceGroup,
    "--account", account,
    "--management-endpoint", em.url,
    "--account-endpoint", em.batchAccountUrl(account),
    "--ca-file", files.ca,
    "--token-file", files.tokens,
    ...extra,
  ];
}

/**
 * Builds dist with the CLI tests' global setup when the bin is missing or one of the doctor's or
 * node's sources is newer than the bin. Only those: rebuilding for any change of src would rewrite
 * dist under other test files that are spawning it (`npm test` builds first anyway).
 */
export async function ensureBuilt(): Promise<void> {
  const { readdirSync, statSync, existsSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const src = (p: string) => fileURLToPath(new URL(`../../src/${p}`, import.meta.url));
  const newest = (path: string): number =>
    statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : statSync(path).mtimeMs;
  const ours = ["doctor", "node", "client/preflight.ts", "cli/commands/doctor.ts", "cli/commands/doctor-run.ts", "cli/commands/verify-identity.ts"].map(src);
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= Math.max(...ours.map(newest))) return;
  const { default: build } = await import("../cli/global-setup.js");
  build();
}
