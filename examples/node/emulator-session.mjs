// Node in another process against `typed-batch emulator`: @azure/identity's ClientSecretCredential
// on the emulator's token endpoint, @azure/arm-batch for ARM, and typed-batch's client for pools
// and jobs. Load DIR/emulator.env first (it sets NODE_EXTRA_CA_CERTS, read by Node at start-up).
//   set -a; . DIR/emulator.env; set +a; node examples/node/emulator-session.mjs
import { BatchManagementClient } from "@azure/arm-batch";
import { ClientSecretCredential } from "@azure/identity";
import { batchAccount, createBatchClient, job, pool } from "typed-batch";

const env = process.env;
const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
  authorityHost: env.AZURE_AUTHORITY_HOST,
  disableInstanceDiscovery: true, // do not ask login.microsoftonline.com about this host
});
const arm = new BatchManagementClient(credential, env.AZURE_SUBSCRIPTION_ID, {
  endpoint: env.AZURE_RESOURCE_MANAGER_ENDPOINT,
  credentialScopes: ["https://management.azure.com/.default"],
});

const name = "nodeacct";
const account = batchAccount(name, { location: env.AZURE_LOCATION }).build();
const created = await arm.batchAccountOperations.beginCreateAndWait(env.AZURE_RESOURCE_GROUP, name, account.toArm());
console.log(`account ${created.name} at https://${created.accountEndpoint}`);

const client = createBatchClient({
  subscriptionId: env.AZURE_SUBSCRIPTION_ID,
  resourceGroup: env.AZURE_RESOURCE_GROUP,
  accountName: name,
  accountEndpoint: `https://${created.accountEndpoint}`,
  credential,
  managementEndpoint: env.AZURE_RESOURCE_MANAGER_ENDPOINT,
});
const render = pool("render", account).withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } } }).build();
await client.pools.create(render);
await client.jobs.create(job("frames", render).build());
console.log("job frames created through typed-batch");
for await (const p of arm.poolOperations.listByBatchAccount(env.AZURE_RESOURCE_GROUP, name)) console.log(`pool ${p.name}: ${p.allocationState}`);
