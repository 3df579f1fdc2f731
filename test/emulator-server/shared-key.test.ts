// Batch Shared Key on the data plane: the real @azure/batch client signs with the keys ARM's
// listKeys returns; wrong, stale and missing credentials are refused with Batch's errors.
import { createHmac } from "node:crypto";
import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { raw } from "../emulator/setup.js";

let em: Emulator;
let arm: BatchManagementClient;
let keys: { primary: string; secondary: string };
const account = "keyed";

const client = (key: string, name = account): BatchServiceClient =>
  new BatchServiceClient(new BatchSharedKeyCredentials(name, key), em.batchAccountUrl(account), { ...em.batchClientOptions, noRetryPolicy: true });

/** What a rejected SDK call carried: status, Batch code and the AuthenticationErrorDetail. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; detail: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; body?: { values?: Array<{ key: string; value: string }> } };
    return { status: e.statusCode ?? 0, code: e.code ?? "", detail: e.body?.values?.find((v) => v.key === "AuthenticationErrorDetail")?.value ?? "" };
  }
  throw new Error("the call was accepted");
}

beforeAll(async () => {
  em = await startEmulator({ batchAccounts: [account] });
  arm = new BatchManagementClient(em.credential, em.subscriptionId, em.armClientOptions);
  await arm.batchAccountOperations.beginCreateAndWait(em.resourceGroup, account, { location: em.location });
  const got = await arm.batchAccountOperations.getKeys(em.resourceGroup, account);
  keys = { primary: got.primary ?? "", secondary: got.secondary ?? "" };
});
afterAll(async () => {
  await em.stop();
});

describe("Shared Key", () => {
  test("listKeys gives two distinct 88-character Base64 keys, the same on every call", async () => {
    expect(keys.primary).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(keys.secondary).not.toBe(keys.primary);
    const again = await arm.batchAccountOperations.getKeys(em.resourceGroup, account);
    expect(again.primary).toBe(keys.primary);
  });

  test("a correct signature passes with either key, for GET and for POST with a body", async () => {
    await client(keys.primary).job.add({ id: "signed", poolInfo: { poolId: "nowhere" } });
    const jobs = await client(keys.secondary).job.list({ jobListOptions: { filter: "state eq 'active'", maxResults: 10 } });
    expect(jobs.map((j) => j.id)).toEqual(["signed"]);
  });

  test("a signature made with another key is refused with 403 AuthenticationFailed", async () => {
    const wrong = Buffer.alloc(64, 7).toString("base64");
    const r = await refusal(client(wrong).pool.list());
    expect(r).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(r.detail).toContain("The MAC signature found in the HTTP request is not the same as any computed signature");
    // The detail shows the string to sign, never a key.
    expect(r.detail).not.toContain(keys.primary);
  });

  test("a stale ocp-date (older than 15 minutes) is refused, one within 15 minutes passes", async () => {
    const stale = await refusal(client(keys.primary).pool.list({ poolListOptions: { ocpDate: new Date(Date.now() - 16 * 60_000) } }));
    expect(stale).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(stale.detail).toMatch(/^Request date header too old: '.+GMT'$/);
    await client(keys.primary).pool.list({ poolListOptions: { ocpDate: new Date(Date.now() - 10 * 60_000) } });
  });

  test("the account name in the header must be the account addressed", async () => {
    const r = await refusal(client(keys.primary, "otheraccount").pool.list());
    expect(r).toMatchObject({ status: 403, code: "AuthenticationFailed" });
  });

  test("a missing Authorization header is a 401; Shared Key without any date header is a 403", async () => {
    const url = `${em.batchAccountUrl(account)}/pools?api-version=2024-07-01.20.0`;
    const none = await raw(em, "GET", url);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toMatchObject({ code: "AuthenticationFailed" });
    // Correctly signed, but with no ocp-date and no Date.
    const toSign = `GET\n\n\n\n\n\n\n\n\n\n\n\n/${account}/pools\napi-version:2024-07-01.20.0`;
    const signature = createHmac("sha256", Buffer.from(keys.primary, "base64")).update(toSign).digest("base64");
    const undated = await raw(em, "GET", url, { headers: { authorization: `SharedKey ${account}:${signature}` } });
    expect(undated.status).toBe(403);
    expect(JSON.parse(undated.text)).toMatchObject({ code: "AuthenticationFailed" });
    // The same request with its ocp-date signed passes: the string to sign above is the document's.
    const date = new Date().toUTCString();
    const dated = createHmac("sha256", Buffer.from(keys.primary, "base64"))
      .update(`GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${date}\n/${account}/pools\napi-version:2024-07-01.20.0`)
      .digest("base64");
    const ok = await raw(em, "GET", url, { headers: { authorization: `SharedKey ${account}:${dated}`, "ocp-date": date } });
    expect(ok.status).toBe(200);
  });

  test("the path-prefixed form on the main port is signed over the path as sent", async () => {
    const date = new Date().toUTCString();
    const path = `/batch/${account}/jobs`;
    const toSign = `GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${date}\n/${account}${path}\napi-version:2024-07-01.20.0`;
    const signature = createHmac("sha256", Buffer.from(keys.primary, "base64")).update(toSign).digest("base64");
    const ok = await raw(em, "GET", `${em.url}${path}?api-version=2024-07-01.20.0`, { headers: { authorization: `SharedKey ${account}:${signature}`, "ocp-date": date } });
    expect(ok.status).toBe(200);
  });

  test("regenerating the primary key retires it; the secondary still works", async () => {
    const renewed = await arm.batchAccountOperations.regenerateKey(em.resourceGroup, account, { keyName: "Primary" });
    expect(renewed.primary).not.toBe(keys.primary);
    expect(renewed.secondary).toBe(keys.secondary);
    expect((await refusal(client(keys.primary).pool.list())).status).toBe(403);
    await client(keys.secondary).pool.list();
    await client(renewed.primary ?? "").pool.list();
    keys = { primary: renewed.primary ?? "", secondary: keys.secondary };
  });
});
