import https from "node:https";
import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient } from "@azure/batch";
import type { TokenCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { redact } from "../errors/redact.js";

/**
 * The Azure SDK clients typed-batch delegates to, configured once.
 *
 * The data-plane client is built on `@azure/ms-rest-js`, which by default asks the credential for an
 * ARM token; Batch only accepts the audience `https://batch.core.windows.net/`, and the scope that
 * yields it has a double slash. Its own retry policies are turned off because `addMany` retries per
 * task and honours `Retry-After` itself (the SDK's policy waits 30 s per 5xx).
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
  return client;
}

/** A `BatchServiceClient` (jobs, tasks, nodes) with the right token audience. */
export function dataPlaneClient(credential: TokenCredential, accountEndpoint: string, transport: Transport): BatchServiceClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ...(transport.tlsCa !== undefined && { ca: transport.tlsCa }) });
  return new BatchServiceClient(new AzureIdentityCredentialAdapter(credential, batchScope), accountEndpoint, {
    noRetryPolicy: true,
    agentSettings: { https: agent, http: agent as never },
  });
}
