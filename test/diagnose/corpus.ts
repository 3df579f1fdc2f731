import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Scenario } from "../../src/errors/issue.js";

/** The fixture corpus: every bundle with its expected-findings file. */

/** Where the corpus lives. */
export const bundlesDir = fileURLToPath(new URL("../fixtures/bundles/", import.meta.url));

/** One expected finding: what the corpus pins down. */
export interface ExpectedFinding {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly path: string;
  readonly scenario?: Scenario;
}

/** A bundle and what `check` must say about it. */
export interface CorpusCase {
  /** `valid/full.json`, `broken/unknown-pool.json`, ... */
  readonly name: string;
  /** Absolute path of the bundle. */
  readonly file: string;
  /** Exit code of `typed-batch check`. */
  readonly exitCode: number;
  /** Every finding, in order. */
  readonly findings: readonly ExpectedFinding[];
}

/** Every case of `valid/` and `broken/`. */
export function corpusCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const group of ["valid", "broken"]) {
    for (const entry of readdirSync(`${bundlesDir}${group}`).sort()) {
      if (!entry.endsWith(".json") || entry.endsWith(".expected.json")) continue;
      const file = `${bundlesDir}${group}/${entry}`;
      const expected = JSON.parse(readFileSync(file.replace(/\.json$/, ".expected.json"), "utf8")) as { exitCode: number; findings: ExpectedFinding[] };
      cases.push({ name: `${group}/${entry}`, file, exitCode: expected.exitCode, findings: expected.findings });
    }
  }
  return cases;
}

/** The comparable part of a finding. */
export function essentials(f: { severity: string; code: string; path: string; scenario?: string | undefined }): ExpectedFinding {
  const base = { severity: f.severity, code: f.code, path: f.path } as ExpectedFinding;
  return f.scenario === undefined ? base : { ...base, scenario: f.scenario as Scenario };
}
