// nodeCredential: compile error and run-time guard for an identity not on the pool, and a working
// token from the node's IMDS (emulator) for a pool with several identities.
import { afterAll, beforeAll, expect, test } from "vitest";
import { batchAccount, createBatchClient, nodeCredential, pool, TypedBatchError, userAssignedIdentity } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { createPool, poolBody, scene, type Scene } from "../doctor/support.js";

let em: Emulator;
let s: Scene;
beforeAll(async () => {
  em = await startEmulator();
  s = await scene(em);
  await createPool(em, s, "two", poolBody([s.worker.resourceId, s.other.resourceId]));
  await createPool(em, s, "one", poolBody([s.worker.resourceId]));
  em.settle();
});
afterAll(async () => {
  await em.stop();
});

const workerId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker";
const readerId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader";

test("an identity not on a built pool is a compile error and a guard error", () => {
  const worker = userAssignedIdentity(workerId);
  const reader = userAssignedIdentity(readerId);
  const render = pool("render", batchAccount("acct", { location: "westeurope" }).build()).withIdentities(worker).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
  expect(nodeCredential(render, worker).constructor.name).toBe("ManagedIdentityCredential");
  let error: unknown;
  try {
    // @ts-expect-error reader is not attached to pool 'render'
    nodeCredential(render, reader);
  } catch (e) {
    error = e;
  }
  expect(TypedBatchError.is(error) && error.code).toBe("IDENTITY_NOT_IN_POOL");
  expect(TypedBatchError.is(error) && error.message).toContain("'render'");
});

test("a label the pool's account gives another literal id is a compile error and IDENTITY_LABEL_CONFLICT, as for every other use", () => {
  const workerAsShared = userAssignedIdentity(workerId, "shared");
  const readerAsShared = userAssignedIdentity(readerId, "shared");
  const account = batchAccount("acct", { location: "westeurope" }).withUserAssignedIdentities(workerAsShared).build();
  const render = pool("render", account).withIdentities(userAssignedIdentity(readerId)).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
  expect(nodeCredential(render, userAssignedIdentity(readerId)).constructor.name).toBe("ManagedIdentityCredential");
  // @ts-expect-error label 'shared' names two identities: the account's worker and the pool's reader
  expect(() => nodeCredential(render, readerAsShared)).toThrow(expect.objectContaining({ code: "IDENTITY_LABEL_CONFLICT" }));
});

test("a JavaScript caller passing something that is not an identity handle gets INVALID_SHAPE, not a TypeError", () => {
  const render = pool("render", batchAccount("acct", { location: "westeurope" }).build()).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
  for (const given of [undefined, null, {}, { resourceId: workerId }, workerId]) {
    let error: unknown;
    try {
      nodeCredential(render, given as never);
    } catch (e) {
      error = e;
    }
    expect(TypedBatchError.is(error) && error.code, JSON.stringify(given)).toBe("INVALID_SHAPE");
  }
});

test("on a live pool (identities known at run time) the guard still refuses", async () => {
  const client = createBatchClient(em.clientConfigFor(s.account));
  const live = await client.pools.get("one");
  const other = userAssignedIdentity(s.other.resourceId, "other");
  expect(() => nodeCredential(live, other)).toThrow(/IDENTITY_NOT_IN_POOL/);
});

test("the credential is pinned to its identity: it gets a token on a node with two identities", async () => {
  const client = createBatchClient(em.clientConfigFor(s.account));
  const other = userAssignedIdentity(s.other.resourceId, "other");
  const live = await client.pools.get("two", { expect: [other] });
  const saved = process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
  process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = em.imdsEndpoint(s.account, "two", em.nodeIds(s.account, "two")[0] ?? "");
  try {
    const token = await nodeCredential(live, other).getToken("https://storage.azure.com/.default");
    const claims = JSON.parse(Buffer.from(token.token.split(".")[1] ?? "", "base64url").toString("utf8")) as { oid?: string };
    expect(claims.oid).toBe(s.other.principalId);
  } finally {
    if (saved === undefined) delete process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
    else process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = saved;
  }
});
