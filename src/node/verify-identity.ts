import http from "node:http";
import https from "node:https";
import { explain } from "../diagnose/explain.js";
import { redact } from "../errors/redact.js";
import { canonicalIdentityId } from "../identity/resource-id.js";

/**
 * The article's "Verify that your managed identity can access Azure resources", done for you on a
 * node: ask IMDS for a storage token for the identity, compare the token's client id with the
 * pool's, then Get Blob with it. Each outcome is explained; the token is never returned nor printed.
 * No Azure SDK is loaded.
 */

/**
 * Options of {@link verifyIdentity}.
 *
 * @example
 * ```ts
 * const options: VerifyIdentityOptions = { identity: readerId, clientId: "9a1f…", blobUrl };
 * ```
 */
export interface VerifyIdentityOptions {
  /**
   * Resource id of the pool identity to get a token for (`mi_res_id`).
   * @default none: IMDS picks the only identity, or answers 400 when the pool has several
   */
  readonly identity?: string;
  /**
   * A blob to read with the token (the article's Postman step).
   * @default none: only the token is checked
   */
  readonly blobUrl?: string;
  /**
   * The identity's client id as the pool shows it; the token's `client_id` must match.
   * @default not compared
   */
  readonly clientId?: string;
  /**
   * IMDS base URL.
   * @default process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST ?? "http://169.254.169.254" (as @azure/identity)
   */
  readonly imdsEndpoint?: string;
  /**
   * Extra CA (PEM) to trust for the blob request.
   * @default the system's trust store (and NODE_EXTRA_CA_CERTS)
   */
  readonly ca?: string;
  /**
   * Per-request timeout in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/**
 * One step's outcome.
 *
 * @example
 * ```ts
 * const step: VerifyStep = { step: "blob", ok: false, status: 403, code: "AuthorizationPermissionMismatch", message: "…" };
 * ```
 */
export interface VerifyStep {
  /** `imds` (token request), `client-id` (comparison) or `blob` (Get Blob). */
  readonly step: "imds" | "client-id" | "blob";
  /** Whether the step passed. */
  readonly ok: boolean;
  /** What happened: `TokenIssued`, `MultipleUserAssignedIdentities`, `IdentityNotFound`, `ImdsUnreachable`, `ClientIdMatches`, `ClientIdMismatch`, `BlobRead`, `AuthorizationPermissionMismatch`, or Storage's error code. */
  readonly code: string;
  /** HTTP status, when a response came. @default none (no response) */
  readonly status?: number;
  /** What it means and what to do (redacted). */
  readonly message: string;
}

/**
 * Outcome of {@link verifyIdentity}.
 *
 * @example
 * ```ts
 * const result: VerifyIdentityResult = await verifyIdentity({ identity: readerId });
 * process.exitCode = result.unusable ? 2 : result.ok ? 0 : 1;
 * ```
 */
export interface VerifyIdentityResult {
  /** Every step passed. */
  readonly ok: boolean;
  /** IMDS could not be reached or the input was unusable: the check did not run. */
  readonly unusable: boolean;
  /** The steps, in order. */
  readonly steps: readonly VerifyStep[];
  /** The token's client id, when IMDS issued one. @default none */
  readonly clientId?: string;
}

/**
 * The IMDS base URL @azure/identity uses.
 *
 * @example
 * ```ts
 * defaultImdsEndpoint({}); // "http://169.254.169.254"
 * ```
 */
export function defaultImdsEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env["AZURE_POD_IDENTITY_AUTHORITY_HOST"] ?? "http://169.254.169.254";
}

function request(url: string, headers: Record<string, string>, ca: string | undefined, timeoutMs: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const send = url.startsWith("https:") ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "GET", headers, timeout: timeoutMs, ...(ca !== undefined && url.startsWith("https:") && { ca }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function explained(code: string, lead: string): string {
  const e = explain(code);
  return e === undefined ? lead : `${lead} ${e.cause} Fix: ${e.fix}`;
}

function imdsFailure(status: number, description: string): VerifyStep {
  if (/Multiple user assigned identities/i.test(description)) {
    return { step: "imds", ok: false, status, code: "MultipleUserAssignedIdentities", message: explained("MultipleUserAssignedIdentities", `IMDS answered ${status}: "${description}".`) };
  }
  if (/Identity not found/i.test(description)) {
    return { step: "imds", ok: false, status, code: "IdentityNotFound", message: explained("IdentityNotFound", `IMDS answered ${status}: "${description}".`) };
  }
  return { step: "imds", ok: false, status, code: `Imds${status}`, message: `IMDS answered ${status}: "${description}".` };
}

/**
 * Runs the check.
 *
 * @example
 * ```ts
 * import { verifyIdentity } from "typed-batch";
 * const readerId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader";
 * const result = await verifyIdentity({ identity: readerId, blobUrl: "https://renderstore.blob.core.windows.net/inputs/scene.txt" });
 * for (const step of result.steps) console.log(step.ok ? "ok  " : "FAIL", step.code, step.message);
 * ```
 */
export async function verifyIdentity(options: VerifyIdentityOptions): Promise<VerifyIdentityResult> {
  const timeout = options.timeoutMs ?? 10_000;
  const steps: VerifyStep[] = [];
  const imds = new URL("/metadata/identity/oauth2/token", options.imdsEndpoint ?? defaultImdsEndpoint());
  // Keep any path of the base (per-node endpoints of the emulator, pod identity proxies).
  const base = new URL(options.imdsEndpoint ?? defaultImdsEndpoint());
  imds.pathname = `${base.pathname.replace(/\/+$/, "")}/metadata/identity/oauth2/token`;
  imds.searchParams.set("api-version", "2018-02-01");
  imds.searchParams.set("resource", "https://storage.azure.com/");
  if (options.identity !== undefined) imds.searchParams.set("mi_res_id", options.identity);

  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(imds.toString(), { Metadata: "true" }, undefined, timeout);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, unusable: true, steps: [{ step: "imds", ok: false, code: "ImdsUnreachable", message: redact(`IMDS at ${base.origin} could not be reached (${why}): run this on a Batch compute node, or set AZURE_POD_IDENTITY_AUTHORITY_HOST.`) }] };
  }
  let body: { access_token?: string; client_id?: string; error_description?: string } = {};
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // A non-JSON answer is reported by status below.
  }
  if (answer.status !== 200 || typeof body.access_token !== "string") {
    steps.push(imdsFailure(answer.status, body.error_description ?? answer.text.slice(0, 200)));
    return { ok: false, unusable: false, steps };
  }
  const token = body.access_token;
  const clientId = body.client_id;
  steps.push({ step: "imds", ok: true, status: 200, code: "TokenIssued", message: `IMDS issued a storage token for ${options.identity === undefined ? "the pool's only identity" : `'${options.identity}'`} (client id ${clientId ?? "not given"}).` });

  if (options.clientId !== undefined) {
    const same = clientId !== undefined && clientId.toLowerCase() === options.clientId.toLowerCase();
    steps.push(
      same
        ? { step: "client-id", ok: true, code: "ClientIdMatches", message: `The token's client_id matches the pool's clientId ${options.clientId}.` }
        : { step: "client-id", ok: false, code: "ClientIdMismatch", message: `The token's client_id ${clientId ?? "(none)"} is not the pool's clientId ${options.clientId}: IMDS gave a token for another identity. Check that the resource id names the identity you meant (ids compare case-insensitively: ${canonicalIdentityId(options.identity ?? "")}).` },
    );
  }

  if (options.blobUrl !== undefined) {
    try {
      const blob = await request(options.blobUrl, { Authorization: `Bearer ${token}`, "x-ms-version": "2021-12-02" }, options.ca, timeout);
      const code = String(blob.headers["x-ms-error-code"] ?? (/<Code>([^<]+)<\/Code>/.exec(blob.text)?.[1] ?? `Http${blob.status}`));
      if (blob.status === 200) {
        steps.push({ step: "blob", ok: true, status: 200, code: "BlobRead", message: `Read the blob (${Buffer.byteLength(blob.text)} bytes): the identity has a data role on it.` });
      } else if (code === "AuthorizationPermissionMismatch") {
        steps.push({ step: "blob", ok: false, status: blob.status, code, message: explained(code, `Storage answered ${blob.status} ${code}: "This request is not authorized to perform this operation using this permission".`) });
      } else {
        steps.push({ step: "blob", ok: false, status: blob.status, code, message: explained(code, `Storage answered ${blob.status} ${code}.`) });
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, unusable: true, steps: [...steps, { step: "blob", ok: false, code: "BlobUnreachable", message: redact(`the blob URL could not be reached (${why})`) }], ...(clientId !== undefined && { clientId }) };
    }
  }
  const ok = steps.every((s) => s.ok);
  return { ok, unusable: false, steps: steps.map((s) => ({ ...s, message: redact(s.message) })), ...(clientId !== undefined && { clientId }) };
}
