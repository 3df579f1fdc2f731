// One transport policy on both planes: single calls survive injected faults, wait what
// Retry-After says, stop at their bounds, cancel with a signal, and keep Azure's words on failure.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AzureRequestError, createBatchClient, job, task } from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { jobWorld } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ seed: 5 });
});
afterAll(async () => {
  await em.stop();
});

/** Log entries of requests whose path ends with `suffix`, from the calls under test. */
const calls = (method: string, suffix: RegExp) => em.requests.filter((r) => r.method === method && suffix.test(r.path));

describe("every single call retries transient failures", () => {
  test("jobs.create succeeds after two 503s", async () => {
    const { client, render } = await jobWorld(em);
    em.requests.clear();
    em.setFaults({ rate: 1, count: 2, kinds: ["503"], planes: ["batch"], paths: ["/jobs"] });
    await client.jobs.create(job("retried", render).build());
    em.setFaults(undefined);
    expect(calls("POST", /\/jobs$/).map((r) => r.status)).toEqual([503, 503, 201]);
  });

  test("tasks.add succeeds after two 429s", async () => {
    const { client, frames } = await jobWorld(em);
    em.requests.clear();
    em.setFaults({ rate: 1, count: 2, kinds: ["429"], planes: ["batch"], paths: ["/tasks"], retryAfterSeconds: 0 });
    await client.tasks.add(task("t1", frames).withCommandLine("echo 1").build());
    em.setFaults(undefined);
    expect(calls("POST", /\/jobs\/frames\/tasks$/).map((r) => r.status)).toEqual([429, 429, 201]);
  });

  test("pools.create (ARM) succeeds after two 503s", async () => {
    const { client, render } = await jobWorld(em);
    em.requests.clear();
    em.setFaults({ rate: 1, count: 2, kinds: ["503"], planes: ["arm"], paths: ["/pools/again"] });
    const again = { ...render, name: "again" };
    await client.pools.create(again as typeof render);
    em.setFaults(undefined);
    expect(calls("PUT", /\/pools\/again$/).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  test("nodes.uploadLogs succeeds after a dropped connection", async () => {
    const { client, render, accountName } = await jobWorld(em, { nodes: 1 });
    const [node] = await client.raw.batch.computeNode.list("render");
    em.createStorageAccount(`logs${accountName}`);
    em.requests.clear();
    em.setFaults({ rate: 1, count: 1, kinds: ["drop"], planes: ["batch"], paths: ["/uploadbatchservicelogs"] });
    const sas = `${em.blobUrl(`logs${accountName}`, "logs")}?sv=2022-11-02&sp=rwl&sig=c2lnbmF0dXJl`;
    const result = await client.nodes.uploadLogs(render, node?.id ?? "", { containerUrl: sas, startTime: new Date(0) });
    em.setFaults(undefined);
    expect(result.numberOfFilesUploaded).toBeGreaterThan(0);
    expect(calls("POST", /uploadbatchservicelogs$/).map((r) => r.status)).toEqual([0, 200]);
  });

  test("a create whose answer was lost counts as created when the retry meets JobExists/TaskExists", async () => {
    const { client, render, frames } = await jobWorld(em);
    em.requests.clear();
    // A dropped connection comes after the emulator applied the request.
    em.setFaults({ rate: 1, count: 1, kinds: ["drop"], planes: ["batch"], paths: ["/jobs"] });
    await client.jobs.create(job("lost", render).build());
    em.setFaults({ rate: 1, count: 1, kinds: ["drop"], planes: ["batch"], paths: ["/tasks"] });
    await client.tasks.add(task("lost", frames).withCommandLine("echo").build());
    em.setFaults(undefined);
    expect(calls("POST", /\/jobs$/).map((r) => r.status)).toEqual([0, 409]);
    expect(calls("POST", /\/jobs\/frames\/tasks$/).map((r) => r.status)).toEqual([0, 409]);
  });

  test("a first-attempt 409 is still the caller's error, with Azure's code and message", async () => {
    const { client, frames } = await jobWorld(em);
    const error = await client.jobs.create(frames).catch((e: unknown) => e);
    expect(AzureRequestError.is(error)).toBe(true);
    expect((error as AzureRequestError).code).toBe("JobExists");
    expect((error as Error).message).toMatch(/^jobs\.create failed \(409 JobExists\): The specified job already exists/);
  });
});

describe("the policy's bounds", () => {
  test("Retry-After: 2 makes the retry wait two seconds", async () => {
    const { client, render } = await jobWorld(em);
    em.setFaults({ rate: 1, count: 1, kinds: ["503"], planes: ["batch"], paths: ["/jobs"], retryAfterSeconds: 2 });
    const started = performance.now();
    await client.jobs.create(job("patient", render).build());
    const elapsed = performance.now() - started;
    em.setFaults(undefined);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(6000);
  });

  test("attempts run out: the error keeps Azure's code and message, not [object Object]", async () => {
    const { accountName, render } = await jobWorld(em);
    const client = createBatchClient({ ...em.clientConfigFor(accountName), retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 } });
    em.requests.clear();
    em.setFaults({ rate: 1, kinds: ["503"], planes: ["batch"], paths: ["/jobs"] });
    const error = await client.jobs.create(job("busy", render).build()).catch((e: unknown) => e);
    em.setFaults(undefined);
    expect(calls("POST", /\/jobs$/)).toHaveLength(3);
    expect(AzureRequestError.is(error)).toBe(true);
    expect((error as AzureRequestError).statusCode).toBe(503);
    expect((error as Error).message).toMatch(/^jobs\.create failed \(503 ServerBusy\): The server is currently unable to receive requests\. Please retry your request\.\nRequestId:/);
  });

  test("a Retry-After past the total time ends the retries at once", async () => {
    const { accountName, render } = await jobWorld(em);
    const client = createBatchClient({ ...em.clientConfigFor(accountName), retry: { totalMs: 1000 } });
    em.setFaults({ rate: 1, count: 1, kinds: ["503"], planes: ["batch"], paths: ["/jobs"], retryAfterSeconds: 30 });
    const started = performance.now();
    const error = await client.jobs.create(job("hurried", render).build()).catch((e: unknown) => e);
    em.setFaults(undefined);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((error as AzureRequestError).statusCode).toBe(503);
  });

  test("an AbortSignal cancels the wait between attempts", async () => {
    const { client, render } = await jobWorld(em);
    em.setFaults({ rate: 1, count: 1, kinds: ["503"], planes: ["batch"], paths: ["/jobs"], retryAfterSeconds: 30 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop waiting")), 100);
    const started = performance.now();
    const error = await client.jobs.create(job("cancelled", render).build(), { signal: controller.signal }).catch((e: unknown) => e);
    em.setFaults(undefined);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((error as Error).message).toBe("stop waiting");
  });

  test("a non-retriable answer (404) is not retried", async () => {
    const { client, render } = await jobWorld(em);
    em.requests.clear();
    const error = await client.pools.get("missing").catch((e: unknown) => e);
    expect((error as AzureRequestError).statusCode).toBe(404);
    expect(calls("GET", /\/pools\/missing$/)).toHaveLength(1);
    expect(render.name).toBe("render");
  });
});
