// Authentication, IMDS and Blob answers, add-collection, faults and shutdown.
import { ManagedIdentityCredential } from "@azure/identity";
import { BatchServiceClient } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator } from "../../src/testing/index.js";
import { bearer, raw, setup, scenarioWorld, type Clients, type World } from "./setup.js";

let c: Clients;
let w: World;
let nodeId: string;
beforeAll(async () => {
  c = await setup();
  w = await scenarioWorld(c, { nodeIdentityReference: true, workerRole: "reader" });
  await c.arm.poolOperations.create(c.em.resourceGroup, w.account, "two", {
    identity: { type: "UserAssigned", userAssignedIdentities: { [w.worker.id]: {}, [w.other.id]: {} } },
    vmSize: "STANDARD_D2S_V3",
  });
  c.em.settle();
  nodeId = c.em.nodeIds(w.account, "two")[0]!;
});
afterAll(async () => {
  await c.em.stop();
});

describe("Batch data-plane authentication", () => {
  test("a token for https://batch.core.windows.net (no trailing slash) → 401 naming the audience", async () => {
    const client = new BatchServiceClient(
      new AzureIdentityCredentialAdapter(c.em.credential, "https://batch.core.windows.net/.default"),
      c.em.batchAccountUrl(w.account),
      c.em.batchClientOptions,
    );
    const error = (await client.job.list().catch((e: unknown) => e)) as { statusCode?: number; code?: string; body?: { values?: Array<{ key: string; value: string }> } };
    expect(error.statusCode).toBe(401);
    expect(error.code).toBe("AuthenticationFailed");
    expect(error.body?.values?.[0]?.value).toContain("wrong audience or resource 'https://batch.core.windows.net'");
  });

  test("the SDK default scope (management) is rejected too; no token → 401", async () => {
    const client = new BatchServiceClient(new AzureIdentityCredentialAdapter(c.em.credential), c.em.batchAccountUrl(w.account), c.em.batchClientOptions);
    expect(((await client.job.list().catch((e: unknown) => e)) as { statusCode?: number }).statusCode).toBe(401);
    const none = await raw(c.em, "GET", `${c.em.batchAccountUrl(w.account)}/jobs?api-version=2022-10-01.16.0`);
    expect(none.status).toBe(401);
  });
});

describe("IMDS", () => {
  const tokenUrl = (q: string): string => `${c.em.imdsEndpoint(w.account, "two", nodeId)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/${q}`;

  test("success pinned by mi_res_id (any case) returns that identity's client_id", async () => {
    const res = await raw(c.em, "GET", tokenUrl(`&mi_res_id=${encodeURIComponent(w.worker.id.toUpperCase())}`), { headers: { Metadata: "true" } });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ client_id: w.worker.clientId, resource: "https://storage.azure.com/", token_type: "Bearer" });
    expect(typeof body.access_token).toBe("string");
  });

  test("several identities and none chosen → 400; unknown → Identity not found; no Metadata header → 400", async () => {
    const several = await raw(c.em, "GET", tokenUrl(""), { headers: { Metadata: "true" } });
    expect(several.status).toBe(400);
    expect(JSON.parse(several.text)).toEqual({
      error: "invalid_request",
      error_description: "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    });
    const stranger = c.em.createIdentity("stranger");
    const missing = await raw(c.em, "GET", tokenUrl(`&client_id=${stranger.clientId}`), { headers: { Metadata: "true" } });
    expect([missing.status, JSON.parse(missing.text)]).toEqual([400, { error: "invalid_request", error_description: "Identity not found" }]);
    const noHeader = await raw(c.em, "GET", tokenUrl(`&mi_res_id=${encodeURIComponent(w.worker.id)}`));
    expect(noHeader.status).toBe(400);
  });

  test("ManagedIdentityCredential from @azure/identity gets a token through AZURE_POD_IDENTITY_AUTHORITY_HOST", async () => {
    const saved = process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
    process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = c.em.imdsEndpoint(w.account, "two", nodeId);
    try {
      const credential = new ManagedIdentityCredential({ resourceId: w.worker.id });
      const token = await credential.getToken("https://storage.azure.com/.default");
      const claims = JSON.parse(Buffer.from(token.token.split(".")[1]!, "base64url").toString("utf8"));
      expect(claims.oid).toBe(w.worker.principalId);
      // The node's token reads a blob: worker holds Reader on the autostorage account.
      c.em.seedBlob(w.storage, "inputs", "a.txt", "hello");
      const blob = await raw(c.em, "GET", c.em.blobUrl(w.storage, "inputs", "a.txt"), { headers: { authorization: `Bearer ${token.token}`, "x-ms-version": "2021-12-02" } });
      expect([blob.status, blob.text]).toEqual([200, "hello"]);
    } finally {
      if (saved === undefined) delete process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"];
      else process.env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = saved;
    }
  });
});

describe("Blob", () => {
  test("no data role → 403 AuthorizationPermissionMismatch; missing x-ms-version → 400; list with a role", async () => {
    c.em.seedBlob(w.storage, "inputs", "b.txt", "b");
    const url = c.em.blobUrl(w.storage, "inputs", "b.txt");
    const auth = await bearer(c.em, "https://storage.azure.com/.default");
    const denied = await raw(c.em, "GET", url, { headers: { authorization: auth, "x-ms-version": "2021-12-02" } });
    expect(denied.status).toBe(403);
    expect(denied.headers["x-ms-error-code"]).toBe("AuthorizationPermissionMismatch");
    expect(denied.text).toContain("This request is not authorized to perform this operation using this permission.");
    const noVersion = await raw(c.em, "GET", url, { headers: { authorization: auth } });
    expect([noVersion.status, noVersion.headers["x-ms-error-code"]]).toEqual([400, "MissingRequiredHeader"]);
    c.em.grantRole({ principalId: c.em.principalId, role: "Storage Blob Data Reader", scope: `/subscriptions/${c.em.subscriptionId}/resourceGroups/${c.em.resourceGroup}` });
    const list = await raw(c.em, "GET", `${c.em.blobUrl(w.storage, "inputs")}?restype=container&comp=list`, { headers: { authorization: auth, "x-ms-version": "2021-12-02" } });
    expect(list.status).toBe(200);
    expect(list.text).toContain("<Name>b.txt</Name>");
    const sas = await raw(c.em, "GET", `${url}?sv=2021-12-02&sig=x`);
    expect(sas.status).toBe(200);
  });
});

describe("tasks: add collection and paging", () => {
  test("per-task results, TaskExists, more than 100 tasks → 400, paging via odata.nextLink", async () => {
    const batch = c.batch(w.account);
    await batch.job.add({ id: "many", poolInfo: { poolId: "nowhere" } });
    const tasks = Array.from({ length: 60 }, (_, i) => ({ id: `t${i}`, commandLine: "x" }));
    const first = await batch.task.addCollection("many", tasks);
    expect(first.value?.every((r) => r.status === "success" && r.eTag)).toBe(true);
    const again = await batch.task.addCollection("many", [{ id: "t0", commandLine: "x" }, { id: "new", commandLine: "x" }]);
    expect(again.value?.map((r) => [r.taskId, r.status, r.error?.code])).toEqual([
      ["t0", "clienterror", "TaskExists"],
      ["new", "success", undefined],
    ]);
    // The SDK checks the 100 limit itself, so send 101 raw.
    const tooMany = await raw(c.em, "POST", `${c.em.batchAccountUrl(w.account)}/jobs/many/addtaskcollection?api-version=2022-10-01.16.0`, {
      headers: { authorization: await bearer(c.em, "https://batch.core.windows.net//.default"), "content-type": "application/json" },
      body: JSON.stringify({ value: Array.from({ length: 101 }, (_, i) => ({ id: `x${i}`, commandLine: "x" })) }),
    });
    expect(tooMany.status).toBe(400);
    const page1 = await batch.task.list("many", { taskListOptions: { maxResults: 25 } });
    expect(page1.length).toBe(25);
    let all = [...page1];
    let next = page1.odatanextLink;
    while (next) {
      const more = await batch.task.listNext(next);
      all = all.concat(more);
      next = more.odatanextLink;
    }
    expect(all.length).toBe(61);
    const big = await raw(c.em, "POST", `${c.em.batchAccountUrl(w.account)}/jobs/many/addtaskcollection?api-version=2022-10-01.16.0`, {
      headers: { authorization: await bearer(c.em, "https://batch.core.windows.net//.default"), "content-type": "application/json" },
      body: JSON.stringify({ value: [{ id: "big", commandLine: "x".repeat(1024 * 1024) }] }),
    });
    expect([big.status, JSON.parse(big.text).code]).toEqual([413, "RequestBodyTooLarge"]);
  });
});

describe("faults", () => {
  test("each kind is observable; 503 applies nothing; drop applies then loses the answer", async () => {
    const em = await startEmulator({ seed: 3, faults: { rate: 1, kinds: ["503"], planes: ["batch"] } });
    try {
      const url = `${em.batchAccountUrl("emulated")}/jobs?api-version=2022-10-01.16.0`;
      const auth = await bearer(em, "https://batch.core.windows.net//.default");
      const r503 = await raw(em, "GET", url, { headers: { authorization: auth } });
      expect([r503.status, JSON.parse(r503.text).code]).toEqual([503, "ServerBusy"]);
      expect(em.requests.at(-1)).toMatchObject({ plane: "batch", status: 503, fault: "503" });
    } finally {
      await em.stop();
    }
    for (const kind of ["429", "413", "drop"] as const) {
      const e = await startEmulator({ faults: { rate: 1, kinds: [kind], planes: ["arm"] } });
      try {
        const auth = await bearer(e, "https://management.azure.com/.default");
        const url = `${e.url}/subscriptions/${e.subscriptionId}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x?api-version=2023-01-31`;
        const attempt = raw(e, "PUT", url, { headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify({ location: "westeurope" }) });
        if (kind === "drop") {
          await expect(attempt).rejects.toThrow();
          // Applied although the client never saw the answer.
          expect(e.requests.at(-1)).toMatchObject({ status: 0, fault: "drop" });
        } else {
          const res = await attempt;
          expect(res.status).toBe(Number(kind));
          if (kind === "429") expect(res.headers["retry-after"]).toBe("1");
          if (kind === "413") expect(JSON.parse(res.text).error.code).toBe("RequestBodyTooLarge");
        }
      } finally {
        await e.stop();
      }
    }
  });

  test("per-task server errors inside add collection; latency is applied", async () => {
    const e = await startEmulator({ latencyMs: 20, faults: { rate: 0, perTaskRate: 0.5, planes: ["batch"] } });
    try {
      const b = new BatchServiceClient(new AzureIdentityCredentialAdapter(e.credential, "https://batch.core.windows.net//.default"), e.batchAccountUrl("emulated"), e.batchClientOptions);
      const { arm } = { arm: new (await import("@azure/arm-batch")).BatchManagementClient(e.credential, e.subscriptionId, e.armClientOptions) };
      await arm.batchAccountOperations.beginCreateAndWait(e.resourceGroup, "emulated", { location: e.location });
      await b.job.add({ id: "j", poolInfo: { poolId: "p" } });
      const t0 = Date.now();
      const result = await b.task.addCollection("j", Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, commandLine: "x" })));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
      const statuses = new Set(result.value?.map((r) => r.status));
      expect(statuses).toEqual(new Set(["success", "servererror"]));
      expect(result.value?.find((r) => r.status === "servererror")?.error?.code).toBe("ServerBusy");
    } finally {
      await e.stop();
    }
  });
});
