/**
 * The sharper half of guard = behaviour: which Azure failure code the emulator must show where a
 * guard finding points. The codes come from the site table's failure column (src/rules/sites.ts,
 * `failures`, each code from src/azure): the finding's path names the site, its code names the
 * cause ("not on pool", "node identity missing"), and the site's failures with that cause are the
 * codes Azure may report. An outcome is an emulator observation ("ResourceContainerListMiscError",
 * "node unusable ApplicationPackageError", "preparation task: ContainerInvalidImage", "refused 400 ...").
 */
import { isKnownAzureCode } from "../../src/azure/index.js";
import { type FailureCause, holderPath, type IdentitySite, identitySites, type SiteOwner } from "../../src/rules/sites.js";

/** Finding code → the site kind it is about and the cause (the site table's `failures[].cause`) it reports. */
const SITE_FINDINGS: Readonly<Record<string, { kind: IdentitySite["kind"]; cause: FailureCause }>> = {
  IDENTITY_NOT_IN_POOL: { kind: "identityReference", cause: "not on pool" },
  // A malformed identityReference names no identity on the pool: Azure reports it as one that is not there.
  INVALID_RESOURCE_ID: { kind: "identityReference", cause: "not on pool" },
  NODE_IDENTITY_NOT_IN_POOL: { kind: "autoStorage", cause: "not on pool" },
  NODE_IDENTITY_REFERENCE_MISSING: { kind: "autoStorage", cause: "node identity missing" },
};

/**
 * What the site table cannot say, and why: these findings are about the account's or pool's own
 * identity settings, which ARM refuses when the account or pool is created. The table lists where
 * work takes an identity and what nodes and tasks report there; request errors of the identity
 * blocks themselves are not site failures. Checked first, so a malformed id in an identity list is
 * an ARM refusal, not a node-side failure.
 */
export const ARM_REFUSALS: ReadonlyArray<{ finding: string; at: RegExp; azure: readonly string[] }> = [
  { finding: "INVALID_RESOURCE_ID", at: /^identity|userAssignedIdentities|autoStorage\.nodeIdentityReference/, azure: ["InvalidIdentityId", "FailedIdentityOperation"] },
  { finding: "ACCOUNT_IDENTITY_REQUIRED", at: /.*/, azure: ["AccountIdentityRequired"] },
  { finding: "ACCOUNT_USER_IDENTITY_MISSING_IDS", at: /.*/, azure: ["MissingIdentityIds"] },
];

/** The site a finding path points into: its SDK path, the object holding its identity reference, or something below either. */
function sitesAt(owner: SiteOwner, kind: IdentitySite["kind"], path: string): IdentitySite[] {
  const p = path.replace(/\[\d+\]/g, "[]");
  return identitySites.filter((s) => {
    if (s.owner !== owner || s.kind !== kind) return false;
    const holder = holderPath(s.sdkPath);
    return p === s.sdkPath || p === holder || p.startsWith(`${s.sdkPath}.`) || (holder !== "" && p.startsWith(`${holder}.`));
  });
}

/**
 * The Azure codes a finding (`CODE@path`, on a resource of `owner`) predicts: an ARM refusal, or
 * the failure codes of the site it points at, for its cause. `undefined` when the finding is of
 * another kind (refusals by type or shape), which only the verdict-level comparison covers.
 */
export function expectedCodes(owner: SiteOwner, finding: string): readonly string[] | undefined {
  const [code = "", path = ""] = finding.split("@");
  const refusal = ARM_REFUSALS.find((r) => r.finding === code && r.at.test(path));
  if (refusal) return refusal.azure;
  const about = SITE_FINDINGS[code];
  if (!about) return undefined;
  return [
    ...new Set(
      sitesAt(owner, about.kind, path).flatMap((s) => {
        return s.failures.filter((f) => f.cause === about.cause).map((f) => f.code);
      }),
    ),
  ];
}

/** The Azure codes an outcome string shows ("node starting" is TvmJoinPoolInProgress). */
export function codesIn(outcome: string): string[] {
  const words = outcome.match(/[A-Z][A-Za-z]+/g) ?? [];
  return [...words, ...(/\bnode starting\b/.test(outcome) ? ["TvmJoinPoolInProgress"] : [])].filter(isKnownAzureCode);
}

/**
 * Whether the outcome's Azure code is one the findings predict: `"match"`, `"mismatch"`, `"no code
 * in table"` (a site finding whose site has no failure code for its cause: a gap in the table) or
 * `"not comparable"` (no finding with a prediction, or the outcome shows no Azure code).
 */
export function codeVerdict(owner: SiteOwner, findings: readonly string[], outcome: string): "match" | "mismatch" | "no code in table" | "not comparable" {
  const predictions = findings.map((f) => expectedCodes(owner, f)).filter((e): e is readonly string[] => e !== undefined);
  const shown = codesIn(outcome);
  if (predictions.length === 0 || shown.length === 0) return "not comparable";
  const expected = predictions.flat();
  if (expected.length === 0) return "no code in table";
  return shown.some((c) => expected.includes(c)) ? "match" : "mismatch";
}
