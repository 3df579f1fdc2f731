import { readFile } from "node:fs/promises";
import { parseJsonText } from "../diagnose/json-text.js";
import type { Deployment } from "../diagnose/inputs/model.js";
import { textMayHavePlaceholders } from "../diagnose/inputs/placeholders.js";
import { type DocumentKind, type ReadOptions, readDocument } from "../diagnose/inputs/read-document.js";

/**
 * Reads one `check` argument into a usable document, or says in one line why it cannot: the
 * file name and what is wrong, never a stack trace nor the file's content.
 */

/** A document `check` can diagnose, or the reason it cannot (exit code 2). */
export type InputRead =
  | {
      readonly ok: true;
      /** What the document was read as. */
      readonly kind: DocumentKind;
      /** What it holds. */
      readonly deployment: Deployment;
      /** Its text (SARIF locates findings in it). */
      readonly text: string;
    }
  | { readonly ok: false; readonly reason: string };

/** The name `-` reads standard input. */
export const stdinName = "-";

const fsReasons: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ERR_FS_FILE_TOO_LARGE: "file too large",
  ENAMETOOLONG: "file name too long",
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readText(file: string): Promise<{ text: string } | { reason: string }> {
  try {
    return { text: file === stdinName ? await readStdin() : await readFile(file, "utf8") };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" ? (fsReasons[code] ?? `cannot be read (${code})`) : "cannot be read";
    return { reason: `cannot read file: ${reason}` };
  }
}

/** Reads and parses a JSON file; the reason says why not, in one line. */
export async function readJsonFile(file: string): Promise<{ ok: true; value: unknown; text: string } | { ok: false; reason: string }> {
  const loaded = await readText(file);
  if ("reason" in loaded) return { ok: false, reason: loaded.reason };
  const parsed = parseJsonText(loaded.text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    return { ok: false, reason: `invalid JSON at line ${line}, column ${column}: ${reason}` };
  }
  return { ok: true, value: parsed.value, text: loaded.text };
}

/**
 * Reads, parses and recognises one input.
 *
 * @param shown the name findings carry (`(stdin)` for `-`).
 * @example
 * ```ts
 * const read = await readInput("bundle.json", "bundle.json");
 * if (!read.ok) console.error(`typed-batch: bundle.json: ${read.reason}`);
 * ```
 */
export async function readInput(file: string, shown: string, options: ReadOptions = {}): Promise<InputRead> {
  const loaded = await readJsonFile(file);
  if (!loaded.ok) return loaded;
  const read = readDocument(loaded.value, shown, { ...options, mayHavePlaceholders: textMayHavePlaceholders(loaded.text) });
  if (!read.ok) return { ok: false, reason: `unusable document: ${read.reason}` };
  return { ok: true, kind: read.kind, deployment: read.deployment, text: loaded.text };
}

/**
 * The values of an ARM parameters file (`{ "parameters": { "name": { "value": ... } } }`).
 *
 * @example
 * ```ts
 * const read = await readParameters("main.parameters.json");
 * if (read.ok) console.log(Object.keys(read.values));
 * ```
 */
export async function readParameters(file: string): Promise<{ ok: true; values: Record<string, unknown> } | { ok: false; reason: string }> {
  const loaded = await readJsonFile(file);
  if (!loaded.ok) return loaded;
  const doc = loaded.value as { parameters?: unknown };
  const parameters = typeof doc === "object" && doc !== null ? doc.parameters : undefined;
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) {
    return { ok: false, reason: "not an ARM parameters file (expected { \"parameters\": { \"name\": { \"value\": ... } } })" };
  }
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(parameters as Record<string, unknown>)) {
    if (typeof entry === "object" && entry !== null && Object.prototype.hasOwnProperty.call(entry, "value")) values[name.toLowerCase()] = (entry as { value: unknown }).value;
  }
  return { ok: true, values };
}
