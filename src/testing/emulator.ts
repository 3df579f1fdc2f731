/**
 * `startEmulator`: wires the world, the routes, the listeners and the clock
 * together and hands tests one object with endpoints, credentials, client
 * options, seeding helpers and time control.
 */
import http from "node:http";
import https from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { createPackage, packageBlob, packageContainer } from "./arm/applications.js";
import { registerAccounts } from "./arm/accounts.js";
import { registerAccountKeys } from "./arm/account-keys.js";
import { registerSubscriptions } from "./arm/subscriptions.js";
import { upsertIdentity } from "./arm/identities.js";
import { registerApplications } from "./arm/applications.js";
import { registerIdentities } from "./arm/identities.js";
import { registerPools } from "./arm/pools.js";
import { addRoleAssignment, registerRoleAssignments } from "./arm/role-assignments.js";
import { advance, isSteady, settle } from "./behaviour/engine.js";
import { resizePool } from "./behaviour/node-lifecycle.js";
import { putBlob, registerBlob } from "./blob/blob.js";
import { registerJobs } from "./batch/jobs.js";
import { registerCounts } from "./batch/counts.js";
import { registerJobSchedules } from "./batch/job-schedules.js";
import { registerFiles } from "./batch/files.js";
import { registerNodes } from "./batch/nodes.js";
import { registerTasks } from "./batch/tasks.js";
import { SimClock } from "./clock.js";
import type { Env } from "./env.js";
import { FaultInjector, type FaultOptions } from "./faults.js";
import { imdsTokenUrl, readNodeFile, readTaskFile, uploadBlob, waitForTasks, type ImdsTokenRequest, type TaskOutcome, type WaitForTasksOptions } from "./helpers.js";
import { registerImds } from "./imds/imds.js";
import { createRandom } from "./prng.js";
import { Router } from "./router.js";
import { listen, type Listeners, type RequestLogEntry } from "./server.js";
import { World, type IdentityChange, type NodePackageStatus } from "./state.js";
import { createCertificate, type TlsMaterial } from "./tls.js";
import { emulatorCredential } from "./tokens.js";

/**
 * Options of {@link startEmulator}.
 * @example
 * ```ts
 * const emulator = await startEmulator({ latencyMs: 5, seed: 42 });
 * ```
 */
export interface EmulatorOptions {
  /**
   * Wall-clock delay added to every request, in milliseconds.
   * @default 0
   */
  latencyMs?: number;
  /**
   * Fault injection; see {@link FaultOptions}.
   * @default no faults
   */
  faults?: FaultOptions;
  /**
   * Seed of the pseudo-random streams (fault draws, generated GUIDs and node ids).
   * @default 1
   */
  seed?: number;
  /**
   * HTTPS port on 127.0.0.1; 0 picks a free one. IMDS always gets a free port.
   * @default 0
   */
  port?: number;
  /**
   * Batch accounts whose data-plane port is opened at start. Other accounts
   * get a port from a small pool of spare listeners when first named (by
   * `batchAccountUrl`, `clientConfigFor` or an ARM create), so listing them
   * here is only needed when many accounts are named at once.
   * @default ["emulated"]
   */
  batchAccounts?: string[];
  /**
   * Subscription id of the emulated world.
   * @default "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55"
   */
  subscriptionId?: string;
  /**
   * Default resource group (other resource group names are accepted too).
   * @default "typed-batch-emulator"
   */
  resourceGroup?: string;
  /**
   * Tenant id put in every token and identity.
   * @default "72f988bf-0000-4000-8000-00000000e1ec"
   */
  tenantId?: string;
  /**
   * Items per page of a data-plane list, and of the ARM pool list, when the request gives no
   * `maxresults` (Batch's own default and maximum is 1000), so tests can make lists span several
   * pages cheaply.
   * @default 1000
   */
  pageSize?: number;
  /**
   * Location of created resources when a request gives none.
   * @default "westeurope"
   */
  location?: string;
}

/**
 * Options for the `@azure/core-client` based management clients (`BatchManagementClient`, `ManagedServiceIdentityClient`, `AuthorizationManagementClient`).
 * @example
 * ```ts
 * const msi = new ManagedServiceIdentityClient(emulator.credential, emulator.subscriptionId, emulator.armClientOptions);
 * ```
 */
export interface EmulatorArmClientOptions {
  /** The emulator's HTTPS base URL. */
  endpoint: string;
  /** Trust for the emulator's self-signed certificate. */
  tlsOptions: {
    /** The emulator's certificate, PEM. */
    ca: string;
  };
  /** ARM's scope, so tokens carry a management audience rather than the emulator's URL. */
  credentialScopes: string[];
}

/**
 * Options for `new BatchServiceClient(credentials, batchUrl, options)` of `@azure/batch` 10.x (`@azure/ms-rest-js` `ServiceClientOptions`).
 * @example
 * ```ts
 * const credentials = new AzureIdentityCredentialAdapter(emulator.credential, "https://batch.core.windows.net//.default");
 * const batch = new BatchServiceClient(credentials, emulator.batchAccountUrl("acct"), emulator.batchClientOptions);
 * ```
 */
export interface EmulatorBatchClientOptions {
  /** Agents that trust the emulator's certificate. */
  agentSettings: {
    /** Plain HTTP agent (IMDS). */
    http: http.Agent;
    /** HTTPS agent that trusts the emulator's certificate. */
    https: https.Agent;
  };
}

/**
 * What `createBatchClient` of typed-batch takes to talk to the emulator.
 * @example
 * ```ts
 * const client = createBatchClient(emulator.clientConfigFor("acct"));
 * ```
 */
export interface EmulatorClientConfig {
  /** Subscription of the emulated world. */
  subscriptionId: string;
  /** Resource group of the account. */
  resourceGroup: string;
  /** Batch account name. */
  accountName: string;
  /** Data-plane base URL of the account (`https://127.0.0.1:{accountPort}`). */
  accountEndpoint: string;
  /** Credential that mints emulator tokens. */
  credential: TokenCredential;
  /** ARM endpoint (the emulator's base URL). */
  managementEndpoint: string;
  /** PEM certificate to trust. */
  tlsCa: string;
}

/**
 * A user-assigned identity made with {@link Emulator.createIdentity}.
 * @example
 * ```ts
 * const worker = emulator.createIdentity("worker");
 * emulator.grantRole({ principalId: worker.principalId, role: "Storage Blob Data Reader", scope: storageId });
 * ```
 */
export interface EmulatedIdentity {
  /** ARM resource id. */
  resourceId: string;
  /** Application (client) id. */
  clientId: string;
  /** Object (principal) id. */
  principalId: string;
}

/**
 * Built-in storage blob data role names the emulator knows (a role definition GUID or id works too).
 * @example
 * ```ts
 * const role: StorageRoleName = "Storage Blob Data Contributor";
 * ```
 */
export type StorageRoleName = "Storage Blob Data Reader" | "Storage Blob Data Contributor" | "Storage Blob Data Owner";

/**
 * A role assignment made with {@link Emulator.grantRole}.
 * @example
 * ```ts
 * const { id } = emulator.grantRole({ principalId, role: "Storage Blob Data Owner", scope: storageId });
 * ```
 */
export interface GrantedRole {
  /** Role assignment resource id. */
  id: string;
  /** Full role definition id. */
  roleDefinitionId: string;
}

/**
 * A snapshot of one compute node, for assertions.
 * @example
 * ```ts
 * const node = emulator.inspectNode("acct", "render", emulator.nodeIds("acct", "render")[0]!);
 * expect(node?.packages[0]?.status).toBe("downloaded");
 * ```
 */
export interface NodeSnapshot {
  /** Node id. */
  id: string;
  /** Batch node state (`creating`, `starting`, `idle`, `running`, `unusable`, `starttaskfailed`, ...). */
  state: string;
  /** The user-assigned identity ids the node got when it was allocated. */
  identities: string[];
  /** Node errors as the data plane reports them. */
  errors: Array<{
    /** The node error code, for example `ApplicationPackageError`. */
    code: string;
    /** The node error message. */
    message: string;
    /** Name/value details, as the data plane reports them. */
    errorDetails?: Array<{
      /** Detail name. */
      name: string;
      /** Detail value. */
      value: string;
    }>;
  }>;
  /** Pool application packages and what became of them on this node. */
  packages: NodePackageStatus[];
  /** The agent-debug.log lines. */
  log: string[];
  /** Paths of files on the node, rooted at `root/` (e.g. `root/applications/ffmpeg#6.1/ffmpeg-6.1.zip`). */
  files: string[];
  /** Allocation time (simulated clock). */
  allocationTime: Date;
}

/**
 * The request log: every request received, oldest first.
 * @example
 * ```ts
 * emulator.requests.clear();
 * expect(() => validateAndSend(badSpec)).toThrow();
 * expect(emulator.requests).toHaveLength(0);
 * ```
 */
export interface RequestLog extends ReadonlyArray<RequestLogEntry> {
  /** Forgets all entries. */
  clear(): void;
}

/**
 * A running emulator. Obtain one with {@link startEmulator}; call `stop()` when done.
 * @example
 * ```ts
 * import { BatchManagementClient } from "@azure/arm-batch";
 * const emulator = await startEmulator();
 * const arm = new BatchManagementClient(emulator.credential, emulator.subscriptionId, emulator.armClientOptions);
 * await emulator.stop();
 * ```
 */
export interface Emulator {
  /** HTTPS base URL (`https://127.0.0.1:{port}`): ARM at the root, Blob under `/blob/{storageAccount}`, Batch under `/batch/{account}` (SDK clients use {@link Emulator.batchAccountUrl}). */
  readonly url: string;
  /** PEM of the self-signed certificate to trust. */
  readonly ca: string;
  /** Subscription id. */
  readonly subscriptionId: string;
  /** Default resource group. */
  readonly resourceGroup: string;
  /** Tenant id. */
  readonly tenantId: string;
  /** Default location. */
  readonly location: string;
  /** Principal (object id) behind {@link Emulator.credential}. Grant it roles to read blobs with it. */
  readonly principalId: string;
  /** A `TokenCredential` whose tokens carry `aud` = the requested scope minus `/.default`. */
  readonly credential: TokenCredential;
  /** A credential for another principal (e.g. an identity's `principalId`). */
  credentialFor(principalId: string): TokenCredential;
  /** Options for `BatchManagementClient`, `ManagedServiceIdentityClient` and `AuthorizationManagementClient`. */
  readonly armClientOptions: EmulatorArmClientOptions;
  /**
   * Options for `BatchServiceClient` (`@azure/batch` 10.x). Build its credential with
   * `new AzureIdentityCredentialAdapter(emulator.credential, "https://batch.core.windows.net//.default")`
   * from `@azure/ms-rest-js`; the double slash gives the audience Batch requires.
   */
  readonly batchClientOptions: EmulatorBatchClientOptions;
  /**
   * Data-plane base URL of a Batch account: `https://127.0.0.1:{accountPort}`.
   * Each account has its own port because `@azure/batch` 10.x drops any path
   * in its base URL. (The main port also serves `{url}/batch/{account}/...`
   * for raw HTTP use.) The account itself need not exist yet.
   */
  batchAccountUrl(accountName: string): string;
  /** Client configuration for the account named `emulated` (create it first). */
  readonly clientConfig: EmulatorClientConfig;
  /** Client configuration for another account name. */
  clientConfigFor(accountName: string): EmulatorClientConfig;
  /** Base URL of the plain-HTTP IMDS listener (each node's IMDS is under it: see {@link Emulator.imdsEndpoint}). */
  readonly imdsUrl: string;
  /**
   * The full IMDS token URL code on a node calls (send it with the header `Metadata: true`):
   * `{imdsEndpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...&mi_res_id=...`.
   * @example
   * ```ts
   * const url = emulator.imdsTokenUrl("acct", "render", nodeId, { resource: "https://storage.azure.com/", identity: worker.resourceId });
   * const res = await fetch(url, { headers: { Metadata: "true" } });
   * ```
   */
  imdsTokenUrl(accountName: string, poolName: string, nodeId: string, request: ImdsTokenRequest): string;
  /**
   * IMDS base URL of one node; set `AZURE_POD_IDENTITY_AUTHORITY_HOST` to it so
   * `ManagedIdentityCredential` of `@azure/identity` asks that node's IMDS.
   */
  imdsEndpoint(accountName: string, poolName: string, nodeId: string): string;
  /** Registers a storage account; returns its resource id. */
  createStorageAccount(name: string): string;
  /** Creates an empty container (the storage account is registered if needed). */
  createContainer(storageAccount: string, container: string): void;
  /** URL of a container or blob in the emulated Blob service. */
  blobUrl(storageAccount: string, container: string, blob?: string): string;
  /** Stores a blob (creating account and container as needed). */
  seedBlob(storageAccount: string, container: string, name: string, content: string | Uint8Array): void;
  /** Content of a blob, or undefined. */
  readBlob(storageAccount: string, container: string, name: string): Buffer | undefined;
  /** Blob names of a container (empty when it does not exist). */
  listBlobs(storageAccount: string, container: string): string[];
  /**
   * Uploads to a blob URL of the emulated Blob service over HTTPS, with the URL's own SAS or
   * access (a Put Blob, as `az storage blob upload --blob-url` sends it). This is how a test
   * uploads an application package to the `storageUrl` that `applicationPackageOperations.create`
   * returns, before `activate` (which answers 409 `ApplicationPackageBlobNotFound` otherwise).
   * Rejects with the Blob service's status and code when the upload is refused.
   * @example
   * ```ts
   * const pkg = await arm.applicationPackageOperations.create(rg, "acct", "ffmpeg", "6.1");
   * await emulator.uploadBlob(pkg.storageUrl ?? "", "zip bytes");
   * await arm.applicationPackageOperations.activate(rg, "acct", "ffmpeg", "6.1", { format: "zip" });
   * ```
   */
  uploadBlob(url: string, content: string | Uint8Array): Promise<void>;
  /** Creates a user-assigned identity in the MSI store ARM serves. */
  createIdentity(name: string, options?: { resourceGroup?: string }): EmulatedIdentity;
  /** Assigns a built-in storage blob data role at `scope` (an ARM id: storage account, resource group or subscription). */
  grantRole(input: { principalId: string; role: StorageRoleName | (string & {}); scope: string }): GrantedRole;
  /**
   * Creates and activates an application package directly, skipping the
   * autostorage permission check of the ARM path.
   */
  seedApplicationPackage(accountName: string, application: string, version: string, content?: string | Uint8Array): void;
  /** Moves simulated time forward and runs nodes and tasks. */
  advance(ms: number): void;
  /**
   * Advances until every node and task is steady (idle, unusable, start task
   * failed, stuck starting; tasks completed or waiting for a pool without usable nodes).
   * Returns the simulated milliseconds that passed.
   */
  settle(options?: { limitMs?: number }): number;
  /** Whether everything is steady right now. */
  isSettled(): boolean;
  /** Simulated now. */
  now(): Date;
  /** Requests received, oldest first. */
  readonly requests: RequestLog;
  /** Node ids of a pool, in allocation order. */
  nodeIds(accountName: string, poolName: string): string[];
  /** Snapshot of one node, or undefined. */
  inspectNode(accountName: string, poolName: string, nodeId: string): NodeSnapshot | undefined;
  /** Paths of files on a node, rooted at `root/`. */
  nodeFiles(accountName: string, poolName: string, nodeId: string): string[];
  /** Paths of a task's files relative to its task directory (`wd/<filePath>/<blob>`, `stdout.txt`, ...). */
  taskFiles(accountName: string, jobId: string, taskId: string): string[];
  /** Content of a file on a node (a path as {@link Emulator.nodeFiles} lists it), or undefined. */
  readNodeFile(accountName: string, poolName: string, nodeId: string, path: string): Buffer | undefined;
  /** Content of a task's file (a path as {@link Emulator.taskFiles} lists it, e.g. `stdout.txt`), or undefined. */
  readTaskFile(accountName: string, jobId: string, taskId: string, path: string): Buffer | undefined;
  /**
   * Moves simulated time until every task of the job has completed and returns each task's
   * outcome, sorted by id. Throws (naming the tasks left) when `timeoutMs` of simulated time pass
   * first, e.g. when no node of the pool can run tasks. Tasks added later are not waited for.
   * @example
   * ```ts
   * await client.tasks.add(frame);
   * const [outcome] = emulator.waitForTasks("acct", "frames", { timeoutMs: 10 * 60_000 });
   * expect(outcome?.result).toBe("success");
   * ```
   */
  waitForTasks(accountName: string, jobId: string, options?: WaitForTasksOptions): TaskOutcome[];
  /**
   * A pool's identity history: one entry at creation and one per change of
   * its identity list, with the node count at that moment. Entries with
   * `nodesExisted` mean running nodes kept the old identities (BatchManagement.json
   * 2025-06-01, `Pool.identity`: only nodes created after the pool shrinks to 0 get the change).
   */
  poolIdentityHistory(accountName: string, poolName: string): IdentityChange[];
  /**
   * Replaces the fault settings (or turns faults off with `undefined`), e.g. to set a world up
   * cleanly and then inject faults only into the calls under test.
   * @example
   * ```ts
   * emulator.setFaults({ rate: 0.4, kinds: ["413", "429", "503", "drop"], planes: ["batch"] });
   * ```
   */
  setFaults(faults: FaultOptions | undefined): void;
  /** Closes both listeners and all connections. */
  stop(): Promise<void>;
}

/**
 * Starts the emulator on 127.0.0.1 with a fresh self-signed certificate.
 * @example
 * ```ts
 * import { BatchServiceClient } from "@azure/batch";
 * import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
 * const emulator = await startEmulator();
 * const batch = new BatchServiceClient(
 *   new AzureIdentityCredentialAdapter(emulator.credential, "https://batch.core.windows.net//.default"),
 *   emulator.batchAccountUrl("acct"),
 *   emulator.batchClientOptions,
 * );
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return (await startEmulatorWith(options, {})).emulator;
}

/**
 * What the standalone server (`typed-batch emulator`, `src/testing/standalone/`) adds to an
 * in-process emulator: its address, a kept certificate and principal, state restored from disk,
 * its own routes (token and control endpoints) and a hook that runs before each answer is sent.
 * @internal
 */
export interface EmulatorInternals {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Host name put in URLs (default: `host`, or 127.0.0.1 for a wildcard address). */
  advertisedHost?: string;
  /** Certificate to serve instead of a fresh one. */
  tls?: TlsMaterial;
  /** Principal behind `emulator.credential` instead of a fresh one. */
  principalId?: string;
  /** Data-plane ports to reopen, by account. */
  accountPorts?: Record<string, number>;
  /** Fills the world before the listeners open. */
  restore?: (world: World) => void;
  /** Extra routes, matched before Azure's. */
  routes?: (router: Router, env: Env) => void;
  /** Paths never given a fault. */
  exempt?: (path: string) => boolean;
  /** Runs after each request is handled, before the answer is written. */
  handled?: (entry: RequestLogEntry) => void;
}

/** An emulator with the handles the standalone server needs. @internal */
export interface EmulatorHandle {
  emulator: Emulator;
  world: World;
  env: Env;
  /** Data-plane ports opened so far, by account. */
  accountPorts(): Record<string, number>;
}

/** {@link startEmulator} with the standalone server's additions. @internal */
export async function startEmulatorWith(options: EmulatorOptions, internals: EmulatorInternals): Promise<EmulatorHandle> {
  const host = internals.host ?? "127.0.0.1";
  const advertised = internals.advertisedHost ?? (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);
  const seed = options.seed ?? 1;
  const subscriptionId = options.subscriptionId ?? "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
  const resourceGroup = options.resourceGroup ?? "typed-batch-emulator";
  const tenantId = options.tenantId ?? "72f988bf-0000-4000-8000-00000000e1ec";
  const location = options.location ?? "westeurope";
  // Whole seconds keep simulated timestamps tidy.
  const clock = new SimClock(Math.floor(Date.now() / 1000) * 1000);
  const world = new World(subscriptionId, resourceGroup, tenantId, location, clock, createRandom(seed));
  const faults = new FaultInjector(options.faults, seed ^ 0x5eed);
  let baseUrl = "";
  let listenersRef: Listeners | undefined;
  const env: Env = {
    world,
    url: () => baseUrl,
    faults,
    accountUrl: (name) => {
      const port = listenersRef?.accountPort(name);
      return port !== undefined ? `https://${advertised}:${port}` : `${baseUrl}/batch/${name.toLowerCase()}`;
    },
    openAccount: async (name) => {
      await listenersRef?.openAccountPort(name);
    },
    resize: (account, pool) => resizePool(env, account, pool),
    ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
  };

  internals.restore?.(world);
  const main = new Router();
  const imds = new Router();
  internals.routes?.(main, env);
  registerIdentities(main, env);
  registerRoleAssignments(main, env);
  registerApplications(main, env);
  registerPools(main, env);
  registerAccounts(main, env);
  registerAccountKeys(main, env);
  registerSubscriptions(main, env);
  registerFiles(main, env);
  registerTasks(main, env);
  registerJobs(main, env);
  registerCounts(main, env);
  registerJobSchedules(main, env);
  registerNodes(main, env);
  registerBlob(main, world, () => baseUrl);
  registerImds(imds, world);

  const log: RequestLogEntry[] = [];
  const requests: RequestLog = Object.assign(log, { clear: (): void => void log.splice(0, log.length) });
  const tls = internals.tls ?? (await createCertificate());
  const listeners = await listen(
    tls,
    { main, imds },
    {
      latencyMs: options.latencyMs ?? 0,
      faults,
      log,
      ...(internals.exempt ? { exempt: internals.exempt } : {}),
      ...(internals.handled ? { handled: internals.handled } : {}),
    },
    options.port ?? 0,
    host,
  );
  listenersRef = listeners;
  baseUrl = `https://${advertised}:${listeners.httpsPort}`;
  for (const [name, port] of Object.entries(internals.accountPorts ?? {})) {
    // A port taken since the last run: the account gets another one.
    await listeners.openAccountPort(name, port).catch(() => listeners.openAccountPort(name));
  }
  for (const name of options.batchAccounts ?? ["emulated"]) await listeners.openAccountPort(name);
  const imdsUrl = `http://${advertised}:${listeners.imdsPort}`;
  const principalId = internals.principalId ?? world.random.uuid();
  const credential = emulatorCredential(principalId, tenantId);
  const httpsAgent = new https.Agent({ ca: tls.cert });
  const httpAgent = new http.Agent();

  const batchAccountUrl = (name: string): string => {
    const port = listeners.claimAccountPort(name);
    if (port === undefined) {
      throw new Error(
        `batchAccountUrl: no spare data-plane port for Batch account '${name}' right now; list it in startEmulator({ batchAccounts: [...] }).`,
      );
    }
    return `https://${advertised}:${port}`;
  };
  const clientConfigFor = (accountName: string): EmulatorClientConfig => ({
    subscriptionId,
    resourceGroup,
    accountName,
    accountEndpoint: batchAccountUrl(accountName),
    credential,
    managementEndpoint: baseUrl,
    tlsCa: tls.cert,
  });
  const findPool = (account: string, pool: string) => world.account(account)?.pools.get(pool.toLowerCase());
  let stopped = false;

  const emulator: Emulator = {
    url: baseUrl,
    ca: tls.cert,
    subscriptionId,
    resourceGroup,
    tenantId,
    location,
    principalId,
    credential,
    credentialFor: (id) => emulatorCredential(id, tenantId),
    armClientOptions: { endpoint: baseUrl, tlsOptions: { ca: tls.cert }, credentialScopes: ["https://management.azure.com/.default"] },
    batchClientOptions: { agentSettings: { http: httpAgent, https: httpsAgent } },
    batchAccountUrl,
    clientConfig: clientConfigFor("emulated"),
    clientConfigFor,
    imdsUrl,
    imdsEndpoint: (account, pool, node) =>
      `${imdsUrl}/nodes/${encodeURIComponent(account.toLowerCase())}/${encodeURIComponent(pool)}/${encodeURIComponent(node)}`,
    imdsTokenUrl: (account, pool, node, request) => imdsTokenUrl(emulator.imdsEndpoint(account, pool, node), request),
    createStorageAccount: (name) => world.ensureStorage(name).id,
    createContainer(storageAccount, container) {
      const storage = world.ensureStorage(storageAccount);
      if (!storage.containers.has(container.toLowerCase())) storage.containers.set(container.toLowerCase(), new Map());
    },
    blobUrl: (storageAccount, container, blob) =>
      `${baseUrl}/blob/${storageAccount.toLowerCase()}/${container.toLowerCase()}${blob === undefined ? "" : `/${blob.split("/").map(encodeURIComponent).join("/")}`}`,
    seedBlob(storageAccount, container, name, content) {
      putBlob(world, world.ensureStorage(storageAccount), container.toLowerCase(), name, Buffer.from(content));
    },
    readBlob: (storageAccount, container, name) => world.storage.get(storageAccount.toLowerCase())?.containers.get(container.toLowerCase())?.get(name)?.content,
    uploadBlob: (url, content) => uploadBlob(url, content, tls.cert),
    listBlobs: (storageAccount, container) => [...(world.storage.get(storageAccount.toLowerCase())?.containers.get(container.toLowerCase())?.keys() ?? [])].sort(),
    createIdentity(name, opts) {
      const { record } = upsertIdentity(world, opts?.resourceGroup ?? resourceGroup, name);
      return { resourceId: record.resourceId, clientId: record.clientId, principalId: record.principalId };
    },
    grantRole({ principalId: principal, role, scope }) {
      const result = addRoleAssignment(world, { scope, principalId: principal, role });
      if (!result.ok) {
        if (result.code === "RoleAssignmentExists") {
          const existing = [...world.roleAssignments.values()].find(
            (a) => a.principalId.toLowerCase() === principal.toLowerCase() && a.scope.toLowerCase() === scope.replace(/\/+$/, "").toLowerCase(),
          );
          if (existing) return { id: existing.id, roleDefinitionId: existing.roleDefinitionId };
        }
        throw new Error(`grantRole: ${result.code}: ${result.message}`);
      }
      return { id: result.record.id, roleDefinitionId: result.record.roleDefinitionId };
    },
    seedApplicationPackage(accountName, application, version, content) {
      const account = world.account(accountName);
      if (!account) throw new Error(`seedApplicationPackage: no Batch account '${accountName}'`);
      const saved = account.autoStorage?.authenticationMode;
      // Bypass the permission check: seeding is not what is under test.
      if (account.autoStorage && saved) account.autoStorage.authenticationMode = "StorageKeys";
      const result = createPackage(env, account, application, version);
      if (account.autoStorage && saved) account.autoStorage.authenticationMode = saved;
      if ("status" in result) throw new Error(`seedApplicationPackage: ${JSON.stringify(result.body)}`);
      result.state = "Active";
      result.format = "zip";
      result.lastActivationTime = clock.iso();
      const storageName = account.autoStorage?.storageAccountId.split("/").pop() ?? "";
      putBlob(world, world.ensureStorage(storageName), packageContainer(application), packageBlob(application, version), Buffer.from(content ?? `package ${application} ${version}`));
    },
    advance: (ms) => advance(env, ms),
    settle: (opts) => settle(env, opts?.limitMs),
    isSettled: () => isSteady(env),
    now: () => new Date(clock.now()),
    requests,
    nodeIds: (account, pool) => [...(findPool(account, pool)?.nodes.keys() ?? [])],
    inspectNode(account, pool, nodeId) {
      const node = findPool(account, pool)?.nodes.get(nodeId);
      if (!node) return undefined;
      return {
        id: node.id,
        state: node.state,
        identities: [...node.identities],
        errors: node.errors.map((e) => ({ ...e })),
        packages: node.packages.map((p) => ({ ...p })),
        log: [...node.log],
        files: [...node.files.keys()].sort(),
        allocationTime: new Date(node.allocationTime),
      };
    },
    nodeFiles: (account, pool, nodeId) => [...(findPool(account, pool)?.nodes.get(nodeId)?.files.keys() ?? [])].sort(),
    taskFiles: (account, jobId, taskId) =>
      [...(world.account(account)?.jobs.get(jobId.toLowerCase())?.tasks.get(taskId.toLowerCase())?.files.keys() ?? [])].sort(),
    readNodeFile: (account, pool, nodeId, path) => readNodeFile(env, account, pool, nodeId, path),
    readTaskFile: (account, jobId, taskId, path) => readTaskFile(env, account, jobId, taskId, path),
    waitForTasks: (account, jobId, opts) => waitForTasks(env, account, jobId, opts),
    poolIdentityHistory: (account, pool) => (findPool(account, pool)?.identityHistory ?? []).map((c) => ({ ...c, identities: [...c.identities] })),
    setFaults(next) {
      faults.configure(next);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      httpsAgent.destroy();
      httpAgent.destroy();
      await listeners.close();
    },
  };
  const accountPorts = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const name of world.accounts.keys()) {
      const port = listeners.accountPort(name);
      if (port !== undefined) out[name] = port;
    }
    return out;
  };
  return { emulator, world, env, accountPorts };
}
