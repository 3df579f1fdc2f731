import type { Scenario } from "../errors/issue.js";

/**
 * The rows of the article's two behaviour tables, in words. Findings carry only the id
 * (`application-packages#3`); the CLI and `explain` print these sentences.
 */

/** What the article's row says happens. */
export const scenarioOutcomes: Readonly<Record<Scenario, string>> = {
  "application-packages#1": "nodes start and the package is downloaded to root/applications",
  "application-packages#2": "nodes start but stay Idle and the package is not downloaded (the identity lacks a data role)",
  "application-packages#3": "nodes stuck in Starting (agent-debug.log: TvmJoinPoolInProgress)",
  "application-packages#4": "nodes Unusable with ApplicationPackageError",
  "resource-files#1": "the file is downloaded to root/wd/<filePath>",
  "resource-files#2": "the task fails with ResourceContainerAccessDenied (the identity lacks a data role)",
  "resource-files#3": "the task fails with ResourceContainerAccessDenied",
  "resource-files#4": "the task fails with ResourceContainerListMiscError",
};

const tableNames = { "application-packages": "application packages", "resource-files": "resource files" } as const;

/**
 * A scenario id in words, e.g. `article: application packages, scenario 3 — nodes stuck in Starting (...)`.
 *
 * @example
 * ```ts
 * import { describeScenario } from "./scenarios.js";
 * describeScenario("resource-files#4"); // "article: resource files, scenario 4 — the task fails with ResourceContainerListMiscError"
 * ```
 */
export function describeScenario(scenario: Scenario): string {
  const [table, row] = scenario.split("#") as [keyof typeof tableNames, string];
  return `article: ${tableNames[table]}, scenario ${row} — ${scenarioOutcomes[scenario]}`;
}
