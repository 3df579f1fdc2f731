/**
 * The exit codes of `typed-batch`.
 *
 * - `0`: no error finding (warnings allowed), or help/version shown, or `explain` found an answer;
 * - `1`: at least one error finding; for `explain`, nothing matched (like grep);
 * - `2`: input it cannot use: a missing or unreadable file, invalid JSON, a top level that is not a
 *   bundle nor a bare ARM pool/account or Batch job body, a top-level `account`/`pools`/`jobs` of
 *   the wrong type; also a command-line usage error. It wins over `1` when files mix;
 * - `70`: a bug in typed-batch (an unexpected exception), reported without a stack trace unless
 *   `TYPED_BATCH_DEBUG=1`.
 *
 * Deeper shape problems (a job's `tasks` that is not an array, a resource file that is a string)
 * are `INVALID_SHAPE` error findings with their path: exit `1`, the rest of the file is still checked.
 */
export const exitCodes = {
  ok: 0,
  findings: 1,
  unusableInput: 2,
  internal: 70,
} as const;

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
