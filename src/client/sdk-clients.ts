import https from "node:https";
import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient } from "@azure/batch";
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { redact } from "../errors/redact.js";
import { coreRetryPolicy, msRestRetryPolicy } from "./retry-policies.js";
import type { RetryOptions } from "./retry.js";

/**
 * The Azure SDK clients typed-batch delegates to, configured once.
 *
 * The data-plane client is built on `@azure/ms-rest-js`, which by default asks the credential for an
 * ARM token; Batch only accepts the audience `https://batch.core.windows.net/`, and the scope that
 * yields it has a double slash. Both clients' own retry policies are replaced by typed-batch's one
 * transport policy (src/client/retry.ts): the SDKs' differ from each other (ms-rest-js waits 30 s
 * per 5xx), and `addMany` must retry per task with the same rules.
 */

/** The Batch data-plane scope: the double slash gives the token audience `https://batch.core.windows.net/`. */
export const batchScope = "https://batch.core.windows.net//.default";

/** ARM's scope. */
export const managementScope = "https://management.azure.com/.default";

/** Transport settings shared by both SDKs. */
export interface Transport {
  /** ARM base URL. */
  readonly managementEndpoint: string;
  /** Extra CA (PEM) to trust, e.g. the local emulator's. */
  readonly tlsCa?: string;
  /** The retry policy of every request. @default {@link retryDefaults} */
  readonly retry?: RetryOptions;
}

/** Swaps a `@azure/core-client` pipeline's default retry policies for typed-batch's. */
export function useRetryPolicy(pipeline: { removePolicy(options: { phase: "Retry" }): unknown; addPolicy(policy: PipelinePolicy, options: { phase: "Retry" }): void }, retry: RetryOptions = {}): void {
  pipeline.removePolicy({ phase: "Retry" });
  pipeline.addPolicy(coreRetryPolicy(retry), { phase: "Retry" });
}

/**
 * Redacts the response headers `@azure/core-rest-pipeline`'s logging policy prints at
 * `AZURE_LOG_LEVEL=verbose`: `WWW-Authenticate` is on its allow list and can echo a token.
 * Placed after the logging policy, so it sees (and cleans) the response first.
 */
export const redactResponseHeadersPolicy: PipelinePolicy = {
  name: "typedBatchRedactResponseHeaders",
  async sendRequest(request, next) {
    const response = await next(request);
    for (const [name, value] of response.headers) {
      const clean = redact(value);
      if (clean !== value) response.headers.set(name, clean);
    }
    return response;
  },
};

/** A `BatchManagementClient` (accounts, pools). */
export function managementClient(credential: TokenCredential, subscriptionId: string, transport: Transport): BatchManagementClient {
  const client = new BatchManagementClient(credential, subscriptionId, {
    endpoint: transport.managementEndpoint,
    credentialScopes: [managementScope],
    ...(transport.tlsCa !== undefined && { tlsOptions: { ca: transport.tlsCa } }),
  });
  client.pipeline.addPolicy(redactResponseHeadersPolicy, { afterPolicies: ["logPolicy"] });
  useRetryPolicy(client.pipeline, transport.retry);
  return client;
}

/** A `BatchServiceClient` (jobs, tasks, nodes) with the right token audience. */
export function dataPlaneClient(credential: TokenCredential, accountEndpoint: string, transport: Transport): BatchServiceClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ...(transport.tlsCa !== undefined && { ca: transport.tlsCa }) });
  return new BatchServiceClient(new AzureIdentityCredentialAdapter(credential, batchScope), accountEndpoint, {
    noRetryPolicy: true,
    // Outermost, so each attempt is signed again (a token refreshed between attempts is used).
    requestPolicyFactories: (defaults) => [msRestRetryPolicy(transport.retry ?? {}), ...defaults],
    agentSettings: { https: agent, http: agent as never },
  });
}
