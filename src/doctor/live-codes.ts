import type { Finding, Scenario } from "../errors/issue.js";
import type { FindingCode } from "../rules/codes.js";
import { finding } from "../rules/finding.js";

/**
 * Builds a doctor finding with the severity its code has in the code table (the live-only codes
 * live there with the others).
 *
 * @example
 * ```ts
 * liveFinding("STORAGE_UNRESOLVED", 'pools["render"].startTask.resourceFiles[0]', "could not resolve ...", "assign the role by hand");
 * ```
 */
export function liveFinding(code: FindingCode, path: string, message: string, fix: string, scenario?: Scenario): Finding {
  return finding(code, path, message, fix, scenario);
}
