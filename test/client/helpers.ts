// Shared set-up for client tests: an account, a pool and a job created through typed-batch on the emulator.
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { BatchServiceClient, type CloudTask } from "@azure/batch";
import { listEveryTask } from "../support/list-every-task.js";
import { batchAccount, createBatchClient, job, pool, userAssignedIdentity, type BatchClient } from "typed-batch";
import type { Emulator } from "typed-batch/testing";

let n = 0;

/** A fresh account with a pool `render` (one identity) and a job `frames`, created through typed-batch. */
export async function jobWorld(em: Emulator, options: { nodes?: number } = {}) {
  const id = ++n;
  const accountName = `acct${id}x`;
  const reader = userAssignedIdentity(em.createIdentity(`reader${id}`).resourceId, "reader");
  const client = createBatchClient(em.clientConfigFor(accountName));
  const account = batchAccount(accountName, { location: em.location }).build();
  await client.accounts.createOrUpdate(account);
  const render = pool("render", account)
    .withIdentities(reader)
    .withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: options.nodes ?? 0 } } })
    .build();
  await client.pools.create(render);
  const frames = job("frames", render).build();
  await client.jobs.create(frames);
  return { accountName, reader, client, render, frames };
}

/** Lists every task of a job through the raw SDK, retrying requests the fault injector breaks. */
export async function listAllTasks(em: Emulator, accountName: string, jobId: string): Promise<CloudTask[]> {
  const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl(accountName), {
    ...em.batchClientOptions,
    noRetryPolicy: true,
  });
  return listEveryTask(batch, jobId, 50);
}

export type { BatchClient };
