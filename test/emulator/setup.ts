// Shared setup for the emulator tests: real SDK clients pointed at the emulator.
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { BatchManagementClient } from "@azure/arm-batch";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { BatchServiceClient } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/testing/index.js";

export const BATCH_SCOPE = "https://batch.core.windows.net//.default";
export const ROLE = {
  reader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  contributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  owner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
} as const;

export interface Clients {
  em: Emulator;
  arm: BatchManagementClient;
  msi: ManagedServiceIdentityClient;
  auth: AuthorizationManagementClient;
  batch(account: string, options?: { noRetryPolicy?: boolean }): BatchServiceClient;
}

export async function setup(options?: EmulatorOptions): Promise<Clients> {
  const em = await startEmulator(options);
  return {
    em,
    arm: new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions),
    msi: new ManagedServiceIdentityClient(em.credential, em.subscriptionId, em.armClientOptions),
    auth: new AuthorizationManagementClient(em.credential, em.subscriptionId, em.armClientOptions),
    batch: (account, opts) =>
      new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, BATCH_SCOPE), em.batchAccountUrl(account), {
        ...em.batchClientOptions,
        ...(opts?.noRetryPolicy ? { noRetryPolicy: true } : {}),
      }),
  };
}

export function roleId(em: Emulator, guid: string): string {
  return `/subscriptions/${em.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

export interface World {
  account: string;
  accountId: string;
  storage: string;
  storageId: string;
  worker: { id: string; principalId: string; clientId: string };
  other: { id: string; principalId: string; clientId: string };
}

let counter = 0;

/**
 * One article scenario, built only through the SDKs: identities (MSI client),
 * an account with a system-assigned identity allowed to write autostorage
 * (so packages can be uploaded), autostorage under BatchAccountManagedIdentity,
 * and an activated package `ffmpeg` 6.1.
 */
export async function scenarioWorld(
  c: Clients,
  opts: { nodeIdentityReference: boolean; workerRole: "reader" | "contributor" | "owner" | "none" },
): Promise<World> {
  const n = ++counter;
  const { em } = c;
  const rg = em.resourceGroup;
  const storage = `autostore${n}`;
  const storageId = em.createStorageAccount(storage);
  const worker = await c.msi.userAssignedIdentities.createOrUpdate(rg, `worker${n}`, { location: em.location });
  const other = await c.msi.userAssignedIdentities.createOrUpdate(rg, `other${n}`, { location: em.location });
  const account = `acct${n}`;
  const created = await c.arm.batchAccountOperations.beginCreateAndWait(rg, account, {
    location: em.location,
    identity: { type: "SystemAssigned" },
    autoStorage: {
      storageAccountId: storageId,
      authenticationMode: "BatchAccountManagedIdentity",
      ...(opts.nodeIdentityReference ? { nodeIdentityReference: { resourceId: worker.id! } } : {}),
    },
  });
  await c.auth.roleAssignments.create(storageId, crypto.randomUUID(), {
    roleDefinitionId: roleId(em, ROLE.contributor),
    principalId: created.identity!.principalId!,
  });
  if (opts.workerRole !== "none") {
    await c.auth.roleAssignments.create(storageId, crypto.randomUUID(), {
      roleDefinitionId: roleId(em, ROLE[opts.workerRole]),
      principalId: worker.principalId!,
    });
  }
  const pkg = await c.arm.applicationPackageOperations.create(rg, account, "ffmpeg", "6.1");
  await em.uploadBlob(pkg.storageUrl ?? "", "ffmpeg 6.1");
  await c.arm.applicationPackageOperations.activate(rg, account, "ffmpeg", "6.1", { format: "zip" });
  return {
    account,
    accountId: created.id!,
    storage,
    storageId,
    worker: { id: worker.id!, principalId: worker.principalId!, clientId: worker.clientId! },
    other: { id: other.id!, principalId: other.principalId!, clientId: other.clientId! },
  };
}

/** A raw HTTP(S) request that trusts the emulator's CA (for what SDKs refuse to send). */
export async function raw(
  em: { ca: string },
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { request } = url.startsWith("https:") ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: init.headers, ...(url.startsWith("https:") ? { ca: em.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

export async function bearer(em: { credential: { getToken(s: string): Promise<{ token: string } | null> } }, scope: string): Promise<string> {
  const token = await em.credential.getToken(scope);
  return `Bearer ${token?.token ?? ""}`;
}

/** Adds `task` under a new job `job-{task.id}` on `pool`, lets simulated time run, and reads the task back. */
export async function runTaskOn(c: Clients, account: string, pool: string, task: Parameters<BatchServiceClient["task"]["add"]>[1]) {
  const batch = c.batch(account);
  const jobId = `job-${task.id}`;
  await batch.job.add({ id: jobId, poolInfo: { poolId: pool } });
  await batch.task.add(jobId, task);
  c.em.settle();
  return batch.task.get(jobId, task.id);
}
