// client.tasks.addMany against the emulator: exactly-once adds, chunking, faults, progress, abort.
import { afterEach, describe, expect, test } from "vitest";
import { task, type TaskSpec, type JobSpec } from "typed-batch";
import { startEmulator, type Emulator } from "typed-batch/testing";
import { jobWorld, listAllTasks } from "./helpers.js";

let em: Emulator | undefined;
afterEach(async () => {
  await em?.stop();
  em = undefined;
});

function* tasksFor(frames: JobSpec, count: number, prefix = "t"): Generator<TaskSpec> {
  for (let i = 0; i < count; i++) yield task(`${prefix}${String(i).padStart(6, "0")}`, frames).withCommandLine(`render.sh ${i}`).build();
}

function addCollectionCalls(e: Emulator): number {
  return e.requests.filter((r) => r.method === "POST" && r.path.endsWith("/addtaskcollection")).length;
}

describe("tasks.addMany", () => {
  test("adds 10,000 tasks exactly once, in chunks of at most 100", async () => {
    em = await startEmulator();
    const { client, frames, accountName } = await jobWorld(em);
    em.requests.clear();
    const result = await client.tasks.addMany(frames, tasksFor(frames, 10_000), { concurrency: 16 });
    expect(result).toEqual({ added: 10_000, failed: [] });
    expect(addCollectionCalls(em)).toBe(100);
    const listed = await listAllTasks(em, accountName, "frames");
    expect(listed).toHaveLength(10_000);
    expect(new Set(listed.map((t) => t.id)).size).toBe(10_000);
  });

  test("with 10% faults of each kind (413, 429, 503, dropped connections) nothing is lost or added twice", async () => {
    em = await startEmulator({ seed: 11 });
    const { client, frames, accountName } = await jobWorld(em);
    // Faults start after set-up, so the world itself is created cleanly; 0.4 over four kinds is 10% each.
    em.setFaults({ rate: 0.4, kinds: ["413", "429", "503", "drop"], planes: ["batch"], perTaskRate: 0.1 });
    const result = await client.tasks.addMany(frames, tasksFor(frames, 10_000), { concurrency: 16, baseMs: 5, maxMs: 50 });
    em.setFaults(undefined);
    expect(result.failed).toEqual([]);
    expect(result.added).toBe(10_000);
    const listed = await listAllTasks(em, accountName, "frames");
    expect(listed).toHaveLength(10_000);
    expect(new Set(listed.map((t) => t.id)).size).toBe(10_000);
    const statuses = em.requests.filter((r) => r.path.endsWith("/addtaskcollection")).map((r) => r.status);
    for (const status of [413, 429, 503]) expect(statuses).toContain(status);
  });

  test("streams from an async iterable and reports progress", async () => {
    em = await startEmulator();
    const { client, frames } = await jobWorld(em);
    async function* source() {
      for (const t of tasksFor(frames, 450, "s")) yield t;
    }
    const seen: number[] = [];
    const result = await client.tasks.addMany(frames, source(), { concurrency: 3, onProgress: (p) => seen.push(p.added) });
    expect(result.added).toBe(450);
    expect(seen.at(-1)).toBe(450);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  test("a task id that already exists (not from a retry of ours) is reported as failed with TaskExists", async () => {
    em = await startEmulator();
    const { client, frames } = await jobWorld(em);
    await client.tasks.add(task("dup", frames).withCommandLine("x").build());
    const result = await client.tasks.addMany(frames, [task("dup", frames).withCommandLine("x").build(), task("fresh", frames).withCommandLine("x").build()]);
    expect(result.added).toBe(1);
    expect(result.failed.map((f) => [f.taskId, f.code])).toEqual([["dup", "TaskExists"]]);
  });

  test("chunks stay under 1 MB: big tasks go in smaller chunks", async () => {
    em = await startEmulator();
    const { client, frames } = await jobWorld(em);
    const big = "x".repeat(30_000);
    const tasks = Array.from({ length: 100 }, (_, i) => task(`big${i}`, frames).withCommandLine(`echo ${big}`).build());
    em.requests.clear();
    const result = await client.tasks.addMany(frames, tasks);
    expect(result.added).toBe(100);
    expect(addCollectionCalls(em)).toBeGreaterThanOrEqual(4); // 100 × 30 kB = 3 MB
  });

  test("an aborted submission rejects and sends nothing more", async () => {
    em = await startEmulator({ latencyMs: 20 });
    const { client, frames } = await jobWorld(em);
    const controller = new AbortController();
    const run = client.tasks.addMany(frames, tasksFor(frames, 5_000), {
      concurrency: 2,
      onProgress: (p) => {
        if (p.added >= 200) controller.abort(new Error("stop"));
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow("stop");
    const calls = addCollectionCalls(em);
    await new Promise((r) => setTimeout(r, 100));
    expect(addCollectionCalls(em)).toBe(calls);
    expect(calls).toBeLessThan(50);
  });

  test("tasks of another job are refused before anything is sent", async () => {
    em = await startEmulator();
    const { client, frames, render } = await jobWorld(em);
    const { job } = await import("typed-batch");
    const other = job("other", render).build();
    em.requests.clear();
    await expect(client.tasks.addMany(frames, [task("a", other).withCommandLine("x").build()])).rejects.toMatchObject({ code: "INVALID_SHAPE" });
    expect(addCollectionCalls(em)).toBe(0);
  });
});
