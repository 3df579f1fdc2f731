import { BatchManagementClient } from "@azure/arm-batch";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { BatchServiceClient } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { expect, test } from "vitest";
import { startEmulator } from "../../src/testing/index.js";

test("smoke", async () => {
  const t0 = Date.now();
  const em = await startEmulator();
  console.log("start", Date.now() - t0);
  try {
    const msi = new ManagedServiceIdentityClient(em.credential, em.subscriptionId, em.armClientOptions);
    const id = await msi.userAssignedIdentities.createOrUpdate(em.resourceGroup, "worker", { location: em.location });
    console.log(id);
    const auth = new AuthorizationManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
    const storageId = em.createStorageAccount("autostore");
    const ra = await auth.roleAssignments.create(storageId, "11111111-1111-4111-8111-111111111111", {
      roleDefinitionId: `/subscriptions/${em.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
      principalId: id.principalId!,
    });
    console.log(ra);
    const arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
    const acct = await arm.batchAccountOperations.beginCreateAndWait(em.resourceGroup, "acct", {
      location: em.location,
      identity: { type: "UserAssigned", userAssignedIdentities: { [id.id!]: {} } },
      autoStorage: { storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentityReference: { resourceId: id.id! } },
    });
    console.log(JSON.stringify(acct));
    const pool = await arm.poolOperations.create(em.resourceGroup, "acct", "p1", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [id.id!]: {} } },
      vmSize: "STANDARD_D2S_V3",
      scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
    });
    console.log(JSON.stringify(pool));
    const batch = new BatchServiceClient(new AzureIdentityCredentialAdapter(em.credential, "https://batch.core.windows.net//.default"), em.batchAccountUrl("acct"), em.batchClientOptions);
    await batch.job.add({ id: "j1", poolInfo: { poolId: "p1" } }).catch((e) => { console.log("ERR", e.statusCode, e.code, JSON.stringify(e.body), e.message, e.request?.url); throw e; });
    await batch.task.add("j1", { id: "t1", commandLine: "echo" });
    em.settle();
    const t = await batch.task.get("j1", "t1");
    console.log(JSON.stringify(t));
    const nodes = await batch.computeNode.list("p1");
    console.log(JSON.stringify(nodes));
    console.log(em.requests.map((r) => `${r.method} ${r.path} ${r.status}`));
    expect(t.state).toBe("completed");
  } finally {
    await em.stop();
  }
});
