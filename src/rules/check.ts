import type { Finding } from "../errors/issue.js";
import { canonicalIdentityId, isUserAssignedIdentityId } from "../identity/resource-id.js";
import type { CheckOptions, PoolFacts } from "./context.js";
import { propertiesOf, readOwn, readString } from "./facts.js";
import { finding } from "./finding.js";
import { fixes, messages } from "./messages.js";
import { autoStorageSchema, blobMountSchema, commandLineFindings, identityReferenceSchema, identitySchema, resourceFileSchema, zodFindings } from "./shapes.js";
import { holderPath, type IdentitySite, type SiteOwner, siteById, sitesOf } from "./sites.js";
import { joinPath, type ShapeProblem, walk } from "./walk.js";

/**
 * The rule engine: every identity rule, driven by the site table. The builders' `build()`,
 * `validate*`, `diagnose` and the live doctor all end here, so a rule lives in one place.
 */

const userAssignedPath = (base: string, id: string) => `${joinPath(base, "userAssignedIdentities")}["${id}"]`;

function patternOf(site: IdentitySite, options: CheckOptions): string {
  return options.dialect === "wire" ? site.wirePath : site.sdkPath;
}

function reportShapes(problems: readonly ShapeProblem[], out: Finding[]): void {
  // Several sites walk the same containers (resourceFiles[] for files and for identities): one finding per place.
  const seen = new Set(out.filter((f) => f.code === "INVALID_SHAPE").map((f) => f.path));
  for (const p of problems) {
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    out.push(finding("INVALID_SHAPE", p.path, messages.invalidShape(`expected an ${p.expected}`), fixes.invalidShape.json()));
  }
}

// A job's tasks name the same few identities over and over: remember each id's verdict
// (bounded, so hostile input cannot grow it without limit).
const verdicts = new Map<string, string | null>();

function canonicalIfValid(id: string): string | undefined {
  let verdict = verdicts.get(id);
  if (verdict === undefined) {
    verdict = isUserAssignedIdentityId(id) ? canonicalIdentityId(id) : null;
    if (verdicts.size >= 4_096) verdicts.clear();
    if (id.length <= 512) verdicts.set(id, verdict);
  }
  return verdict ?? undefined;
}

/** Checks one resource id found at `path`; returns its canonical form when well formed. */
function checkResourceId(id: string, path: string, options: CheckOptions, out: Finding[]): string | undefined {
  const canonical = canonicalIfValid(id);
  if (canonical !== undefined) return canonical;
  out.push(finding("INVALID_RESOURCE_ID", path, messages.invalidResourceId(id), fixes.invalidResourceId[options.voice]()));
  return undefined;
}

function display(canonicalId: string, written: string, pool: PoolFacts, options: CheckOptions): string {
  return options.labels?.get(canonicalId) ?? pool.identities.get(canonicalId) ?? written;
}

/** Checks an `identity` block's shape and ids (accounts and pools). */
function checkIdentityBlock(identity: unknown, path: string, options: CheckOptions, out: Finding[]): { type: string; count: number } | undefined {
  if (identity === undefined || identity === null) return undefined;
  const parsed = zodFindings(identitySchema, identity, path, options.voice, out);
  if (parsed === undefined) return undefined;
  const ids = Object.keys(parsed.userAssignedIdentities ?? {});
  for (const id of ids) checkResourceId(id, userAssignedPath(path, id), options, out);
  return { type: parsed.type, count: ids.length };
}

/**
 * The account's identity block and its autostorage authentication (BatchManagement.json 2025-06-01,
 * `BatchAccountIdentity` and `AutoStorageBaseProperties.authenticationMode`).
 * @param account `BatchAccountCreateParameters` (sdk) or the REST account body (wire).
 */
export function checkAccount(account: unknown, accountName: string, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (typeof account !== "object" || account === null || Array.isArray(account)) {
    out.push(finding("INVALID_SHAPE", options.base, messages.invalidShape("an account must be an object"), fixes.invalidShape.json()));
    return out;
  }
  const identityPath = joinPath(options.base, "identity");
  const identity = checkIdentityBlock(readOwn(account, "identity"), identityPath, options, out);
  if (identity?.type === "UserAssigned" && identity.count === 0) {
    out.push(finding("ACCOUNT_USER_IDENTITY_MISSING_IDS", identityPath, messages.accountUserIdentityMissingIds(accountName), fixes.accountUserIdentityMissingIds[options.voice]()));
  }
  const propsPath = options.dialect === "wire" ? joinPath(options.base, "properties") : options.base;
  checkEncryption(account, identity?.type, accountName, propsPath, options, out);
  const autoStoragePath = joinPath(propsPath, "autoStorage");
  const rawAutoStorage = readOwn(propertiesOf(account, options.dialect), "autoStorage");
  if (rawAutoStorage === undefined || rawAutoStorage === null) return out;
  const autoStorage = zodFindings(autoStorageSchema, rawAutoStorage, autoStoragePath, options.voice, out);
  if (autoStorage === undefined) return out;
  if (autoStorage.authenticationMode === "BatchAccountManagedIdentity" && (identity === undefined || identity.type === "None")) {
    out.push(finding("ACCOUNT_IDENTITY_REQUIRED", joinPath(autoStoragePath, "authenticationMode"), messages.accountIdentityRequired(accountName), fixes.accountIdentityRequired[options.voice]()));
  }
  const nodeRef = autoStorage.nodeIdentityReference;
  if (nodeRef !== undefined && nodeRef !== null) {
    const refPath = joinPath(autoStoragePath, "nodeIdentityReference");
    const ref = zodFindings(identityReferenceSchema, nodeRef, refPath, options.voice, out);
    if (ref !== undefined) checkResourceId(ref.resourceId, joinPath(refPath, "resourceId"), options, out);
  }
  return out;
}

/**
 * Customer-managed key encryption (BatchManagement.json 2025-06-01, KeySource "Microsoft.KeyVault":
 * "the Batch Account identity must be set to `SystemAssigned` and a valid Key Identifier must also be
 * supplied under the keyVaultProperties").
 */
function checkEncryption(account: unknown, identityType: string | undefined, accountName: string, propsPath: string, options: CheckOptions, out: Finding[]): void {
  const encryption = readOwn(propertiesOf(account, options.dialect), "encryption");
  if (readString(readOwn(encryption, "keySource")) !== "Microsoft.KeyVault") return;
  const encryptionPath = joinPath(propsPath, "encryption");
  if (identityType !== "SystemAssigned") {
    out.push(finding("ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED", joinPath(encryptionPath, "keySource"), messages.accountEncryptionIdentityRequired(accountName), fixes.accountEncryptionIdentityRequired[options.voice]()));
  }
  const key = readString(readOwn(readOwn(encryption, "keyVaultProperties"), "keyIdentifier"));
  if (key === undefined || key === "") {
    out.push(finding("ACCOUNT_ENCRYPTION_KEY_REQUIRED", joinPath(encryptionPath, "keyVaultProperties"), messages.accountEncryptionKeyRequired(accountName), fixes.accountEncryptionKeyRequired[options.voice]()));
  }
}

/**
 * At every identityReference site of `owner`: the identity is on the pool; at every autostorage site:
 * the account's node identity is on the pool; on resource files: exactly one source, blobPrefix and
 * filePath where they apply.
 */
function checkSites(owner: SiteOwner, root: unknown, pool: PoolFacts, options: CheckOptions, out: Finding[]): void {
  const problems: ShapeProblem[] = [];
  // Resource files that read autostorage carry no identity of their own: their identityReference is ignored by Batch.
  const autoStorageFiles = new Set<string>();
  for (const site of sitesOf(owner, "autoStorage")) {
    const found = walk(root, patternOf(site, options), options.base, problems);
    let reported = false;
    for (const { value, path } of found) {
      if (site.when === "autoStorageContainerName") {
        const file = zodFindings(resourceFileSchema, value, path, options.voice, out);
        if (file?.autoStorageContainerName === undefined) continue;
        autoStorageFiles.add(joinPath(path, "identityReference"));
      }
      if (reported) continue;
      reported = checkNodeIdentity(site, path, pool, options, out);
    }
  }
  for (const site of sitesOf(owner, "identityReference")) {
    for (const { value, path } of walk(root, patternOf(site, options), options.base, problems)) {
      if (autoStorageFiles.has(path)) continue;
      const ref = zodFindings(identityReferenceSchema, value, path, options.voice, out);
      if (ref === undefined) continue;
      const canonical = checkResourceId(ref.resourceId, joinPath(path, "resourceId"), options, out);
      if (canonical === undefined) continue;
      const name = display(canonical, ref.resourceId, pool, options);
      if (pool.autoPool) {
        out.push(finding("AUTO_POOL_IDENTITY_REFERENCE", path, messages.autoPoolIdentityReference(name, pool.job ?? pool.name), fixes.autoPoolIdentityReference[options.voice]()));
      } else if (pool.membershipUnknown !== true && !pool.identities.has(canonical)) {
        out.push(finding("IDENTITY_NOT_IN_POOL", path, messages.identityNotInPool(name, pool.name), fixes.identityNotInPool[options.voice](name)));
      }
    }
  }
  reportShapes(problems, out);
}

/**
 * The node identity at one autostorage site: nodes read autostorage with the account's node identity,
 * which must be on the pool (seed article, "Associate managed identity to the node that accesses the
 * autostorage account"); true when a finding was made.
 */
function checkNodeIdentity(site: IdentitySite, path: string, pool: PoolFacts, options: CheckOptions, out: Finding[]): boolean {
  const account = pool.account;
  if (account?.autoStorageMode !== "BatchAccountManagedIdentity") return false;
  const node = account.nodeIdentity;
  if (node === undefined) {
    out.push(finding("NODE_IDENTITY_REFERENCE_MISSING", path, messages.nodeIdentityReferenceMissing(pool.name, account.name), fixes.nodeIdentityReferenceMissing[options.voice](), site.scenarioMissing));
    return true;
  }
  if (pool.membershipUnknown !== true && !pool.identities.has(node.canonicalId)) {
    const name = options.labels?.get(node.canonicalId) ?? node.display;
    out.push(finding("NODE_IDENTITY_NOT_IN_POOL", path, messages.nodeIdentityNotInPool(name, pool.name), fixes.nodeIdentityNotInPool[options.voice](name), site.scenarioNotOnPool));
    return true;
  }
  return false;
}

const diskKey = siteById("pool.diskEncryptionConfiguration.customerManagedKey");

/**
 * A pool's identity block (user-assigned or none: BatchManagement.json 2025-06-01, `BatchPoolIdentity.type`)
 * and its identity uses (its site-table rows).
 * @param pool ARM `Pool` (sdk) or the REST pool body (wire).
 * @param facts the pool's facts, with its account when known.
 */
export function checkPool(pool: unknown, facts: PoolFacts, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (typeof pool !== "object" || pool === null || Array.isArray(pool)) {
    out.push(finding("INVALID_SHAPE", options.base, messages.invalidShape("a pool must be an object"), fixes.invalidShape.json()));
    return out;
  }
  const identityPath = joinPath(options.base, "identity");
  const identity = checkIdentityBlock(readOwn(pool, "identity"), identityPath, options, out);
  if (identity !== undefined && identity.type !== "UserAssigned" && identity.type !== "None") {
    out.push(finding("POOL_IDENTITY_TYPE_UNSUPPORTED", joinPath(identityPath, "type"), messages.poolIdentityTypeUnsupported(facts.name, identity.type), fixes.poolIdentityTypeUnsupported[options.voice]()));
  }
  checkSites("pool", pool, facts, options, out);
  // A disk encryption key is read with a pool identity: "It can be used only when the pool is
  // configured with an identity" (BatchManagement.json 2025-06-01, DiskEncryptionConfiguration).
  for (const { path } of walk(pool, holderPath(patternOf(diskKey, options)), options.base, [])) {
    if (facts.identities.size === 0) out.push(finding("POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED", path, messages.poolDiskEncryptionIdentityRequired(facts.name), fixes.poolDiskEncryptionIdentityRequired[options.voice]()));
  }
  const mountsPattern = options.dialect === "wire" ? "properties.mountConfiguration[].azureBlobFileSystemConfiguration" : "mountConfiguration[].azureBlobFileSystemConfiguration";
  const problems: ShapeProblem[] = [];
  for (const { value, path } of walk(pool, mountsPattern, options.base, problems)) {
    zodFindings(blobMountSchema, value, path, options.voice, out);
  }
  reportShapes(problems, out);
  commandLineFindings("pool", pool, options.base, options.voice, options.dialect, out);
  return out;
}

/**
 * The identity uses of a job (`JobAddParameter`), a task (`TaskAddParameter`) or a node log upload
 * body, checked against the pool they run on (its site-table rows): each identity referenced must be
 * on the pool (none on an auto-pool), and what nodes read from autostorage needs the account's node
 * identity there.
 */
export function checkIdentityUsesOnPool(owner: "job" | "task" | "node", item: unknown, pool: PoolFacts, options: CheckOptions): Finding[] {
  const out: Finding[] = [];
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    out.push(finding("INVALID_SHAPE", options.base, messages.invalidShape(`a ${owner} must be an object`), fixes.invalidShape.json()));
    return out;
  }
  checkSites(owner, item, pool, options, out);
  if (owner !== "node") commandLineFindings(owner, item, options.base, options.voice, options.dialect, out);
  return out;
}

/** The id of a job or task, for messages. */
export function idOf(item: unknown, fallback: string): string {
  return readString(readOwn(item, "id")) ?? fallback;
}
