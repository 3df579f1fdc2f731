/**
 * Run-time cost of the guards beside the SDK's own serialisation, for 100,000 tasks with three
 * identity references each (an HTTP resource file, a container resource file, an output file):
 *
 * - **SDK serialise**: what `@azure/batch` does to every task it sends (`task.add`, `addCollection`):
 *   `serializer.serialize(BatchServiceMappers.TaskAddParameter, task)` with the SDK's own `Serializer` then `JSON.stringify`.
 * - **guard (validateTask)**: typed-batch's public guard on the same plain SDK objects.
 * - **typed build**: `task(...).with...().build()` (the builder chain, `toBatch`, freeze, the guard).
 * - end to end: raw (object literal + SDK serialise) against typed (build + SDK serialise).
 *
 * Numbers only. `node build/bench/runtime/guard-100k.js [tasks]`; BENCH_RUNS (default 5, median).
 */
import { BatchServiceMappers, type TaskAddParameter } from "@azure/batch";
import { Serializer } from "@azure/ms-rest-js";
import { batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity, validateTask, type TaskSpec } from "typed-batch";
import { fixed, int, machineLine, markdownTable, median, ratio } from "../markdown-table.js";

const count = Number(process.argv[2] ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const idOf = (i: number) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`;
const url = "https://st.blob.core.windows.net/scenes";

const ids = Array.from({ length: 8 }, (_, i) => userAssignedIdentity(idOf(i) as never) as ReturnType<typeof userAssignedIdentity<string>>);
const account = batchAccount("acct", { location: "westeurope" }).build();
const render = pool("render", account).withIdentities(...ids).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
const frames = job("frames", render).build();

// The serializer the SDK's operation specs use (`operations/task.js`: `new msRest.Serializer(Mappers)`;
// ms-rest-js keeps it on each operation spec, not on the client). No request is sent.
const serializer = new Serializer(BatchServiceMappers);
const mapper = BatchServiceMappers.TaskAddParameter;

function rawTask(i: number): TaskAddParameter {
  return {
    id: `t${i}`,
    commandLine: `render.sh ${i}`,
    resourceFiles: [
      { httpUrl: `${url}/model.bin`, filePath: "model.bin", identityReference: { resourceId: idOf((3 * i) % 8) } },
      { storageContainerUrl: url, identityReference: { resourceId: idOf((3 * i + 1) % 8) } },
    ],
    outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: url, identityReference: { resourceId: idOf((3 * i + 2) % 8) } } }, uploadOptions: { uploadCondition: "tasksuccess" } }],
  };
}

function typedTask(i: number): TaskSpec {
  return task(`t${i}`, frames)
    .withCommandLine(`render.sh ${i}`)
    .withResourceFile(resourceFile.fromHttpUrl(`${url}/model.bin`, { filePath: "model.bin", identity: ids[(3 * i) % 8]! }) as never)
    .withResourceFile(resourceFile.fromContainerUrl(url, { identity: ids[(3 * i + 1) % 8]! }) as never)
    .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: url, identity: ids[(3 * i + 2) % 8]!, uploadCondition: "taskSuccess" }) as never)
    .build();
}

const serialise = (t: TaskAddParameter) => JSON.stringify(serializer.serialize(mapper, t, "task"));
const raws = Array.from({ length: count }, (_, i) => rawTask(i));
const guardOptions = { job: frames, pool: render, account };

let sink = 0;
const paths: Record<string, () => void> = {
  "raw object literals (construction only)": () => { for (let i = 0; i < count; i++) sink += rawTask(i).id.length; },
  "SDK serialise (mapper + JSON.stringify), prebuilt objects": () => { for (const t of raws) sink += serialise(t).length; },
  "guard: validateTask on the same SDK objects": () => { for (const t of raws) sink += validateTask(t, guardOptions).ok ? 1 : 0; },
  "typed: builder chain + build() (incl. guard)": () => { for (let i = 0; i < count; i++) sink += typedTask(i).id.length; },
  "end to end, raw: literal + SDK serialise": () => { for (let i = 0; i < count; i++) sink += serialise(rawTask(i)).length; },
  "end to end, typed: build() + SDK serialise of toBatch()": () => { for (let i = 0; i < count; i++) sink += serialise(typedTask(i).toBatch()).length; },
};

// Sanity: the guard accepts every task, and both paths serialise to the same JSON.
if (!raws.every((t) => validateTask(t, guardOptions).ok)) throw new Error("the guard rejected a valid task");
const a = serialise(rawTask(7));
const b = serialise(typedTask(7).toBatch());
if (a !== b) console.error(`note: raw and typed JSON differ:\n${a}\n${b}`);

const times: Record<string, number> = {};
for (const [name, run] of Object.entries(paths)) {
  run(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  times[name] = median(samples);
}

const S = times["SDK serialise (mapper + JSON.stringify), prebuilt objects"]!;
console.log(`\n## Run time: ${int(count)} tasks × 3 identity references\n`);
console.log(`${await machineLine()}; median of ${runs} runs after a warm-up\n`);
console.log(markdownTable(["path", "ms", "µs/task", "vs SDK serialise"], Object.entries(times).map(([k, v]) => [k, int(v), fixed((v * 1000) / count), ratio(v, S)])));
const guard = times["guard: validateTask on the same SDK objects"]!;
const buildT = times["typed: builder chain + build() (incl. guard)"]!;
const e2eRaw = times["end to end, raw: literal + SDK serialise"]!;
const e2eTyped = times["end to end, typed: build() + SDK serialise of toBatch()"]!;
console.log(`\n### Goal: guarding adds at most 20% to the SDK's serialisation time\n`);
console.log(markdownTable(["measure", "value", "verdict"], [
  ["guard alone (validateTask) / SDK serialise", ratio(guard, S), guard <= 0.2 * S ? "met" : "missed"],
  ["typed build (chain + toBatch + freeze + guard) / SDK serialise", ratio(buildT, S), buildT <= 0.2 * S ? "met" : "missed"],
  ["end to end typed / end to end raw", ratio(e2eTyped, e2eRaw), e2eTyped <= 1.2 * e2eRaw ? "met" : "missed"],
]));
if (sink === 0) console.log("");
