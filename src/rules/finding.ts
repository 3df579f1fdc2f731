import type { Finding, Scenario } from "../errors/issue.js";
import { redact } from "../errors/redact.js";
import { type FindingCode, findingCodes } from "./codes.js";

/** Longest text a finding field carries: messages quote user input, which may be huge. */
const maxFieldLength = 2_000;

/**
 * A finding field made safe to print: secrets redacted (a SAS URL pasted where an id belongs keeps
 * its signature otherwise) and at most {@link maxFieldLength} characters.
 */
function safeText(text: string): string {
  // Redaction is linear, but 50 MB of input need not be scanned to print 2,000 characters of it.
  const clean = redact(text.length > 100_000 ? text.slice(0, 100_000) : text);
  return clean.length <= maxFieldLength ? clean : `${clean.slice(0, maxFieldLength - 40)}… (${text.length} characters)`;
}

/** Builds a finding with the severity the code table gives it; every text field is redacted and bounded. */
export function finding(code: FindingCode, path: string, message: string, fix: string, scenario?: Scenario): Finding {
  const base = { severity: findingCodes[code].severity, code, path: safeText(path), message: safeText(message), fix: safeText(fix) };
  return scenario === undefined ? base : { ...base, scenario };
}
