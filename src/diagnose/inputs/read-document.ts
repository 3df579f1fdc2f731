import { readArmTemplate, isArmParameters, isArmTemplate } from "./arm-template.js";
import { type BodyKind, isObject, readBatchBody } from "./batch-bodies.js";
import { finding } from "../../rules/finding.js";
import { fixes, messages } from "../../rules/messages.js";
import type { Deployment, FileFinding } from "./model.js";
import { replacePlaceholders } from "./placeholders.js";
import { isTerraformPlan, readTerraformPlan } from "./terraform-plan.js";

/**
 * Reads one parsed document of any kind `check` takes into the joined model: an ARM deployment
 * template, a Terraform plan, or a bundle / Batch REST body (see `batch-bodies.ts`).
 */

/** What a document was read as. */
export type DocumentKind = BodyKind | "ARM template" | "Terraform plan";

/** Options of {@link readDocument}. */
export interface ReadOptions {
  /** Values of an ARM parameters file (`parameters.<name>.value`), for templates. @default {} */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** False when the caller knows the document holds no `/subscriptions/subid` (its text was scanned). @default true */
  readonly mayHavePlaceholders?: boolean;
}

/** The model of one document, or why it cannot be used. */
export type DocumentRead =
  | { readonly ok: true; readonly kind: DocumentKind; readonly deployment: Deployment }
  | { readonly ok: false; readonly reason: string; readonly findings?: readonly FileFinding[] };

/**
 * Recognises and reads one parsed document.
 *
 * @internal Used by `diagnose` and `typed-batch check`, which maps a failed read to exit code 2.
 * @example
 * ```ts
 * const read = readDocument(JSON.parse(text), "pool.json");
 * if (read.ok) console.log(read.kind); // "ARM pool"
 * ```
 */
export function readDocument(doc: unknown, file: string, options: ReadOptions = {}): DocumentRead {
  if (!isObject(doc)) {
    const what = Array.isArray(doc) ? "an array" : doc === null ? "null" : `a ${typeof doc}`;
    return { ok: false, reason: `expected a JSON object (a bundle, a Batch REST body, an ARM template or a Terraform plan), found ${what}` };
  }
  if (isArmParameters(doc)) return { ok: false, reason: "an ARM parameters file: pass it with --parameters FILE next to its template" };
  const { value, count } = options.mayHavePlaceholders === false ? { value: doc, count: 0 } : replacePlaceholders(doc);
  const read = readKind(value as Record<string, unknown>, file, options);
  if (read.ok && count > 0) {
    read.deployment.notes.push({ file, ...finding("PLACEHOLDER_SUBSCRIPTION", "", messages.placeholderSubscription(count), fixes.placeholderSubscription.json()) });
  }
  return read;
}

function readKind(doc: Record<string, unknown>, file: string, options: ReadOptions): DocumentRead {
  if (isArmTemplate(doc)) return { ok: true, kind: "ARM template", deployment: readArmTemplate(doc, file, options.parameters ?? {}) };
  if (isTerraformPlan(doc)) return { ok: true, kind: "Terraform plan", deployment: readTerraformPlan(doc, file) };
  return readBatchBody(doc, file);
}
