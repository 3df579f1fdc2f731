// Every client call guards what it is given, JavaScript callers included, and sends nothing on a
// refusal; accounts.get reads a live account as a spec pool(...) takes.
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from "vitest";
import { batchAccount, createBatchClient, pool, task, TypedBatchError, userAssignedIdentity, type UserAssignedIdentity } from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { jobWorld } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.stop();
});

/** Runs `call` and returns its TypedBatchError (fails the test on anything else). */
async function refusal(call: () => Promise<unknown>): Promise<TypedBatchError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TypedBatchError.is(error)) throw new Error(`expected a TypedBatchError, got ${String(error)}`);
  return error;
}

/** A caller that bypasses the types, as JavaScript does. */
const untyped = <T>(value: unknown) => value as T;

describe("refusals send no request", () => {
  test("accounts.createOrUpdate runs validateAccount (managed-identity autostorage without an identity)", async () => {
    const client = createBatchClient(em.clientConfigFor("guarded1"));
    const storageId = em.createStorageAccount("guardedst1");
    const account = {
      name: "guarded1",
      identityType: "None",
      identities: [],
      autoStorageMode: "BatchAccountManagedIdentity",
      nodeIdentity: undefined,
      toArm: () => ({ location: em.location, autoStorage: { storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity" } }),
    };
    em.requests.clear();
    const error = await refusal(() => client.accounts.createOrUpdate(untyped(account)));
    expect(error.code).toBe("ACCOUNT_IDENTITY_REQUIRED");
    expect(em.requests).toHaveLength(0);
  });

  test("null and half-made specs are INVALID_SHAPE naming the argument, not a TypeError", async () => {
    const { client, frames } = await jobWorld(em);
    em.requests.clear();
    expect((await refusal(() => client.accounts.createOrUpdate(untyped(null)))).path).toBe("account");
    expect((await refusal(() => client.pools.create(untyped({ name: "p", toArm: () => ({}) })))).path).toBe("pool.identities");
    expect((await refusal(() => client.jobs.create(untyped(undefined)))).path).toBe("job");
    expect((await refusal(() => client.tasks.add(untyped(null)))).code).toBe("INVALID_SHAPE");
    const streamed = await refusal(() => client.tasks.addMany(frames, untyped([task("ok", frames).withCommandLine("x").build(), 42])));
    expect([streamed.code, streamed.path]).toEqual(["INVALID_SHAPE", "tasks[1]"]);
    expect(em.requests).toHaveLength(0);
  });

  test("addMany guards each task it streams: a spec not made by the builder is validated", async () => {
    const { client, frames } = await jobWorld(em);
    const forged = { id: "forged", job: frames, toBatch: () => ({ id: "forged", commandLine: "x", resourceFiles: [{ httpUrl: "https://st.blob.core.windows.net/c/a.sh" }] }) };
    em.requests.clear();
    const error = await refusal(() => client.tasks.addMany(frames, untyped([task("fine", frames).withCommandLine("x").build(), forged])));
    expect([error.code, error.path]).toEqual(["RESOURCE_FILE_PATH_REQUIRED", "tasks[1].resourceFiles[0].filePath"]);
    expect(em.requests.filter((r) => r.path.endsWith("/addtaskcollection"))).toHaveLength(0);
  });

  test("tasks.add guards a forged spec the same way", async () => {
    const { client, frames } = await jobWorld(em);
    const forged = { id: "forged", job: frames, toBatch: () => ({ id: "forged", commandLine: "x", resourceFiles: [{ httpUrl: "https://st.blob.core.windows.net/c/a.sh" }] }) };
    em.requests.clear();
    expect((await refusal(() => client.tasks.add(untyped(forged)))).code).toBe("RESOURCE_FILE_PATH_REQUIRED");
    expect(em.requests).toHaveLength(0);
  });
});

describe("accounts.get", () => {
  async function deployed(n: number) {
    const worker = userAssignedIdentity(em.createIdentity(`iacworker${n}`).resourceId, "worker");
    const storageId = em.createStorageAccount(`iacst${n}`);
    const name = `iac${n}`;
    const client = createBatchClient(em.clientConfigFor(name));
    // Deployed elsewhere (here: through the typed client, as IaC would through ARM).
    await client.accounts.createOrUpdate(
      batchAccount(name, { location: em.location })
        .withUserAssignedIdentities(worker)
        .withAutoStorage({ storageAccountId: storageId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
        .build(),
    );
    return { client, worker, name };
  }

  test("verifies the live account and returns a spec pool(...) takes, typed with the node identity", async () => {
    const { client, worker, name } = await deployed(1);
    const acct = await client.accounts.get(name, { expect: { identities: [worker], nodeIdentity: worker } });
    expectTypeOf(acct.nodeIdentity).toEqualTypeOf<UserAssignedIdentity<"worker">>();
    expectTypeOf(acct.autoStorageMode).toEqualTypeOf<"BatchAccountManagedIdentity">();
    expect(acct.name).toBe(name);
    expect(acct.nodeIdentity.key).toBe("worker");
    expect(acct.autoStorageMode).toBe("BatchAccountManagedIdentity");
    const render = pool("render", acct)
      .withIdentities(worker)
      .withProperties({ vmSize: "STANDARD_D2S_V3", scaleSettings: { fixedScale: { targetDedicatedNodes: 0 } } })
      .build();
    await client.pools.create(render, { preflight: false });
    expect((await client.pools.get("render", { expect: [worker] })).identities.map((i) => i.key)).toEqual(["worker"]);
  });

  test("without expect: identities known at run time only", async () => {
    const { client, name } = await deployed(2);
    const acct = await client.accounts.get(name);
    expectTypeOf(acct.autoStorageMode).toEqualTypeOf<"StorageKeys" | "BatchAccountManagedIdentity" | "None">();
    expect(acct.identities).toHaveLength(1);
    expect(acct.nodeIdentity?.resourceId).toContain("iacworker2");
  });

  test("an expectation the live account does not meet is refused with every problem", async () => {
    const { client, name } = await deployed(3);
    const stranger = userAssignedIdentity(em.createIdentity("stranger3").resourceId, "stranger");
    const error = await refusal(() => client.accounts.get(name, { expect: { identities: [stranger], nodeIdentity: stranger } }));
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([
      ["ACCOUNT_IDENTITY_REQUIRED", "identity.userAssignedIdentities"],
      ["NODE_IDENTITY_REFERENCE_MISSING", "autoStorage.nodeIdentityReference"],
    ]);
    expect(error.issues[1]?.message).toContain("iacworker3");
  });
});
