import type { Finding, Scenario } from "../errors/issue.js";
import { type FindingCode, findingCodes } from "../rules/codes.js";

/**
 * PENDING src/rules/codes.ts — live-only codes the doctor emits that the code table does not have
 * yet. The owner of codes.ts adds them there; then this table, {@link LiveCode} and the cast in
 * {@link liveFinding} go, and `finding()` from src/rules/finding.ts is used instead.
 *
 * @example
 * ```ts
 * pendingLiveCodes.NODE_FAILURE.severity; // "error"
 * ```
 */
export const pendingLiveCodes = {
  NODE_FAILURE: {
    severity: "error",
    summary:
      "Live only: compute nodes are Unusable, failed their start task or are stuck in Starting for an identity reason the current configuration does not explain.",
  },
  TASK_FAILURE: {
    severity: "error",
    summary: "Live only: recent tasks failed with an identity or storage error the current configuration does not explain.",
  },
  STORAGE_UNRESOLVED: {
    severity: "warning",
    summary: "Live only: a storage URL or account name could not be resolved to a storage account resource id, so its role assignments were not checked.",
  },
  PERMISSION_UNKNOWN: {
    severity: "warning",
    summary: "Live only: role assignments could not be read (the caller may lack Microsoft.Authorization/roleAssignments/read), so a data role was not checked.",
  },
} as const satisfies Record<string, { severity: "error" | "warning"; summary: string }>;

/**
 * A code the doctor may emit: one of the table's, or a pending live code.
 *
 * @example
 * ```ts
 * const code: LiveCode = "STORAGE_UNRESOLVED";
 * ```
 */
export type LiveCode = FindingCode | keyof typeof pendingLiveCodes;

function severityOf(code: LiveCode): Finding["severity"] {
  return code in pendingLiveCodes ? pendingLiveCodes[code as keyof typeof pendingLiveCodes].severity : findingCodes[code as FindingCode].severity;
}

/**
 * Builds a doctor finding with the severity its code has.
 *
 * @example
 * ```ts
 * liveFinding("STORAGE_UNRESOLVED", 'pools["render"].startTask.resourceFiles[0]', "could not resolve ...", "assign the role by hand");
 * ```
 */
export function liveFinding(code: LiveCode, path: string, message: string, fix: string, scenario?: Scenario): Finding {
  // Cast until the pending codes are in codes.ts (see above).
  const base = { severity: severityOf(code), code: code as FindingCode, path, message, fix };
  return scenario === undefined ? base : { ...base, scenario };
}
