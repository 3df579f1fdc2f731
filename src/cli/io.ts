import pc from "picocolors";
import { redact } from "../errors/redact.js";

/**
 * Where the CLI writes. Every text goes through `redact()` on its way out, so a SAS signature,
 * key or bearer token that reached a message is never printed.
 */

/** The colour functions the CLI uses (picocolors' when enabled, identities when not). */
export type Palette = ReturnType<typeof pc.createColors>;

/** The CLI's output channels. */
export interface Io {
  /** Writes a line (a newline is added) to standard output. */
  out(line: string): void;
  /** Writes a line to standard error. */
  err(line: string): void;
  /** Writes `value` as JSON to standard output, every string redacted. */
  json(value: unknown): void;
  /** Colours for standard output. */
  readonly color: Palette;
  /** Colours for standard error. */
  readonly errColor: Palette;
}

/** Longest text printed for one field: hostile input can hold megabyte-long ids. */
const maxField = 4000;

/**
 * Shortens `text` to a printable length, saying how much was cut.
 *
 * @param max longest length kept. @default 4000
 *
 * @example
 * ```ts
 * clip("x".repeat(5000)).length; // about 4030
 * ```
 */
export function clip(text: string, max: number = maxField): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Colour only on a terminal and when NO_COLOR is not set (https://no-color.org). */
function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env["NO_COLOR"] === undefined;
}

/**
 * The process's output channels.
 *
 * @example
 * ```ts
 * const io = processIo();
 * io.out(io.color.bold("typed-batch"));
 * ```
 */
export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  // A closed pipe (`typed-batch check x | head`) ends output, not the run: the exit code stays right.
  let stdoutClosed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed = true;
  });
  const out = (text: string) => {
    if (!stdoutClosed) process.stdout.write(text);
  };
  return {
    out: (line) => out(`${redact(line)}\n`),
    err: (line) => process.stderr.write(`${redact(line)}\n`),
    // Redact values, not the JSON text: a pattern run over serialized JSON could eat a closing quote.
    json: (value) => out(`${JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? redact(v) : v), 2)}\n`),
    color: pc.createColors(wantsColor(process.stdout, env)),
    errColor: pc.createColors(wantsColor(process.stderr, env)),
  };
}
