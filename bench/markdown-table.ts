/**
 * A small markdown table printer for the benchmarks: columns aligned in the source text so the
 * tables read in a terminal as well as rendered.
 */

/** A column: its header, and whether numbers align right (the default for non-first columns). */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
}

/** Formats `rows` under `columns` as a GitHub-flavoured markdown table. */
export function markdownTable(columns: readonly (Column | string)[], rows: readonly (readonly (string | number)[])[]): string {
  const cols = columns.map((c, i): Required<Column> => (typeof c === "string" ? { header: c, align: i === 0 ? "left" : "right" } : { header: c.header, align: c.align ?? (i === 0 ? "left" : "right") }));
  const cells = rows.map((r) => cols.map((_, i) => escape(String(r[i] ?? ""))));
  const widths = cols.map((c, i) => Math.max(3, c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((v, i) => (cols[i]!.align === "right" ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `|${cols.map((c, i) => (c.align === "right" ? `${"-".repeat(widths[i]! + 1)}:` : `:${"-".repeat(widths[i]! + 1)}`)).join("|")}|`;
  return [line(cols.map((c) => c.header)), rule, ...cells.map(line)].join("\n");
}

function escape(cell: string): string {
  return cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Thousands separators, no decimals. */
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—");
/** Fixed decimals. */
export const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : "—");
/** A ratio such as `1.23x`. */
export const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : "—");

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The machine the numbers come from, for the report's heading. */
export async function machineLine(): Promise<string> {
  const os = await import("node:os");
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${gib(os.totalmem())} RAM (${gib(os.freemem())} free), Node ${process.version}, ${os.platform()} ${os.release()}, ${new Date().toISOString()}`;
}
