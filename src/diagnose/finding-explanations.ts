import type { Scenario } from "../errors/issue.js";
import { allFindingCodes, type FindingCode, findingCodes } from "../rules/codes.js";
import { fixes } from "../rules/messages.js";
import { identitySites } from "../rules/sites.js";
import { type ExplanationEntry, articleUrl } from "./explanation.js";

/**
 * Explanations of typed-batch's own finding codes, generated from the code table, the fix texts
 * and the site table, so a new code is explained the day it is added.
 */

// What the explanation passes: placeholders for the identity and the scope.
type JsonFix = (identity: string, scope: string) => string;

// Fix entries are keyed by rule name (`nodeIdentityNotInPool`); codes are NODE_IDENTITY_NOT_IN_POOL.
// Every fix's `json` can be called with those two (the compiler checks it here, no cast).
const fixByKey = new Map<string, { readonly json: JsonFix }>(Object.entries(fixes).map(([key, value]) => [key.toLowerCase(), { json: value.json }]));

function jsonFix(code: FindingCode): string {
  const fix = fixByKey.get(code.replaceAll("_", "").toLowerCase());
  const text = fix?.json("<identity>", "<scope>") ?? "";
  return text === "" ? "See the finding's message." : text;
}

/** Scenarios the site table attaches to the node identity rules. */
function siteScenarios(field: "scenarioMissing" | "scenarioNotOnPool"): Scenario[] {
  const found = new Set<Scenario>();
  for (const site of identitySites) {
    const scenario = site[field];
    if (scenario !== undefined) found.add(scenario);
  }
  return [...found];
}

function sitesWhere(kind: "identityReference" | "autoStorage"): string {
  return identitySites
    .filter((s) => s.kind === kind)
    .map((s) => `${s.title}: ${s.whenNotOnPool}`)
    .join("; ");
}

/** What we can add beyond the code table, for codes where there is more to say. */
const extras: Partial<Record<FindingCode, { readonly cause?: string; readonly scenario?: readonly Scenario[]; readonly azure?: string }>> = {
  NODE_IDENTITY_REFERENCE_MISSING: {
    scenario: siteScenarios("scenarioMissing"),
    azure: "Azure shows nodes stuck in Starting (TvmJoinPoolInProgress) for pool application packages, and ResourceContainerAccessDenied for autostorage resource files.",
  },
  NODE_IDENTITY_NOT_IN_POOL: {
    scenario: siteScenarios("scenarioNotOnPool"),
    azure: "Azure shows nodes Unusable with ApplicationPackageError for pool application packages, and ResourceContainerListMiscError for autostorage resource files.",
  },
  IDENTITY_NOT_IN_POOL: { azure: `What Azure does, by place: ${sitesWhere("identityReference")}.` },
  PERMISSION_MISSING: {
    scenario: ["application-packages#2", "resource-files#2"],
    azure: "Azure shows Idle nodes without packages, ResourceContainerAccessDenied on tasks, or 403 AuthorizationPermissionMismatch from storage.",
  },
  POOL_IDENTITY_STALE_NODES: { azure: "Nodes created before the change answer IMDS token requests for the new identities with \"Identity not found\"." },
  ACCOUNT_USER_IDENTITY_MISSING_IDS: { azure: "ARM refuses the account with MissingIdentityIds." },
  ACCOUNT_IDENTITY_REQUIRED: { azure: "Application package uploads fail (AutoStorageNoPermission or no identity to authenticate with)." },
};

function entryOf(code: FindingCode): ExplanationEntry {
  const extra = extras[code];
  const summary = findingCodes[code].summary;
  const cause = [summary, extra?.azure].filter((part) => part !== undefined).join(" ");
  const scenario = extra?.scenario;
  return {
    explanation: {
      code,
      title: summary,
      cause,
      ...(scenario !== undefined && scenario.length > 0 ? { scenario } : {}),
      fix: jsonFix(code),
      ...(scenario !== undefined && scenario.length > 0 ? { see: articleUrl } : {}),
    },
    aliases: [],
    phrases: [code],
  };
}

/** @internal One entry per finding code of `src/rules/codes.ts`, in table order. */
export const findingEntries: readonly ExplanationEntry[] = allFindingCodes.map(entryOf);
