// ARM reads the Azure CLI needed and the emulator lacked (found by examples/az/arm-session.sh):
// the subscription-wide account list and the subscription/tenant lists `az login` reads.
import { BatchManagementClient } from "@azure/arm-batch";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { bearer, raw } from "../emulator/setup.js";

let em: Emulator;
let arm: BatchManagementClient;
beforeAll(async () => {
  em = await startEmulator({ batchAccounts: ["one", "two"] });
  arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  await arm.batchAccountOperations.beginCreateAndWait(em.resourceGroup, "one", { location: em.location });
  await arm.batchAccountOperations.beginCreateAndWait("other-group", "two", { location: em.location });
});
afterAll(async () => {
  await em.stop();
});

test("BatchAccount_List returns the accounts of every resource group of the subscription", async () => {
  const names: string[] = [];
  for await (const account of arm.batchAccountOperations.list()) names.push(account.name ?? "");
  expect(names.sort()).toEqual(["one", "two"]);
});

test("GET /subscriptions and /tenants answer the one subscription and tenant, and need a management token", async () => {
  const auth = { authorization: await bearer(em, "https://management.azure.com/.default") };
  const subs = await raw(em, "GET", `${em.url}/subscriptions?api-version=2022-12-01`, { headers: auth });
  expect(JSON.parse(subs.text).value).toEqual([expect.objectContaining({ subscriptionId: em.subscriptionId, tenantId: em.tenantId, state: "Enabled" })]);
  const tenants = await raw(em, "GET", `${em.url}/tenants?api-version=2022-12-01`, { headers: auth });
  expect(JSON.parse(tenants.text).value).toEqual([expect.objectContaining({ tenantId: em.tenantId })]);
  const batchToken = { authorization: await bearer(em, "https://batch.core.windows.net//.default") };
  expect((await raw(em, "GET", `${em.url}/subscriptions?api-version=2022-12-01`, { headers: batchToken })).status).toBe(401);
});
