/**
 * Generates the type-cost programs: one pool with N user-assigned identities, one job, and T tasks
 * each using three identity references (an HTTP resource file, a container resource file, an output
 * file), written once with typed-batch's builders and once against the raw SDK types
 * (`@azure/arm-batch` `Pool`, `@azure/batch` `TaskAddParameter` object literals).
 *
 * The error variant leaves identity `id0` out of the pool: typed-batch reports every reference to
 * it (the raw SDK program still compiles; that is the point of the library). The baseline variant
 * is the imports alone, so the fixed cost of loading the declarations can be told apart from the
 * cost of the code.
 */

/** Which program. */
export interface ProgramSpec {
  readonly flavour: "typed" | "raw";
  /**
   * `consumer`: a small two-file user program checked with `skipLibCheck: false`, so the cost of
   * checking the declarations it imports (typed-batch's own, or the three SDKs alone) is counted.
   */
  readonly variant: "happy" | "error" | "baseline" | "consumer";
  /** Identities on the pool (the error variant attaches one fewer). */
  readonly identities: number;
  /** Tasks, each with three identity references. */
  readonly tasks: number;
}

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
/** The literal resource id of identity `i`. */
export const identityId = (i: number): string =>
  `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`;

/** The three identities task `t` references, round robin over the pool's identities. */
export const taskRefs = (t: number, identities: number): [number, number, number] => [(3 * t) % identities, (3 * t + 1) % identities, (3 * t + 2) % identities];

/** How many references the error variant gets wrong (those to `id0`). */
export function expectedErrors(spec: ProgramSpec): number {
  if (spec.variant !== "error" || spec.flavour === "raw") return 0;
  let n = 0;
  for (let t = 0; t < spec.tasks; t++) n += taskRefs(t, spec.identities).filter((r) => r === 0).length;
  return n;
}

/** A short name such as `typed-happy-32`. */
export function programName(spec: ProgramSpec): string {
  return spec.variant === "baseline" || spec.variant === "consumer" ? `${spec.flavour}-${spec.variant}` : `${spec.flavour}-${spec.variant}-${spec.identities}`;
}

/** The identities the pool attaches. */
function attached(spec: ProgramSpec): number[] {
  const all = Array.from({ length: spec.identities }, (_, i) => i);
  return spec.variant === "error" ? all.slice(1) : all;
}

/** The program's files (name → text); the first is the root. */
export function generateProgram(spec: ProgramSpec): Record<string, string> {
  if (spec.variant === "consumer") return spec.flavour === "typed" ? typedConsumer() : rawConsumer();
  return { "main.ts": spec.flavour === "typed" ? typedProgram(spec) : rawProgram(spec) };
}

// The consumer programs: the same small deployment (an identity, an account, a pool, a job, a task,
// a client), written once with typed-batch and once with the three SDKs typed-batch wraps.
function typedConsumer(): Record<string, string> {
  return {
    "main.ts": [
      `import { createBatchClient, outputFile, resourceFile, task } from "typed-batch";`,
      `import { frames, worker } from "./setup.js";`,
      `declare const url: string;`,
      `export const t = task("t0", frames)`,
      `  .withCommandLine("render.sh 0")`,
      `  .withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "model.bin", identity: worker }))`,
      `  .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: url, identity: worker, uploadCondition: "taskSuccess" }))`,
      `  .build();`,
      `export const client = createBatchClient({ subscriptionId: "s", resourceGroup: "g", accountName: "acct", accountEndpoint: "https://acct.westeurope.batch.azure.com" });`,
      ``,
    ].join("\n"),
    "setup.ts": [
      `import { batchAccount, job, pool, userAssignedIdentity } from "typed-batch";`,
      `export const worker = userAssignedIdentity("${identityId(0)}");`,
      `const account = batchAccount("acct", { location: "westeurope" }).build();`,
      `const render = pool("render", account).withIdentities(worker).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();`,
      `export const frames = job("frames", render).build();`,
      ``,
    ].join("\n"),
  };
}

function rawConsumer(): Record<string, string> {
  return {
    "main.ts": [
      `import { BatchServiceClient, BatchSharedKeyCredentials, type TaskAddParameter } from "@azure/batch";`,
      `import { BatchManagementClient } from "@azure/arm-batch";`,
      `import { DefaultAzureCredential } from "@azure/identity";`,
      `import { frames, worker } from "./setup.js";`,
      `declare const url: string;`,
      `export const t: TaskAddParameter = {`,
      `  id: "t0",`,
      `  commandLine: "render.sh 0",`,
      `  resourceFiles: [{ httpUrl: url, filePath: "model.bin", identityReference: { resourceId: worker } }],`,
      `  outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: url, identityReference: { resourceId: worker } } }, uploadOptions: { uploadCondition: "tasksuccess" } }],`,
      `};`,
      `export const job = frames;`,
      `export const clients = [new BatchManagementClient(new DefaultAzureCredential(), "s"), new BatchServiceClient(new BatchSharedKeyCredentials("a", "k"), "https://acct.westeurope.batch.azure.com")] as const;`,
      ``,
    ].join("\n"),
    "setup.ts": [
      `import type { BatchAccountCreateParameters, Pool } from "@azure/arm-batch";`,
      `import type { JobAddParameter } from "@azure/batch";`,
      `export const worker = "${identityId(0)}";`,
      `export const account: BatchAccountCreateParameters = { location: "westeurope" };`,
      `export const render: Pool = { vmSize: "STANDARD_D2S_V3", identity: { type: "UserAssigned", userAssignedIdentities: { [worker]: {} } } };`,
      `export const frames: JobAddParameter = { id: "frames", poolInfo: { poolId: "render" } };`,
      ``,
    ].join("\n"),
  };
}

function typedProgram(spec: ProgramSpec): string {
  const out: string[] = [`import { batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";`];
  if (spec.variant === "baseline") {
    out.push(`export const used = [batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity] as const;`);
    return out.join("\n") + "\n";
  }
  out.push(`declare const url: string;`);
  for (let i = 0; i < spec.identities; i++) out.push(`const id${i} = userAssignedIdentity("${identityId(i)}");`);
  out.push(`const account = batchAccount("acct", { location: "westeurope" }).build();`);
  // Identities attached eight per call: a chain of calls, each widening the builder's union.
  const ids = attached(spec);
  const chunks: string[] = [];
  for (let i = 0; i < ids.length; i += 8) chunks.push(`  .withIdentities(${ids.slice(i, i + 8).map((n) => `id${n}`).join(", ")})`);
  out.push(`const render = pool("render", account)`, ...chunks, `  .withProperties({ vmSize: "STANDARD_D2S_V3" })`, `  .build();`);
  out.push(`const frames = job("frames", render).build();`);
  for (let t = 0; t < spec.tasks; t++) {
    const [a, b, c] = taskRefs(t, spec.identities);
    out.push(
      `export const t${t} = task("t${t}", frames)`,
      `  .withCommandLine("render.sh ${t}")`,
      `  .withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "model.bin", identity: id${a} }))`,
      `  .withResourceFile(resourceFile.fromContainerUrl(url, { identity: id${b} }))`,
      `  .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl: url, identity: id${c}, uploadCondition: "taskSuccess" }))`,
      `  .build();`,
    );
  }
  return out.join("\n") + "\n";
}

function rawProgram(spec: ProgramSpec): string {
  const out: string[] = [
    `import type { BatchAccountCreateParameters, Pool } from "@azure/arm-batch";`,
    `import type { JobAddParameter, TaskAddParameter } from "@azure/batch";`,
  ];
  if (spec.variant === "baseline") {
    out.push(`export type Used = [BatchAccountCreateParameters, Pool, JobAddParameter, TaskAddParameter];`);
    return out.join("\n") + "\n";
  }
  out.push(`declare const url: string;`);
  for (let i = 0; i < spec.identities; i++) out.push(`const id${i} = "${identityId(i)}";`);
  out.push(`export const account: BatchAccountCreateParameters = { location: "westeurope" };`);
  out.push(
    `export const render: Pool = {`,
    `  vmSize: "STANDARD_D2S_V3",`,
    `  identity: { type: "UserAssigned", userAssignedIdentities: { ${attached(spec).map((n) => `[id${n}]: {}`).join(", ")} } },`,
    `};`,
  );
  out.push(`export const frames: JobAddParameter = { id: "frames", poolInfo: { poolId: "render" } };`);
  for (let t = 0; t < spec.tasks; t++) {
    const [a, b, c] = taskRefs(t, spec.identities);
    out.push(
      `export const t${t}: TaskAddParameter = {`,
      `  id: "t${t}",`,
      `  commandLine: "render.sh ${t}",`,
      `  resourceFiles: [`,
      `    { httpUrl: url, filePath: "model.bin", identityReference: { resourceId: id${a} } },`,
      `    { storageContainerUrl: url, identityReference: { resourceId: id${b} } },`,
      `  ],`,
      `  outputFiles: [{ filePattern: "*.png", destination: { container: { containerUrl: url, identityReference: { resourceId: id${c} } } }, uploadOptions: { uploadCondition: "tasksuccess" } }],`,
      `};`,
    );
  }
  return out.join("\n") + "\n";
}

/**
 * The compiler options the programs are checked with: the repo's own (strict, exact optional
 * properties, NodeNext), `skipLibCheck` as users run it, no emit. "typed-batch" resolves through
 * the package's own `exports` to the built `dist/index.d.ts`, which is what users' compilers load.
 */
export const benchCompilerOptions = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2023"],
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
} as const;

/**
 * What a strict team's consumer project adds: `skipLibCheck: false` checks every declaration file
 * the program loads, and then `lib` needs `DOM`, because `@azure/identity`'s `@azure/msal-common`
 * declarations name `JsonWebKey` (with or without typed-batch).
 */
export const consumerCompilerOptions = { ...benchCompilerOptions, lib: ["ES2023", "DOM"], skipLibCheck: false } as const;

/** A `tsconfig.json` for one generated program. */
export function tsconfigFor(spec: ProgramSpec): string {
  const compilerOptions = spec.variant === "consumer" ? consumerCompilerOptions : benchCompilerOptions;
  return JSON.stringify({ compilerOptions, files: Object.keys(generateProgram(spec)).slice(0, 1) }, null, 2) + "\n";
}
