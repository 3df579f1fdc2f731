import type { AuthorizationManagementClient } from "@azure/arm-authorization";
import { lazyRequire } from "../util/lazy-require.js";
import type { TokenCredential } from "@azure/core-auth";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { createClientLogger } from "@azure/logger";
import type { Finding } from "../errors/issue.js";
import { redact } from "../errors/redact.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import { RoleChecker } from "../doctor/role-check.js";
import type { StorageNeed } from "../doctor/storage-needs.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";
import { managementScope, type Transport, useRetryPolicy } from "./sdk-clients.js";

/**
 * The permission preflight of `pools.create` and `tasks.addMany`: before anything is sent, check
 * that the identities the pool or tasks rely on hold a blob data role on the storage they read, so
 * the article's row 2 (Idle nodes without packages, ResourceContainerAccessDenied) is caught
 * before it happens. Warns through `@azure/logger` by default; refuses with `strictPermissions`.
 */

/**
 * Options that turn the preflight off or make it strict.
 *
 * @example
 * ```ts
 * await client.pools.create(render, { strictPermissions: true });
 * await client.tasks.addMany(frames, tasks, { preflight: false });
 * ```
 */
export interface PreflightOptions {
  /**
   * Check role assignments before sending. Costs one role assignment list per identity and storage
   * account (cached for the client's life) and one identity read per identity.
   * @default true
   */
  readonly preflight?: boolean;
  /**
   * Refuse (throw {@link TypedBatchError} with `PERMISSION_MISSING`) instead of logging a warning.
   * @default false
   */
  readonly strictPermissions?: boolean;
}

/**
 * The `typed-batch` logger: enable with `AZURE_LOG_LEVEL=warning` (or `setLogLevel`).
 *
 * @example
 * ```ts
 * import { setLogLevel } from "@azure/logger";
 * setLogLevel("warning"); // preflight warnings now reach the console
 * ```
 */
export const logger = createClientLogger("typed-batch");

/** MSI's api-version for reading a user-assigned identity. */
const msiApiVersion = "2023-01-31";

/**
 * What the preflight needs from the client: RBAC and a way to learn an identity's principal id.
 *
 * @example
 * ```ts
 * const preflight = new PermissionPreflight(credential, subscriptionId, { managementEndpoint: "https://management.azure.com" });
 * await preflight.run(storageNeeds("pool", pool.toArm(), "", context), { strictPermissions: true });
 * ```
 */
const loadAuthorization = lazyRequire<typeof import("@azure/arm-authorization")>("@azure/arm-authorization");

export class PermissionPreflight {
  readonly #makeAuth: () => AuthorizationManagementClient;
  #authClient: AuthorizationManagementClient | undefined;
  #roles: RoleChecker | undefined;
  readonly #endpoint: string;
  readonly #principals = new Map<string, Promise<string | undefined>>();

  /**
   * @param credential the client's credential.
   * @param subscriptionId the Batch account's subscription.
   * @param transport ARM endpoint and CA.
   */
  constructor(credential: TokenCredential, subscriptionId: string, transport: Transport) {
    this.#endpoint = transport.managementEndpoint.replace(/\/+$/, "");
    // Created on first use: a client that never checks permissions never loads the SDK.
    this.#makeAuth = () => {
      const client = new (loadAuthorization().AuthorizationManagementClient)(credential, subscriptionId, {
        endpoint: this.#endpoint,
        credentialScopes: [managementScope],
        ...(transport.tlsCa !== undefined && { tlsOptions: { ca: transport.tlsCa } }),
      });
      useRetryPolicy(client.pipeline, transport.retry);
      return client;
    };
  }

  get #auth(): AuthorizationManagementClient {
    return (this.#authClient ??= this.#makeAuth());
  }

  /** Role checks, shared with `client.doctor`. */
  get roles(): RoleChecker {
    return (this.#roles ??= new RoleChecker(this.#auth));
  }

  /** The principal (object) id of a user-assigned identity, read once from ARM. */
  principalOf(identityId: string, signal?: AbortSignal): Promise<string | undefined> {
    const key = identityId.toLowerCase();
    let pending = this.#principals.get(key);
    if (pending === undefined) {
      pending = (async () => {
        const request = createPipelineRequest({ url: `${this.#endpoint}${identityId}?api-version=${msiApiVersion}`, method: "GET", ...(signal && { abortSignal: signal }) });
        const response = await this.#auth.sendRequest(request);
        if (response.status !== 200 || response.bodyAsText == null) return undefined;
        const body = JSON.parse(response.bodyAsText) as { properties?: { principalId?: unknown } };
        return typeof body.properties?.principalId === "string" ? body.properties.principalId : undefined;
      })().catch(() => undefined);
      this.#principals.set(key, pending);
    }
    return pending;
  }

  /**
   * Checks every need; warns or throws for the missing ones. Unknown answers (no right to read
   * role assignments, an identity that cannot be read) are logged and never block.
   */
  async run(needs: readonly StorageNeed[], options: PreflightOptions & { readonly signal?: AbortSignal; readonly known?: ReadonlyMap<string, string> }): Promise<void> {
    if (options.preflight === false || needs.length === 0) return;
    const missing: Finding[] = [];
    const seen = new Set<string>();
    for (const need of needs) {
      const key = `${need.identity}|${need.storage.kind === "resolved" ? need.storage.id.toLowerCase() : need.storage.source}|${need.access}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (need.storage.kind === "unresolved") {
        logger.info(redact(`typed-batch preflight: the storage account of '${need.storage.source}' is unknown; permissions of '${need.identity}' not checked`));
        continue;
      }
      const principal = options.known?.get(need.identity) ?? (await this.principalOf(need.identity, options.signal));
      if (principal === undefined) {
        logger.info(`typed-batch preflight: could not read identity '${need.identity}'; its permissions were not checked`);
        continue;
      }
      const verdict = await this.roles.check(principal, need.storage.id, { access: need.access, ...(options.signal && { signal: options.signal }) });
      if (verdict.status === "unknown") {
        logger.info(`typed-batch preflight: ${verdict.reason}; permissions of '${need.identity}' on '${need.storage.id}' not checked`);
        continue;
      }
      if (verdict.status === "missing") {
        missing.push(finding("PERMISSION_MISSING", need.path, messages.permissionMissingFor(need.identity, need.storage.id, need.what, need.access), fixes.permissionMissing.json(need.identity, need.storage.id, need.access), need.scenario));
      }
    }
    if (missing.length === 0) return;
    if (options.strictPermissions === true) throw new TypedBatchError(missing);
    for (const m of missing) logger.warning(redact(`typed-batch preflight: ${m.code} at ${m.path}: ${m.message}; fix: ${m.fix}`));
  }
}
