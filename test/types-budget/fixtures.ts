/**
 * Small fixed programs for the instantiation budgets: representative happy paths and their error
 * paths (the same program with one identity not attached). Bodies follow `measure.ts`'s imports.
 */

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const id = (name: string) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

/** One fixture: the happy program and, where there is one, its error variant. */
export interface Fixture {
  readonly name: string;
  readonly happy: string;
  /** The error variant and how many typed-batch errors it must report. */
  readonly error?: { readonly body: string; readonly errors: number };
}

const declareIdentities = (names: readonly string[], labelled = false) =>
  names.map((n) => `const ${n} = userAssignedIdentity("${id(n)}"${labelled ? `, "L${n}"` : ""});`).join("\n");
const names = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);

/** A pool with `n` identities attached in calls of eight, under an account whose node identity is `id0`. */
function poolProgram(n: number, attach: readonly string[]): string {
  const chunks: string[] = [];
  for (let i = 0; i < attach.length; i += 8) chunks.push(`  .withIdentities(${attach.slice(i, i + 8).join(", ")})`);
  return [
    `declare const url: string;`,
    declareIdentities(names(n)),
    `const account = batchAccount("acct", { location: "westeurope" })`,
    `  .withSystemAssignedIdentity()`,
    `  .withAutoStorage({ storageAccountId: "st", authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: id0 })`,
    `  .build();`,
    `export const render = pool("render", account)`,
    ...chunks,
    `  .withProperties({ vmSize: "STANDARD_D2S_V3" })`,
    `  .withApplicationPackages({ id: "ffmpeg", version: "6.1" })`,
    `  .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: id1 }), resourceFile.fromAutoStorageContainer("inputs")] })`,
    `  .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: id2 })`,
    `  .withBlobMount({ accountName: "st", containerName: "data", relativeMountPath: "data", identity: id3 })`,
    `  .build();`,
  ].join("\n");
}

/** `tasks` tasks on a pool of `n` identities, each with three identity references (round robin). */
export function tasksProgram(n: number, tasks: number, attach: readonly string[] = names(n), labelled = false): string {
  const lines = [
    `declare const url: string;`,
    declareIdentities(names(n), labelled),
    `const account = batchAccount("acct", { location: "westeurope" }).build();`,
    `const render = pool("render", account).withIdentities(${attach.join(", ")}).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();`,
    `const frames = job("frames", render).build();`,
  ];
  for (let t = 0; t < tasks; t++) {
    const [a, b, c] = [(3 * t) % n, (3 * t + 1) % n, (3 * t + 2) % n];
    lines.push(
      `export const t${t} = task("t${t}", frames).withCommandLine("render.sh ${t}")` +
        `.withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "model.bin", identity: id${a} }))` +
        `.withResourceFile(resourceFile.fromContainerUrl(url, { identity: id${b} }))` +
        `.withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: url, identity: id${c}, uploadCondition: "taskSuccess" }))` +
        `.build();`,
    );
  }
  return lines.join("\n");
}

export const fixtures: readonly Fixture[] = [
  {
    name: "identity: one literal resource id",
    happy: declareIdentities(["worker"]),
    error: { body: `const worker = userAssignedIdentity("/subscriptions/not-a-guid/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");`, errors: 1 },
  },
  {
    name: "pool: 8 identities, every pool site, build()",
    happy: poolProgram(8, names(8)),
    // id3 (the blob mount's) not attached: one error, at withBlobMount (build() checks only the uses
    // made before withIdentities, so it does not repeat it).
    error: { body: poolProgram(8, names(8).filter((n) => n !== "id3")), errors: 1 },
  },
  {
    name: "pool: node identity not attached (build() receiver)",
    happy: poolProgram(8, names(8)),
    error: { body: poolProgram(8, names(8).filter((n) => n !== "id0")), errors: 1 },
  },
  {
    name: "job: manager, preparation and release tasks",
    happy: [
      `declare const url: string;`,
      declareIdentities(["a", "b"]),
      `const account = batchAccount("acct", { location: "westeurope" }).build();`,
      `const render = pool("render", account).withIdentities(a, b).build();`,
      `export const frames = job("frames", render)`,
      `  .withManagerTask({ id: "m", commandLine: "m.sh", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "m", identity: a })], outputFiles: [outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: b })] })`,
      `  .withPreparationTask({ commandLine: "p.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: b })] })`,
      `  .withReleaseTask({ commandLine: "r.sh", containerSettings: { imageName: "i", registry: { registryServer: "r", identity: a } } })`,
      `  .build();`,
    ].join("\n"),
  },
  {
    name: "tasks: 20 tasks × 3 references, pool of 8",
    happy: tasksProgram(8, 20),
    error: { body: tasksProgram(8, 20, names(8).slice(1)), errors: 8 },
  },
  {
    // Labelled handles with literal ids: the pool and every task carry [label, id] pairs.
    name: "tasks: 20 tasks × 3 labelled references, pool of 32",
    happy: tasksProgram(32, 20, names(32), true),
    error: { body: tasksProgram(32, 20, names(32).slice(1), true), errors: 2 },
  },
  {
    name: "tasks: 20 tasks × 3 references, pool of 32",
    happy: tasksProgram(32, 20),
    error: { body: tasksProgram(32, 20, names(32).slice(1)), errors: 2 },
  },
];
