/**
 * Batch Shared Key authentication, checked the way the Batch service documents it:
 * "Authenticate requests to Azure Batch", section "Authentication via Shared Key"
 * (https://learn.microsoft.com/rest/api/batchservice/authenticate-requests-to-the-azure-batch-service).
 *
 * - `Authorization: SharedKey <AccountName>:<Signature>`, the signature being the Base64 HMAC-SHA256,
 *   keyed with the Base64-decoded account key, of
 *   `VERB\nContent-Encoding\nContent-Language\nContent-Length\nContent-MD5\nContent-Type\nDate\n
 *   If-Modified-Since\nIf-Match\nIf-None-Match\nIf-Unmodified-Since\nRange\n` + CanonicalizedHeaders
 *   (every `ocp-*` header, lower-cased, sorted, `name:value\n`) + CanonicalizedResource
 *   (`/{account}{path}`, then `\nname:value` per query parameter, names lower-cased and sorted, values
 *   URL-decoded, repeated values sorted and comma-joined);
 * - the request carries `ocp-date` or `Date`, and "the Batch service must receive a request within 15
 *   minutes of when it is created".
 *
 * Two tolerances, because the published SDKs differ where the document is silent: a `Content-Length`
 * of `0` may be signed as `0` (azure-batch for Python signs the header as sent) or as empty
 * (`@azure/batch` for GET/DELETE), and a query parameter with an empty value may be signed as
 * `name:` (`@azure/batch`) or left out (azure-batch for Python, `batch_auth.py`). A signature that
 * matches any of these readings passes.
 *
 * Refusals use Batch's `AuthenticationFailed` with HTTP 403 and the message Batch sends for a bad
 * Shared Key request (seen in Azure/doAzureParallel#5: "403 Server failed to authenticate the
 * request. Make sure the value of Authorization header is formed correctly including the
 * signature."). The `AuthenticationErrorDetail` texts follow the front end's Storage wording ("The
 * MAC signature found in the HTTP request ... is not the same as any computed signature", "Request
 * date header too old", Azure/azure-sdk-for-net#4078, wp-media/backwpup#55): an assumption for
 * Batch, whose documents do not list them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The message Batch sends with a refused Shared Key request. @internal */
export const SHARED_KEY_FAILED =
  "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";

/** How far `ocp-date` may be from the server's clock (the document's 15 minutes). @internal */
export const SHARED_KEY_MAX_SKEW_MS = 15 * 60_000;

/** A parsed `SharedKey name:signature` header, or undefined when the header is not one. @internal */
export function parseSharedKey(header: string | undefined): { account: string; signature: string } | undefined {
  const match = /^SharedKey\s+([^:\s]+):(\S+)$/i.exec(header ?? "");
  if (!match?.[1] || !match[2]) return undefined;
  return { account: match[1], signature: match[2] };
}

/** What a Shared Key check needs from a request. @internal */
export interface SignedRequest {
  method: string;
  /** The path exactly as the client sent it (no query). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Why a Shared Key request was refused: status, code and the `AuthenticationErrorDetail`. @internal */
export interface SharedKeyRefusal {
  status: 403;
  code: "AuthenticationFailed";
  detail: string;
}

const STANDARD_HEADERS = [
  "content-encoding",
  "content-language",
  "content-length",
  "content-md5",
  "content-type",
  "date",
  "if-modified-since",
  "if-match",
  "if-none-match",
  "if-unmodified-since",
  "range",
] as const;

const headerValue = (headers: IncomingHttpHeaders, name: string): string => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
};

/** The strings to sign a request may have been signed as (see the tolerances above). @internal */
export function stringsToSign(req: SignedRequest, account: string): string[] {
  const out: string[] = [];
  const length = headerValue(req.headers, "content-length");
  const lengths = length === "0" ? ["0", ""] : [length];
  const ocp = Object.keys(req.headers)
    .filter((name) => name.toLowerCase().startsWith("ocp-"))
    .map((name) => name.toLowerCase())
    .sort()
    .map((name) => `${name}:${headerValue(req.headers, name).replace(/\s*\r?\n\s*/g, " ")}\n`)
    .join("");
  for (const skipEmpty of [false, true]) {
    const names = new Map<string, string[]>();
    for (const [name, value] of req.query) {
      if (skipEmpty && value === "") continue;
      const key = name.toLowerCase();
      names.set(key, [...(names.get(key) ?? []), value]);
    }
    const query = [...names.keys()]
      .sort()
      .map((name) => `\n${name}:${[...(names.get(name) ?? [])].sort().join(",")}`)
      .join("");
    for (const len of lengths) {
      const standard = STANDARD_HEADERS.map((h) => (h === "content-length" ? len : headerValue(req.headers, h)));
      const candidate = `${req.method.toUpperCase()}\n${standard.join("\n")}\n${ocp}/${account}${req.rawPath}${query}`;
      if (!out.includes(candidate)) out.push(candidate);
    }
  }
  return out;
}

/** Base64 HMAC-SHA256 of `text` keyed with the Base64-decoded account key. @internal */
export function sign(text: string, accountKey: string): string {
  return createHmac("sha256", Buffer.from(accountKey, "base64")).update(text, "utf8").digest("base64");
}

const sameSignature = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Checks a Shared Key request against the account's keys (either key signs). Returns the refusal,
 * or undefined when the request is authentic and fresh. `now` is wall time: replay protection is
 * about the client's real clock, not the emulator's simulated one.
 * @internal
 */
export function verifySharedKey(
  req: SignedRequest,
  header: { account: string; signature: string },
  accountName: string,
  keys: readonly string[],
  now: number = Date.now(),
): SharedKeyRefusal | undefined {
  const refuse = (detail: string): SharedKeyRefusal => ({ status: 403, code: "AuthenticationFailed", detail });
  if (header.account.toLowerCase() !== accountName.toLowerCase()) {
    return refuse(`The account name '${header.account}' in the Authorization header does not match the account '${accountName}' the request is addressed to.`);
  }
  // "If both headers are specified for the request, the value of ocp-date is used."
  const date = headerValue(req.headers, "ocp-date") || headerValue(req.headers, "date");
  if (date === "") return refuse("The request has neither an ocp-date nor a Date header.");
  const at = Date.parse(date);
  if (Number.isNaN(at)) return refuse(`The date header value '${date}' is not a valid HTTP date.`);
  if (now - at > SHARED_KEY_MAX_SKEW_MS) return refuse(`Request date header too old: '${date}'`);
  if (at - now > SHARED_KEY_MAX_SKEW_MS) return refuse(`Request date header too far in the future: '${date}'`);
  const candidates = stringsToSign(req, header.account);
  for (const key of keys) {
    for (const text of candidates) if (sameSignature(sign(text, key), header.signature)) return undefined;
  }
  // Like Azure, show the string the server signed (no key, no signature in it).
  return refuse(
    `The MAC signature found in the HTTP request is not the same as any computed signature. Server used following string to sign: '${candidates[0] ?? ""}'.`,
  );
}
