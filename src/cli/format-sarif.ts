import type { Log, ReportingDescriptor, Result } from "sarif";
import { findingEntries } from "../diagnose/finding-explanations.js";
import { articleUrl } from "../diagnose/explanation.js";
import { locateAll } from "../diagnose/json-locate.js";
import type { FileFinding } from "../diagnose/inputs/model.js";
import { describeScenario } from "../diagnose/scenarios.js";
import { allFindingCodes, findingCodes } from "../rules/codes.js";
import { packageVersion } from "./version.js";

/**
 * `check --format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. One rule
 * per finding code (its summary, cause and fix from the code table, the docs link), one result
 * per finding with the file, line and column of the offending value, the path and the fix.
 */

const docsUrl = "https://www.npmjs.com/package/typed-batch#the-checks";

/** A checked file: the name findings carry, and its text (to find lines and columns in). */
export interface SarifFile {
  /** The name as given on the command line (`(stdin)` for `-`). */
  readonly name: string;
  /** The file's text. */
  readonly text: string;
  /** Maps a finding path to the JSON path of the same value in the text (Terraform addresses). @default identity */
  readonly locate?: (path: string) => string;
}

function rules(): ReportingDescriptor[] {
  return allFindingCodes.map((code) => {
    const entry = findingEntries.find((e) => e.explanation.code === code)?.explanation;
    const cause = entry?.cause ?? findingCodes[code].summary;
    const fix = entry?.fix ?? "";
    const scenario = entry?.scenario !== undefined && entry.scenario.length > 0;
    return {
      id: code,
      name: code
        .toLowerCase()
        .split("_")
        .map((w) => `${w[0]?.toUpperCase() ?? ""}${w.slice(1)}`)
        .join(""),
      shortDescription: { text: findingCodes[code].summary },
      fullDescription: { text: cause },
      help: { text: `${cause}\nFix: ${fix}`, markdown: `${cause}\n\n**Fix:** ${fix}` },
      helpUri: scenario ? articleUrl : docsUrl,
      defaultConfiguration: { level: findingCodes[code].severity === "error" ? "error" : "warning" },
    };
  });
}

/** A relative file name as a URI reference (forward slashes, each segment escaped). */
function uriOf(name: string): string {
  return name.replaceAll("\\", "/").split("/").map(encodeURIComponent).join("/");
}

/**
 * The SARIF log of one `check` run.
 *
 * @example
 * ```ts
 * io.json(sarifLog(findings, [{ name: "pool.json", text }]));
 * ```
 */
export function sarifLog(findings: readonly FileFinding[], files: readonly SarifFile[]): Log {
  const ruleIndex = new Map(allFindingCodes.map((code, i) => [code, i]));
  const byFile = new Map<string, FileFinding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list === undefined) byFile.set(f.file, [f]);
    else list.push(f);
  }
  const results: Result[] = [];
  for (const file of files) {
    const list = byFile.get(file.name);
    if (list === undefined) continue;
    const locate = file.locate ?? ((p: string) => p);
    const positions = locateAll(file.text, list.map((f) => locate(f.path)));
    for (const f of list) {
      const at = positions.get(locate(f.path)) ?? { line: 1, column: 1 };
      const scenario = f.scenario === undefined ? "" : ` (${describeScenario(f.scenario)})`;
      results.push({
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code) ?? 0,
        level: f.severity === "error" ? "error" : "warning",
        message: { text: `${f.message}${scenario}.${f.fix === "" ? "" : ` Fix: ${f.fix}.`}` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: uriOf(file.name) }, region: { startLine: at.line, startColumn: at.column } },
            logicalLocations: [{ fullyQualifiedName: f.path === "" ? "(document)" : f.path, kind: "object" }],
          },
        ],
        properties: { path: f.path, fix: f.fix, ...(f.scenario === undefined ? {} : { scenario: f.scenario }) },
      });
    }
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "typed-batch", version: packageVersion(), informationUri: docsUrl, rules: rules() } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}
