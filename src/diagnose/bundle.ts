import type { Finding } from "../errors/issue.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";

/**
 * What `diagnose` reads: a bundle of REST payloads, or one bare ARM pool, ARM account or Batch
 * job body. This file only recognises the top-level structure; every rule lives in `src/rules`.
 *
 * Detection rule, in order (first match wins):
 * 1. not a JSON object (array, string, number, null): unusable;
 * 2. an object with an own `account`, `pools` or `jobs` key: a bundle. `account` must be an object
 *    and `pools`/`jobs` arrays (or `null`/absent), else the bundle is unusable;
 * 3. an object with an object `properties`: an ARM body. It is an **account** when `type` is
 *    `Microsoft.Batch/batchAccounts`, or it has `location`, or `properties` has one of
 *    `autoStorage`, `poolAllocationMode`, `keyVaultReference`, `accountEndpoint`; otherwise a **pool**;
 * 4. an object with `poolInfo`: a Batch (data-plane) **job** body;
 * 5. the empty object: an empty bundle;
 * 6. anything else: unusable.
 */

/** One job of a bundle: the Batch `JobAddParameter` wire body plus its tasks. */
export interface BundleJob {
  /** The job id. */
  readonly id?: string;
  /** Where the job runs: `poolId` (matched case-insensitively with `pools[].name`) or `autoPoolSpecification`. */
  readonly poolInfo?: {
    /** The pool the job runs on. */
    readonly poolId?: string;
    /** An auto-pool, which cannot carry identities. */
    readonly autoPoolSpecification?: unknown;
  };
  /** The job's tasks (`TaskAddParameter` wire bodies). @default [] */
  readonly tasks?: readonly Record<string, unknown>[];
  /** Any other field of the wire body. */
  readonly [key: string]: unknown;
}

/**
 * A bundle: an account, pools and jobs in the Azure REST wire format, every key optional.
 *
 * @example
 * ```ts
 * import type { Bundle } from "typed-batch";
 * const bundle: Bundle = { pools: [{ name: "render", properties: { vmSize: "STANDARD_D2S_V3" } }], jobs: [] };
 * ```
 */
export interface Bundle {
  /** The Batch account body (ARM, with `identity` and `properties.autoStorage`). @default undefined (no account rules, no node identity rules) */
  readonly account?: Record<string, unknown>;
  /** ARM pool bodies, each with `name`, `identity` and `properties`. @default [] */
  readonly pools?: readonly Record<string, unknown>[];
  /** Batch job bodies, each with its `tasks`. @default [] */
  readonly jobs?: readonly BundleJob[];
}

/** A value found in the input and the path that leads to it (`""` for the document itself). */
export interface Located {
  /** The raw value, unchecked. */
  readonly value: unknown;
  /** Its path in the input document. */
  readonly path: string;
}

/** What kind of document was recognised. */
export type DocumentKind = "bundle" | "pool" | "account" | "job";

/** The top-level structure of a usable document, with paths into that document. */
export interface BundleParts {
  /** How the document was recognised. */
  readonly kind: DocumentKind;
  /** The account, when present. */
  readonly account: Located | undefined;
  /** The pools, in document order. */
  readonly pools: readonly Located[];
  /** The jobs, in document order. */
  readonly jobs: readonly Located[];
}

/** Either the parts of a usable document, or the findings that say why it is not usable. */
export type BundleRead =
  | { readonly ok: true; readonly parts: BundleParts }
  | { readonly ok: false; readonly findings: readonly Finding[] };

const accountMarkers = ["autoStorage", "poolAllocationMode", "keyVaultReference", "accountEndpoint"] as const;

function own(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: Record<string, unknown>, key: string): unknown {
  return own(value, key) ? value[key] : undefined;
}

function shape(path: string, detail: string): Finding {
  return finding("INVALID_SHAPE", path, messages.invalidShape(detail), fixes.invalidShape.json());
}

function located(items: readonly unknown[], base: string): Located[] {
  const out: Located[] = [];
  for (let i = 0; i < items.length; i++) out.push({ value: items[i], path: `${base}[${i}]` });
  return out;
}

function isAccountBody(doc: Record<string, unknown>, properties: Record<string, unknown>): boolean {
  const type = field(doc, "type");
  if (typeof type === "string") return type.toLowerCase() === "microsoft.batch/batchaccounts";
  return own(doc, "location") || accountMarkers.some((key) => own(properties, key));
}

function readBundleKeys(doc: Record<string, unknown>): BundleRead {
  const problems: Finding[] = [];
  const account = field(doc, "account");
  const pools = field(doc, "pools");
  const jobs = field(doc, "jobs");
  if (account !== undefined && account !== null && !isObject(account)) problems.push(shape("account", "expected an object (the Batch account body)"));
  if (pools !== undefined && pools !== null && !Array.isArray(pools)) problems.push(shape("pools", "expected an array of ARM pool bodies"));
  if (jobs !== undefined && jobs !== null && !Array.isArray(jobs)) problems.push(shape("jobs", "expected an array of Batch job bodies"));
  if (problems.length > 0) return { ok: false, findings: problems };
  return {
    ok: true,
    parts: {
      kind: "bundle",
      account: isObject(account) ? { value: account, path: "account" } : undefined,
      pools: Array.isArray(pools) ? located(pools, "pools") : [],
      jobs: Array.isArray(jobs) ? located(jobs, "jobs") : [],
    },
  };
}

/**
 * Recognises the top-level structure of a parsed document (see the detection rule above).
 *
 * @internal Used by `diagnose` and `typed-batch check`, which maps a failed read to exit code 2.
 * @example
 * ```ts
 * import { readBundle } from "./bundle.js";
 * const read = readBundle({ properties: { vmSize: "STANDARD_D2S_V3" }, identity: { type: "None" } });
 * if (read.ok) console.log(read.parts.kind); // "pool"
 * ```
 */
export function readBundle(doc: unknown): BundleRead {
  if (!isObject(doc)) {
    const what = Array.isArray(doc) ? "an array" : doc === null ? "null" : `a ${typeof doc}`;
    return { ok: false, findings: [shape("", `expected a JSON object (a bundle, or an ARM pool or account body, or a Batch job body), found ${what}`)] };
  }
  if (own(doc, "account") || own(doc, "pools") || own(doc, "jobs")) return readBundleKeys(doc);
  const properties = field(doc, "properties");
  if (isObject(properties)) {
    const kind = isAccountBody(doc, properties) ? "account" : "pool";
    const self: Located = { value: doc, path: "" };
    return { ok: true, parts: kind === "account" ? { kind, account: self, pools: [], jobs: [] } : { kind, account: undefined, pools: [self], jobs: [] } };
  }
  if (own(doc, "poolInfo")) return { ok: true, parts: { kind: "job", account: undefined, pools: [], jobs: [{ value: doc, path: "" }] } };
  if (Object.keys(doc).length === 0) return { ok: true, parts: { kind: "bundle", account: undefined, pools: [], jobs: [] } };
  return {
    ok: false,
    findings: [shape("", "not a bundle (no account, pools or jobs), nor an ARM pool or account body (no properties), nor a Batch job body (no poolInfo)")],
  };
}
