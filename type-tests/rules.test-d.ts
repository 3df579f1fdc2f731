/**
 * One must-not-compile program per rule, against the built `.d.ts`. Each `expectError` wraps an
 * expression that compiles once the one mistake is removed (the matching valid program is next to
 * it, or in valid.test-d.ts), so removing the rule makes this file fail.
 *
 * tsd's `expectError` accepts the codes these rules produce: TS2345/TS2322 (the error text replaces
 * the argument's type), TS2349 (`.build` typed as the error when the combination is wrong), TS2769/TS2353 (shapes that cannot be
 * written). The exact texts and positions are asserted in test/rules/compiler-messages.test.ts.
 */
import { expectAssignable, expectError, expectType } from "tsd";
import {
  autoPool, batchAccount, job, jobSchedule, outputFile, pool, resourceFile, task, userAssignedIdentity,
  type AutoPoolSpec, type BatchClient, type JobSpec, type PoolSpec, type TaskBuilderOf, type TaskSpec, type UserAssignedIdentity,
} from "typed-batch";

declare const url: string;
declare const readerId: string;
declare const label: string;
const storageAccountId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore";
const worker = userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");
const reader = userAssignedIdentity(readerId, "reader");
const stranger = userAssignedIdentity(readerId, "stranger");

const account = batchAccount("acct", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker }).build();
const noNodeAccount = batchAccount("acct-nonode", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity" }).build();
const render = pool("render", account).withIdentities(worker, reader).build();
const readerOnly = pool("reader-only", account).withIdentities(reader).build();
const noNodePool = pool("nonode", noNodeAccount).withIdentities(reader).build();
const frames = job("frames", render).build();
const readerFrames = job("reader-frames", readerOnly).build();
const noNodeFrames = job("nonode-frames", noNodePool).build();
const nightlyPool = autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } });
const nightly = job("nightly", nightlyPool).build();

// ---------------------------------------------------------------- identities
// malformed literal id (not a GUID; wrong provider)
expectError(userAssignedIdentity("/subscriptions/not-a-guid/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker"));
expectError(userAssignedIdentity("/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/worker"));
// non-literal id without a label
expectError(userAssignedIdentity(readerId));
// non-literal label
expectError(userAssignedIdentity(readerId, label));
expectAssignable<UserAssignedIdentity<"reader">>(userAssignedIdentity(readerId, "reader"));
// one label, two different literal ids: an error where they meet (IDENTITY_LABEL_CONFLICT at run time)
const alphaId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/alpha";
const betaId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/beta";
const readerAlpha = userAssignedIdentity(alphaId, "reader");
const readerBeta = userAssignedIdentity(betaId, "reader");
expectType<UserAssignedIdentity<"reader", typeof alphaId>>(readerAlpha);
const alphaPool = pool("alpha", account).withIdentities(worker, readerAlpha);
const alphaSpec = alphaPool.build();
const alphaFrames = job("alpha-frames", alphaSpec).build();
// both in one withIdentities call, and in two calls
expectError(pool("p", account).withIdentities(readerAlpha, readerBeta));
expectError(alphaPool.withIdentities(readerBeta));
// the pool carries one, a start task / registry / mount uses the other
expectError(alphaPool.withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: readerBeta })] }));
expectError(alphaPool.withContainerRegistry({ registryServer: "r.azurecr.io", identity: readerBeta }));
expectError(alphaPool.withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: readerBeta }));
// used before it is attached: the attaching call is refused
expectError(pool("p", account).withContainerRegistry({ registryServer: "r.azurecr.io", identity: readerBeta }).withIdentities(readerAlpha));
// a job's and a task's uses
expectError(job("j", alphaSpec).withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "f", identity: readerBeta })] }));
expectError(jobSchedule("s", alphaSpec).withPreparationTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: readerBeta } } }));
expectError(task("t", alphaFrames).withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerBeta })));
expectError(task("t", alphaFrames).withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: readerBeta })));
expectError(task("t", alphaFrames).withContainerSettings({ imageName: "i", registry: { identity: readerBeta } }));
// the account's identities and node identity share the labels of its pools: one label, two ids
expectError(batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(readerAlpha, readerBeta));
expectError(batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(readerAlpha).withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: readerBeta }));
expectError(batchAccount("a", { location: "westeurope" }).withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: readerBeta }).withUserAssignedIdentities(readerAlpha));
const readerAlphaAccount = batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(readerAlpha).build();
expectError(pool("p", readerAlphaAccount).withIdentities(readerBeta));
expectError(pool("p", readerAlphaAccount).withIdentities(worker).withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: readerBeta }));
const readerAlphaNodeAccount = batchAccount("a", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: readerAlpha }).build();
expectError(pool("p", readerAlphaNodeAccount).withIdentities(readerBeta));
const readerAlphaNodeFrames = job("j", pool("p", readerAlphaNodeAccount).withIdentities(readerAlpha, worker).build()).build();
expectError(task("t", readerAlphaNodeFrames).withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerBeta })));
// a resource's own uses share its labels: two calls of a task, a job's tasks, one argument (on build), a pool's uses
const alphaBetaPool = pool("ab", account).withIdentities(worker, userAssignedIdentity(alphaId), userAssignedIdentity(betaId)).build();
const alphaBetaFrames = job("ab-frames", alphaBetaPool).build();
expectError(task("t", alphaBetaFrames).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerAlpha })).withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerBeta })).build());
expectError(job("j", alphaBetaPool).withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: readerAlpha })] }).withReleaseTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: readerBeta } } }));
expectError(jobSchedule("s", alphaBetaPool).withPreparationTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: readerAlpha }), resourceFile.fromContainerUrl(url, { identity: readerBeta })] }).build());
expectError(pool("ab", account).withIdentities(worker, userAssignedIdentity(alphaId), userAssignedIdentity(betaId)).withContainerRegistry({ registryServer: "r.azurecr.io", identity: readerAlpha }).withContainerRegistry({ registryServer: "s.azurecr.io", identity: readerBeta }));
// a pool that also has an identity known only as UserAssignedIdentity keeps its labels
declare const wideHandle: UserAssignedIdentity;
expectError(pool("w", account).withIdentities(wideHandle, readerAlpha).withContainerRegistry({ registryServer: "r.azurecr.io", identity: readerBeta }));
expectError(task("t", job("wj", pool("w", account).withIdentities(wideHandle, readerAlpha).build()).build()).withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerBeta })));
// the same label on the same id across a task's calls compiles
task("t", alphaBetaFrames).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerAlpha })).withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: readerAlpha })).build();
// the same uses with the pool's own handle compile
task("t", alphaFrames).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: readerAlpha })).withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: readerAlpha })).build();

// ---------------------------------------------------------------- account
// BatchAccountManagedIdentity without an account identity
expectError(batchAccount("acct-noid", { location: "westeurope" }).withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity" }).build());
batchAccount("acct-sys", { location: "westeurope" }).withSystemAssignedIdentity().withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity" }).build();
// customer-managed key without the system-assigned identity (BatchManagement.json 2025-06-01, KeySource)
expectError(batchAccount("acct-cmk", { location: "westeurope" }).withUserAssignedIdentities(worker).withCustomerManagedKey({ keyIdentifier: "https://v.vault.azure.net/keys/k" }).build());
expectError(batchAccount("acct-cmk", { location: "westeurope" }).withCustomerManagedKey({ keyIdentifier: "https://v.vault.azure.net/keys/k" }).build());
batchAccount("acct-cmk", { location: "westeurope" }).withCustomerManagedKey({ keyIdentifier: "https://v.vault.azure.net/keys/k" }).withSystemAssignedIdentity().build();

// ---------------------------------------------------------------- pool: every identity it uses is attached
const workerPool = pool("render", account).withIdentities(worker);
// start task resource file
expectError(workerPool.withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] }));
workerPool.withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: worker })] });
// start task container registry
expectError(workerPool.withStartTask({ commandLine: "setup.sh", containerSettings: { imageName: "i", registry: { identity: reader } } }));
workerPool.withStartTask({ commandLine: "setup.sh", containerSettings: { imageName: "i", registry: { identity: worker } } });
// pool container registry
expectError(workerPool.withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: reader }));
workerPool.withContainerRegistry({ registryServer: "myreg.azurecr.io", identity: worker });
// blob mount
expectError(workerPool.withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: reader }));
workerPool.withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: worker });
// blob mount with two credentials: mutually exclusive by type (and with an identity that IS attached)
expectError(workerPool.withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", identity: worker, accountKey: "k" }));
expectError(workerPool.withBlobMount({ accountName: "a", containerName: "c", relativeMountPath: "m", sasKey: "s", accountKey: "k" }));

// scenario 3: application packages, account has no node identity reference
expectError(pool("render", noNodeAccount).withIdentities(reader).withApplicationPackages({ id: "ffmpeg" }).build());
pool("render", noNodeAccount).withIdentities(reader).build();
// scenario 4: application packages, node identity not on the pool
expectError(pool("render", account).withIdentities(reader).withApplicationPackages({ id: "ffmpeg" }).build());
pool("render", account).withIdentities(reader, worker).withApplicationPackages({ id: "ffmpeg" }).build();
// scenario 4 through an autostorage start task file
expectError(pool("render", account).withIdentities(reader).withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromAutoStorageContainer("setup")] }).build());
// scenario 4 with a start task added after the packages
expectError(pool("render", account).withIdentities(reader).withApplicationPackages({ id: "ffmpeg" }).withStartTask({ commandLine: "x" }).build());

// use before declare: used before withIdentities and declared after compiles ...
expectAssignable<PoolSpec>(pool("late", account).withContainerRegistry({ identity: reader }).withIdentities(reader).build());
// ... never declared is a build() error ...
expectError(pool("late", account).withContainerRegistry({ identity: reader }).build());
// ... and so is declaring some other identity
expectError(pool("late", account).withContainerRegistry({ identity: reader }).withIdentities(worker).build());

// a system-assigned identity cannot be passed to withIdentities
declare const systemAssigned: { readonly kind: "SystemAssigned"; readonly key: "system"; readonly resourceId: string; readonly canonicalId: string; readonly name: string };
expectError(pool("render", account).withIdentities(systemAssigned));
expectError(pool("render", account).withIdentities({ type: "SystemAssigned" }));
expectError(pool("render", account).withIdentities("SystemAssigned"));

// ---------------------------------------------------------------- job: job manager, preparation, release tasks
const readerJob = job("frames", readerOnly);
expectError(readerJob.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: stranger })] }));
expectError(readerJob.withManagerTask({ id: "m", commandLine: "x", outputFiles: [outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: stranger })] }));
expectError(readerJob.withManagerTask({ id: "m", commandLine: "x", containerSettings: { imageName: "i", registry: { identity: stranger } } }));
expectError(readerJob.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromAutoStorageContainer("inputs")] }));
readerJob.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })], outputFiles: [outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: reader })], containerSettings: { imageName: "i", registry: { identity: reader } } });
expectError(readerJob.withPreparationTask({ commandLine: "x", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "f", identity: stranger })] }));
expectError(readerJob.withPreparationTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: stranger } } }));
readerJob.withPreparationTask({ commandLine: "x", resourceFiles: [resourceFile.fromHttpUrl(url, { filePath: "f", identity: reader })], containerSettings: { imageName: "i", registry: { identity: reader } } });
expectError(readerJob.withReleaseTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: stranger })] }));
expectError(readerJob.withReleaseTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: stranger } } }));
readerJob.withReleaseTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })], containerSettings: { imageName: "i", registry: { identity: reader } } });

// auto-pool job: any identity use
const autoJob = job("nightly", nightlyPool);
expectError(autoJob.withPreparationTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] }));
expectError(autoJob.withManagerTask({ id: "m", commandLine: "x", outputFiles: [outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: worker })] }));
expectError(autoJob.withReleaseTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: reader } } }));
expectAssignable<JobSpec>(autoJob.withPreparationTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url)] }).build());

// job schedule: every job rule under jobSpecification
const readerSchedule = jobSchedule("nightly", readerOnly).withSchedule({ recurrenceInterval: "P1D" });
expectError(readerSchedule.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: stranger })] }));
expectError(readerSchedule.withPreparationTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: worker } } }));
expectError(readerSchedule.withReleaseTask({ commandLine: "x", resourceFiles: [resourceFile.fromAutoStorageContainer("inputs")] }));
expectError(jobSchedule("auto", nightlyPool).withManagerTask({ id: "m", commandLine: "x", outputFiles: [outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: reader })] }));
readerSchedule.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader })] }).build();

// ---------------------------------------------------------------- task
const renderTask = task("t", frames).withCommandLine("render.sh");
expectError(renderTask.withResourceFile(resourceFile.fromContainerUrl(url, { identity: stranger })));
expectError(renderTask.withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "f", identity: stranger })));
expectError(renderTask.withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: stranger })));
expectError(renderTask.withContainerSettings({ imageName: "i", registry: { identity: stranger } }));
// multi-instance common resource files
expectError(renderTask.withMultiInstanceSettings({ numberOfInstances: 2, coordinationCommandLine: "setup.sh", commonResourceFiles: [resourceFile.fromContainerUrl(url, { identity: stranger })] }));
expectError(task("t", readerFrames).withMultiInstanceSettings({ numberOfInstances: 2, coordinationCommandLine: "setup.sh", commonResourceFiles: [resourceFile.fromAutoStorageContainer("inputs")] }));
expectAssignable<TaskSpec>(renderTask.withMultiInstanceSettings({ numberOfInstances: 2, coordinationCommandLine: "setup.sh", commonResourceFiles: [resourceFile.fromContainerUrl(url, { identity: reader }), resourceFile.fromAutoStorageContainer("inputs")] }).build());
expectAssignable<TaskSpec>(
  renderTask
    .withResourceFile(resourceFile.fromContainerUrl(url, { identity: reader }))
    .withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "f", identity: worker }))
    .withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: reader }))
    .withContainerSettings({ imageName: "i", registry: { identity: worker } })
    .withResourceFile(resourceFile.fromAutoStorageContainer("inputs"))
    .withApplicationPackages({ id: "ffmpeg" })
    .build(),
);
// autostorage file: no node identity (resource-files#3), node identity not on the pool (resource-files#4)
expectError(task("t", noNodeFrames).withResourceFile(resourceFile.fromAutoStorageContainer("inputs")));
expectError(task("t", readerFrames).withResourceFile(resourceFile.fromAutoStorageContainer("inputs")));
// task application packages: same two cases
expectError(task("t", noNodeFrames).withApplicationPackages({ id: "ffmpeg" }));
expectError(task("t", readerFrames).withApplicationPackages({ id: "ffmpeg" }));
// a task on an auto-pool job
expectError(task("t", nightly).withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "f", identity: reader })));
expectError(task("t", nightly).withContainerSettings({ imageName: "i", registry: { identity: reader } }));
task("t", nightly).withResourceFile(resourceFile.fromHttpUrl(url, { filePath: "f" }));

// ---------------------------------------------------------------- task: commandLine is required (an unset slot until withCommandLine)
expectError(task("t", frames).build());
expectError(task("t", frames).withResourceFile(resourceFile.fromContainerUrl(url, { identity: reader })).build());
expectAssignable<TaskSpec>(task("t", frames).withResourceFile(resourceFile.fromContainerUrl(url, { identity: reader })).withCommandLine("render.sh").build());
// a builder that may or may not have one (a helper's TaskBuilderOf<typeof job>) must set it before building
declare const either: TaskBuilderOf<typeof frames>;
expectError(either.build());
expectAssignable<TaskSpec>(either.withCommandLine("render.sh").build());
expectAssignable<TaskSpec>(({} as TaskBuilderOf<typeof frames, string>).build());

// ---------------------------------------------------------------- resource files: one source, by construction
// fromHttpUrl without filePath
expectError(resourceFile.fromHttpUrl(url, {}));
expectError(resourceFile.fromHttpUrl(url, { identity: reader }));
// blobPrefix on fromHttpUrl options
expectError(resourceFile.fromHttpUrl(url, { filePath: "f", blobPrefix: "p/" }));
// identity on fromAutoStorageContainer
expectError(resourceFile.fromAutoStorageContainer("inputs", { identity: worker }));
resourceFile.fromAutoStorageContainer("inputs", { blobPrefix: "p/", filePath: "in", fileMode: "0755" });

// Rule 7 inside the auto-pool specification itself: no identity reference can be written there.
expectError(autoPool({ poolLifetimeOption: "job", pool: { vmSize: "S", startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "https://a/b", filePath: "b", identityReference: { resourceId: "/x" } }] } } }));
expectType<AutoPoolSpec<undefined>>(autoPool({ poolLifetimeOption: "job", pool: { vmSize: "S", startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "https://a/b?sig=x", filePath: "b" }] } } }));

// Node log upload: the identity the node writes the container with must be on the pool.
declare const client: BatchClient;
expectError(client.nodes.uploadLogs(render, "tvm-1", { containerUrl: url, startTime: new Date(0), identity: stranger }));
expectType<Promise<{ virtualDirectoryName: string; numberOfFilesUploaded: number }>>(client.nodes.uploadLogs(render, "tvm-1", { containerUrl: url, startTime: new Date(0), identity: reader }));
