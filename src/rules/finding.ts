import type { Finding, Scenario } from "../errors/issue.js";
import { type FindingCode, findingCodes } from "./codes.js";

/** Builds a finding with the severity the code table gives it. */
export function finding(code: FindingCode, path: string, message: string, fix: string, scenario?: Scenario): Finding {
  const base = { severity: findingCodes[code].severity, code, path, message, fix };
  return scenario === undefined ? base : { ...base, scenario };
}
