/**
 * Task failures and node errors, built only from Azure's published list (`src/azure`): the code,
 * its wire category (lowercase) and its message come from there, so the emulator cannot report a
 * code no public source gives.
 */
import { NODE_ERRORS, TASK_FAILURES, type ErrorCategory, type NodeErrorCode, type TaskFailureCode } from "../../azure/index.js";

/** A `name: value` detail of a failure. @internal */
export interface FailureDetail {
  name: string;
  value: string;
}

/** A task-level failure (`executionInfo.failureInfo`). @internal */
export interface FailureInfo {
  category: ErrorCategory;
  code: TaskFailureCode;
  message: string;
  details?: FailureDetail[];
}

/** The failure Azure reports for `code`, with `details`. @internal */
export function taskFailure(code: TaskFailureCode, details?: FailureDetail[]): FailureInfo {
  const fact = TASK_FAILURES[code];
  return { category: fact.category, code, message: fact.message, ...(details && details.length > 0 ? { details } : {}) };
}

/** A compute node error (`errors[]`). @internal */
export interface NodeError {
  code: NodeErrorCode;
  message: string;
  errorDetails?: FailureDetail[];
}

/** The node error Azure reports for `code`, with `details`. @internal */
export function nodeError(code: NodeErrorCode, details?: FailureDetail[]): NodeError {
  return { code, message: NODE_ERRORS[code].message, ...(details && details.length > 0 ? { errorDetails: details } : {}) };
}
