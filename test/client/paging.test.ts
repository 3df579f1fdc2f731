// client.jobs.list, client.tasks.list and client.nodes.list: typed items from every page.
import { afterAll, beforeAll, expect, test } from "vitest";
import { AzureRequestError, batchAccount, job, pool, task, type TaskSpec } from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { jobWorld } from "./helpers.js";

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ pageSize: 7 });
});
afterAll(async () => {
  await em.stop();
});

const ids = async (items: AsyncIterable<{ id?: string }>) => {
  const out: string[] = [];
  for await (const item of items) out.push(item.id ?? "");
  return out;
};

test("tasks.list, jobs.list and nodes.list follow odata.nextLink to the last item", async () => {
  const { client, frames, render } = await jobWorld(em, { nodes: 16 });
  em.settle();
  const specs: TaskSpec[] = Array.from({ length: 30 }, (_, i) => task(`t${String(i).padStart(2, "0")}`, frames).withCommandLine("echo").build());
  expect((await client.tasks.addMany(frames, specs)).added).toBe(30);
  for (let i = 0; i < 9; i++) await client.jobs.create(job(`extra${i}`, render).build());
  em.requests.clear();

  expect((await ids(client.tasks.list(frames))).sort()).toEqual(specs.map((t) => t.id));
  expect(em.requests.filter((r) => /\/jobs\/frames\/tasks$/.test(r.path))).toHaveLength(5); // 30 tasks at 7 a page
  expect(await ids(client.tasks.list("frames", { maxResults: 1000 }))).toHaveLength(30);
  expect((await ids(client.jobs.list())).sort()).toEqual(["extra0", "extra1", "extra2", "extra3", "extra4", "extra5", "extra6", "extra7", "extra8", "frames"]);
  expect(await ids(client.nodes.list(render))).toHaveLength(16);
  expect(await ids(client.jobs.list({ filter: "id eq 'frames'", select: "id" }))).toContain("frames");
});

test("a page stops being read when the loop stops", async () => {
  const { client, frames } = await jobWorld(em);
  await client.tasks.addMany(frames, Array.from({ length: 20 }, (_, i) => task(`s${i}`, frames).withCommandLine("echo").build()));
  em.requests.clear();
  for await (const t of client.tasks.list(frames)) {
    expect(t.commandLine).toBe("echo");
    break;
  }
  expect(em.requests.filter((r) => /\/jobs\/frames\/tasks$/.test(r.path))).toHaveLength(1);
});

test("a failing list rejects with an AzureRequestError", async () => {
  const { client } = await jobWorld(em);
  const error = await ids(client.tasks.list("nope")).catch((e: unknown) => e);
  expect(AzureRequestError.is(error)).toBe(true);
  expect((error as AzureRequestError).code).toBe("JobNotFound");
});

test("the ARM pool list pages with nextLink, and the doctor reads every pool", async () => {
  const { client, accountName } = await jobWorld(em);
  const account = batchAccount(accountName, { location: em.location }).build();
  for (let i = 0; i < 9; i++) await client.pools.create(pool(`extra${i}`, account).withProperties({ vmSize: "STANDARD_D2S_V3" }).build());
  em.requests.clear();
  const totals: number[] = [];
  await client.doctor({ onProgress: (p) => void (p.step === "permissions" && totals.push(p.total)) });
  // 10 pools at 7 a page: two reads of the list, the second from the first page's nextLink.
  const listReads = em.requests.filter((r) => r.method === "GET" && /\/batchAccounts\/[^/]+\/pools$/i.test(r.path));
  expect(listReads).toHaveLength(2);
  expect(totals[0]).toBe(10 + 1); // one permission step per pool, plus the account's
});
