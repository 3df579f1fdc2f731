import { readFile } from "node:fs/promises";
import { type BundleParts, readBundle } from "../diagnose/bundle.js";
import { parseJsonText } from "../diagnose/json-text.js";

/**
 * Reads one `check` argument into a usable document, or says in one line why it cannot: the
 * file name and what is wrong, never a stack trace nor the file's content.
 */

/** A document `check` can diagnose, or the reason it cannot (exit code 2). */
export type InputRead = { readonly ok: true; readonly parts: BundleParts } | { readonly ok: false; readonly reason: string };

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

/**
 * Reads, parses and recognises one input.
 *
 * @example
 * ```ts
 * const read = await readInput("bundle.json");
 * if (!read.ok) console.error(`typed-batch: bundle.json: ${read.reason}`);
 * ```
 */
export async function readInput(file: string): Promise<InputRead> {
  const loaded = await readText(file);
  if ("reason" in loaded) return { ok: false, reason: loaded.reason };
  const parsed = parseJsonText(loaded.text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    return { ok: false, reason: `invalid JSON at line ${line}, column ${column}: ${reason}` };
  }
  const read = readBundle(parsed.value);
  if (!read.ok) {
    const reason = read.findings.map((f) => (f.path === "" ? f.message : `${f.path}: ${f.message}`)).join("; ");
    return { ok: false, reason: `unusable document: ${reason}` };
  }
  return { ok: true, parts: read.parts };
}
