import type { Scenario } from "../errors/issue.js";

/**
 * What `explain` returns for an Azure error code, a log line or a typed-batch finding code.
 *
 * @example
 * ```ts
 * import { explain, type Explanation } from "typed-batch";
 * const e: Explanation | undefined = explain("ResourceContainerListMiscError");
 * console.log(e?.title, e?.scenario, e?.fix);
 * ```
 */
export interface Explanation {
  /** The code explained: Azure's (`ApplicationPackageError`) or typed-batch's (`NODE_IDENTITY_NOT_IN_POOL`). */
  readonly code: string;
  /** One line: what it means. */
  readonly title: string;
  /** Why it happens, in terms of the identity configuration. */
  readonly cause: string;
  /** The rows of the article's behaviour tables where this shows up, when any. */
  readonly scenario?: readonly Scenario[];
  /** What to change. */
  readonly fix: string;
  /** Where to read more. */
  readonly see?: string;
}

/** The troubleshooting article the behaviour tables come from. */
export const articleUrl = "https://learn.microsoft.com/en-us/troubleshoot/azure/hpc/batch/use-managed-identities-azure-batch-account-pool";

/** @internal An explanation and the texts that identify it in a pasted log line. */
export interface ExplanationEntry {
  /** The explanation. */
  readonly explanation: Explanation;
  /** Other exact names that mean the same (matched case-insensitively). */
  readonly aliases: readonly string[];
  /** Texts that, found in a log line, identify it. Single words match at word boundaries only. */
  readonly phrases: readonly string[];
}
