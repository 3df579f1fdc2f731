/**
 * The sharper half of guard = behaviour: which Azure failure code the emulator must show where a
 * guard finding points. The site table's failure-code column (issue 12) was not on main when this
 * was written, so the mapping lives here, documented, and every code in it is checked against
 * Azure's published list (src/azure): finding code + where it points → the codes Azure reports.
 * An outcome is an emulator observation ("ResourceContainerListMiscError", "node unusable
 * ApplicationPackageError", "preparation task: ContainerInvalidImage", "refused 400 ...").
 */
import { isKnownAzureCode } from "../../src/azure/index.js";

interface Rule {
  /** The guard's finding code. */
  readonly finding: string;
  /** Where the finding points (its path). */
  readonly at: RegExp;
  /** The Azure codes (or the join-stuck outcome) the emulator may show for it. */
  readonly azure: readonly string[];
}

/** Finding → Azure failure codes, most specific path first. */
export const FAILURE_CODES: readonly Rule[] = [
  { finding: "IDENTITY_NOT_IN_POOL", at: /containerSettings\.registry|containerRegistries/, azure: ["ContainerInvalidImage"] },
  { finding: "IDENTITY_NOT_IN_POOL", at: /mountConfiguration/, azure: ["MountConfigurationError"] },
  { finding: "IDENTITY_NOT_IN_POOL", at: /outputFiles/, azure: ["FileUploadMiscError"] },
  { finding: "IDENTITY_NOT_IN_POOL", at: /resourceFiles|commonResourceFiles/, azure: ["ResourceContainerListMiscError", "BlobDownloadMiscError"] },
  { finding: "NODE_IDENTITY_NOT_IN_POOL", at: /resourceFiles/, azure: ["ResourceContainerListMiscError"] },
  { finding: "NODE_IDENTITY_NOT_IN_POOL", at: /applicationPackage/, azure: ["ApplicationPackageError"] },
  { finding: "NODE_IDENTITY_REFERENCE_MISSING", at: /resourceFiles/, azure: ["ResourceContainerAccessDenied"] },
  // Pool packages: the node never joins (TvmJoinPoolInProgress, seen as "node starting"); task packages fail the task.
  { finding: "NODE_IDENTITY_REFERENCE_MISSING", at: /applicationPackage/, azure: ["TvmJoinPoolInProgress", "ApplicationPackageError"] },
  // A malformed id in the account's or pool's identity list is refused by ARM.
  { finding: "INVALID_RESOURCE_ID", at: /^identity|userAssignedIdentities|nodeIdentityReference/, azure: ["InvalidIdentityId", "FailedIdentityOperation"] },
  { finding: "ACCOUNT_IDENTITY_REQUIRED", at: /.*/, azure: ["AccountIdentityRequired"] },
  { finding: "ACCOUNT_USER_IDENTITY_MISSING_IDS", at: /.*/, azure: ["MissingIdentityIds"] },
];

/** The Azure codes an outcome string shows ("node starting" is TvmJoinPoolInProgress). */
export function codesIn(outcome: string): string[] {
  const words = outcome.match(/[A-Z][A-Za-z]+/g) ?? [];
  return [...words, ...(/\bnode starting\b/.test(outcome) ? ["TvmJoinPoolInProgress"] : [])].filter(isKnownAzureCode);
}

/**
 * Whether the outcome's Azure code is one a finding of `findings` predicts. `undefined` when no
 * finding has a mapping (refusals by type or id shape) or the outcome shows no Azure code: only the
 * verdict-level comparison applies then.
 */
export function codeMatches(findings: readonly string[], outcome: string): boolean | undefined {
  const expected = findings.flatMap((f) => {
    const [code = "", path = ""] = f.split("@");
    const rule = FAILURE_CODES.find((r) => r.finding === code && r.at.test(path));
    // A malformed identityReference at a node-side site names no identity on the pool: same code as IDENTITY_NOT_IN_POOL there.
    const asNotInPool = code === "INVALID_RESOURCE_ID" && rule === undefined ? FAILURE_CODES.find((r) => r.finding === "IDENTITY_NOT_IN_POOL" && r.at.test(path)) : undefined;
    return (rule ?? asNotInPool)?.azure ?? [];
  });
  const shown = codesIn(outcome);
  if (expected.length === 0 || shown.length === 0) return undefined;
  return shown.some((c) => expected.includes(c));
}
