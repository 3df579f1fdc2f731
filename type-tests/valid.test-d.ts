/**
 * Programs that must compile, against the built `.d.ts`: api.md's examples (verbatim, with the
 * values api.md leaves undefined declared first) and the shapes of what the builders return.
 */
import { expectAssignable, expectNotAssignable, expectType } from "tsd";
import {
  autoPool, batchAccount, job, outputFile, pool, resourceFile, task, userAssignedIdentity,
  type AutoPoolSpec, type BatchAccountSpec, type ContainerOutputFile, type ContainerUrlResourceFile, type DeploymentInput,
  type HttpUrlResourceFile, type JobSpec, type PoolSpec, type TaskSpec, type UserAssignedIdentity, type AutoStorageResourceFile,
} from "typed-batch";

// ---- values api.md uses without defining
declare const url: string;
declare const blobUrl: string;
declare const containerUrl: string;
declare const accountName: string;
declare const containerName: string;
declare const deploymentConfiguration: DeploymentInput;
const scaleSettings = { fixedScale: { targetDedicatedNodes: 2 } };
const storageAccountId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore";
type WorkerId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker";

// ---- api.md: Identities
const worker = userAssignedIdentity(
  "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");
const fromConfig = userAssignedIdentity(process.env.READER_ID!, "reader"); // non-literal id: a literal label is required
const reader = fromConfig;
expectType<UserAssignedIdentity<WorkerId>>(worker);
expectType<UserAssignedIdentity<"reader">>(fromConfig);
// Ids are case-insensitive in their fixed segments: a lower-case literal is well formed too.
expectType<UserAssignedIdentity<"/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourcegroups/render/providers/microsoft.managedidentity/userassignedidentities/worker">>(
  userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourcegroups/render/providers/microsoft.managedidentity/userassignedidentities/worker"));

// ---- api.md: Management plane (account and pool), verbatim
const account = batchAccount("acct", { location: "westeurope" })
  .withSystemAssignedIdentity()                      // or .withUserAssignedIdentities(a, b, ...)
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
  .build();                                          // BatchAccountSpec; .toArm() gives the SDK's create parameters

const render = pool("render", account)
  .withIdentities(worker, reader)
  .withProperties({ vmSize: "STANDARD_D2S_V3", deploymentConfiguration, scaleSettings }) // the SDK's own Pool type, minus identity-bearing fields
  .withApplicationPackages({ id: "ffmpeg", version: "6.1" })
  .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] })
  .withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader })
  .withBlobMount({ accountName, containerName, relativeMountPath: "data", identity: reader })
  .build();                                          // PoolSpec; .toArm() gives the SDK's Pool model

expectType<BatchAccountSpec<"acct", "BatchAccountManagedIdentity", WorkerId>>(account);
expectType<PoolSpec<"render", typeof account, WorkerId | "reader">>(render);

// the account alternatives
expectAssignable<BatchAccountSpec>(batchAccount("users", { location: "westeurope" }).withUserAssignedIdentities(worker, reader).build());
expectAssignable<BatchAccountSpec>(batchAccount("keys", { location: "westeurope" }).withAutoStorage({ storageAccountId }).build());
expectAssignable<BatchAccountSpec>(batchAccount("keys2", { location: "westeurope" }).withAutoStorage({ storageAccountId, authenticationMode: "StorageKeys" }).build());

// ---- api.md: Data plane (jobs and tasks), verbatim but for the elided preparation files
const frames = job("frames", render)
  .withPreparationTask({ commandLine: "prep.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: worker })] })   // also withManagerTask, withReleaseTask
  .build();                                                                 // JobSpec

const t = task("frame-0001", frames)
  .withCommandLine("render.sh 1")
  .withResourceFile(resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "scene/" }))
  .withResourceFile(resourceFile.fromHttpUrl(blobUrl, { filePath: "model.bin", identity: reader }))
  .withOutputFile(outputFile.toContainer({ filePattern: "*.png", containerUrl, identity: reader, uploadCondition: "taskSuccess" }))
  .withApplicationPackages({ id: "ffmpeg" })
  .withContainerSettings({ imageName: "myreg.azurecr.io/render:1", registry: { registryServer: "myreg.azurecr.io", identity: reader } })
  .build();                                                                 // TaskSpec; .toBatch() gives the SDK's TaskAddParameter

expectType<JobSpec<"frames", typeof render>>(frames);
expectType<TaskSpec>(t);

// every job-level task site with attached identities
expectAssignable<JobSpec>(
  job("all-sites", render)
    .withManagerTask({
      id: "manager",
      commandLine: "manage.sh",
      resourceFiles: [resourceFile.fromHttpUrl(blobUrl, { filePath: "m.bin", identity: worker }), resourceFile.fromAutoStorageContainer("inputs")],
      outputFiles: [outputFile.toContainer({ filePattern: "*.log", containerUrl, identity: reader })],
      containerSettings: { imageName: "myreg.azurecr.io/m:1", registry: { registryServer: "myreg.azurecr.io", identity: reader } },
    })
    .withReleaseTask({ commandLine: "release.sh", containerSettings: { imageName: "i", registry: { identity: worker } } })
    .withProperties({ priority: 100 })
    .build(),
);

// ---- api.md: auto-pools, with no identity use
const nightly = job("nightly", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } }))
  .withPreparationTask({ commandLine: "prep.sh", resourceFiles: [resourceFile.fromHttpUrl(blobUrl, { filePath: "model.bin" })] })
  .build();
expectAssignable<JobSpec<"nightly", AutoPoolSpec>>(nightly);
expectAssignable<TaskSpec>(task("n-1", nightly).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url)).withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl })).build());

// ---- use before declare: identities used first, attached later, in any order
expectAssignable<PoolSpec>(
  pool("late", account)
    .withApplicationPackages({ id: "ffmpeg" })
    .withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromHttpUrl(blobUrl, { filePath: "f", identity: reader })] })
    .withBlobMount({ accountName, containerName, relativeMountPath: "m", identity: reader })
    .withIdentities(reader)
    .withIdentities(worker)
    .build(),
);

// ---- credentials other than identities
expectAssignable<PoolSpec>(
  pool("keys", account)
    .withBlobMount({ accountName, containerName, relativeMountPath: "a", accountKey: "k" })
    .withBlobMount({ accountName, containerName, relativeMountPath: "b", sasKey: "s" })
    .withContainerRegistry({ registryServer: "docker.io", userName: "u", password: "p" })
    .build(),
);

// ---- a pool under a StorageKeys account needs no node identity for packages
const keysAccount = batchAccount("keys", { location: "westeurope" }).withAutoStorage({ storageAccountId }).build();
expectAssignable<PoolSpec>(pool("pk", keysAccount).withApplicationPackages({ id: "ffmpeg" }).build());

// ---- the factories' types carry the identity key (or none)
expectType<ContainerUrlResourceFile<"reader">>(resourceFile.fromContainerUrl(url, { identity: reader }));
expectType<ContainerUrlResourceFile<never>>(resourceFile.fromContainerUrl(url, { blobPrefix: "p/" }));
expectType<HttpUrlResourceFile<WorkerId>>(resourceFile.fromHttpUrl(blobUrl, { filePath: "f", identity: worker }));
expectType<AutoStorageResourceFile>(resourceFile.fromAutoStorageContainer("inputs"));
expectType<ContainerOutputFile<"reader">>(outputFile.toContainer({ filePattern: "*", containerUrl, identity: reader }));

// ---- a pool's type lists exactly its identities
expectNotAssignable<PoolSpec<"render", typeof account, "reader">>(render);

// ---- ids compare case-insensitively, as ARM and the guards compare them
const workerUpper = userAssignedIdentity("/SUBSCRIPTIONS/6E5A4C1B-2F0D-4B9E-9C1A-3D2F1E0B7A55/RESOURCEGROUPS/RENDER/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/WORKER");
const workerLower = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourcegroups/render/providers/microsoft.managedidentity/userassignedidentities/worker");
const caseAccount = batchAccount("case", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: workerLower }).build();
const casePool = pool("case", caseAccount).withIdentities(worker)
  .withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: workerUpper })] })
  .withApplicationPackages({ id: "ffmpeg" })
  .build();
expectAssignable<PoolSpec>(casePool);
expectAssignable<TaskSpec>(task("t", job("j", casePool).build()).withCommandLine("x").withResourceFile(resourceFile.fromHttpUrl(blobUrl, { filePath: "f", identity: workerLower })).withResourceFile(resourceFile.fromAutoStorageContainer("in")).build());

// ---- one label, two ids: no compile error when an id is known only at run time (the guard decides),
// nor when the two literals are the same id in another letter case
const labelAlpha = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha", "alpha");
const labelAlphaUpper = userAssignedIdentity("/SUBSCRIPTIONS/6E5A4C1B-2F0D-4B9E-9C1A-3D2F1E0B7A55/RESOURCEGROUPS/RENDER/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/ALPHA", "alpha");
const labelAlphaFromConfig = userAssignedIdentity(process.env.ALPHA_ID ?? "", "alpha");
const labelPool = pool("labels", caseAccount).withIdentities(worker, labelAlpha, labelAlphaUpper).build();
expectAssignable<PoolSpec>(labelPool);
expectAssignable<TaskSpec>(
  task("t", job("j", labelPool).build())
    .withCommandLine("x")
    .withResourceFile(resourceFile.fromContainerUrl(url, { identity: labelAlphaFromConfig }))
    .withResourceFile(resourceFile.fromContainerUrl(url, { identity: labelAlphaUpper }))
    .build(),
);
expectAssignable<PoolSpec>(pool("labels2", caseAccount).withIdentities(worker, labelAlphaFromConfig).withContainerRegistry({ registryServer: "r.azurecr.io", identity: labelAlpha }).build());

// ---- a labelled handle and a handle by literal id for one identity are one identity (the guards
// compare ids): attached by one and used by the other, in either order and letter case
const alphaById = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha");
const alphaByIdUpper = userAssignedIdentity("/SUBSCRIPTIONS/6E5A4C1B-2F0D-4B9E-9C1A-3D2F1E0B7A55/RESOURCEGROUPS/RENDER/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/ALPHA");
const attachedByLabel = pool("by-label", caseAccount).withIdentities(worker, labelAlpha)
  .withContainerRegistry({ registryServer: "r.azurecr.io", identity: alphaByIdUpper }).build();
expectAssignable<TaskSpec>(task("t", job("j", attachedByLabel).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: alphaById })).build());
const attachedById = pool("by-id", caseAccount).withIdentities(worker, alphaByIdUpper)
  .withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: labelAlpha }).build();
expectAssignable<TaskSpec>(task("t", job("j", attachedById).build()).withCommandLine("x").withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: labelAlphaUpper, uploadCondition: "taskSuccess" })).build());
// used before it is attached by the other handle
expectAssignable<PoolSpec>(pool("later", caseAccount).withContainerRegistry({ registryServer: "r.azurecr.io", identity: labelAlpha }).withIdentities(worker, alphaById).build());
// the account's node identity under a label, attached to the pool by its id: packages and autostorage files compile
const labelledNodeAccount = batchAccount("labelled-node", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: labelAlpha }).build();
const labelledNodePool = pool("labelled-node", labelledNodeAccount).withIdentities(alphaByIdUpper).withApplicationPackages({ id: "ffmpeg" }).build();
expectAssignable<TaskSpec>(task("t", job("j", labelledNodePool).build()).withCommandLine("x").withResourceFile(resourceFile.fromAutoStorageContainer("in")).build());
// one id under two labels is one identity: used under one, attached under the other
const alphaFirst = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha", "first");
const alphaSecond = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha", "second");
expectAssignable<PoolSpec>(pool("two-labels-use", caseAccount).withContainerRegistry({ registryServer: "r.azurecr.io", identity: alphaSecond }).withIdentities(worker, alphaFirst).build());
// ...and attached under another label (one id, two labels: one identity)
expectAssignable<PoolSpec>(pool("two-labels", labelledNodeAccount).withIdentities(userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha", "other")).withApplicationPackages({ id: "ffmpeg" }).build());
