/**
 * Brands: only typed-batch makes identity handles (`userAssignedIdentity(...)`), specs (`build()`,
 * `autoPool(...)`, `client.*.get(...)`), and a compile-time error is an object type that no value
 * satisfies. So neither a hand-written look-alike nor the text of an error message compiles where a
 * handle, a spec or a file is expected. Each `expectError` has its compiling twin right after it.
 */
import { expectError } from "tsd";
import { autoPool, batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity, type BatchClient } from "typed-batch";

declare const url: string;
declare const client: BatchClient;
const workerId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker";
const worker = userAssignedIdentity(workerId);
const account = batchAccount("acct", { location: "westeurope" }).build();
const render = pool("render", account).withIdentities(worker).build();
const frames = job("frames", render).build();

// ---------------------------------------------------------------- error texts are not values
// The exact texts the compiler would show for a stranger's identity on this pool.
const notAttached = "typed-batch: identity 'stranger' is not attached to pool 'render'; fix: add it with .withIdentities(..., stranger)" as const;
expectError(task("t", frames).withResourceFile(notAttached));
task("t", frames).withResourceFile(resourceFile.fromContainerUrl(url, { identity: worker }));
expectError(task("t", frames).withOutputFile(notAttached));
task("t", frames).withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: worker }));
expectError(resourceFile.fromContainerUrl(url, { identity: notAttached }));
expectError(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: notAttached }));
expectError(pool("p", account).withIdentities(notAttached));
expectError(task("t", frames).withContainerSettings({ imageName: "i", registry: { identity: notAttached } }));
task("t", frames).withContainerSettings({ imageName: "i", registry: { identity: worker } });
const badId = "typed-batch: '/subscriptions/x' is not a user-assigned identity resource id" as const;
expectError(userAssignedIdentity(badId));

// ---------------------------------------------------------------- look-alike handles
const fakeWorker = { kind: "UserAssigned", key: workerId, resourceId: workerId, canonicalId: workerId.toLowerCase(), name: "worker" } as const;
expectError(pool("p", account).withIdentities(fakeWorker));
pool("p", account).withIdentities(worker);
expectError(resourceFile.fromContainerUrl(url, { identity: fakeWorker }));
expectError(resourceFile.fromHttpUrl(url, { filePath: "f", identity: fakeWorker }));
expectError(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: fakeWorker }));
expectError(batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(fakeWorker));
expectError(batchAccount("a", { location: "westeurope" }).withAutoStorage({ storageAccountId: "s", nodeIdentity: fakeWorker }));
expectError(client.pools.get("render", { expect: [fakeWorker] }));
client.pools.get("render", { expect: [worker] });

// ---------------------------------------------------------------- look-alike specs
const fakeAccount = { name: "acct", identityType: "None", identities: [], autoStorageMode: "None", nodeIdentity: undefined, toArm: () => ({ location: "westeurope" }) } as const;
expectError(pool("p", fakeAccount));
pool("p", account);
const fakePool = { name: "render", account, identities: [worker], toArm: () => ({}) } as const;
expectError(job("j", fakePool));
job("j", render);
expectError(client.pools.create(fakePool));
client.pools.create(render);
const fakeAutoPool = { kind: "autoPool", account: undefined, specification: { poolLifetimeOption: "job" } } as const;
expectError(job("j", fakeAutoPool));
job("j", autoPool({ poolLifetimeOption: "job" }));
const fakeJob = { id: "frames", pool: render, toBatch: () => ({ id: "frames", poolInfo: { poolId: "render" } }) } as const;
expectError(task("t", fakeJob));
task("t", frames);
expectError(client.jobs.create(fakeJob));
client.jobs.create(frames);
const fakeTask = { id: "t", job: frames, toBatch: () => ({ id: "t", commandLine: "x" }) } as const;
expectError(client.tasks.add(fakeTask));
client.tasks.add(task("t", frames).withCommandLine("x").build());
