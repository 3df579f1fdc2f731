import { canonicalIdentityId } from "../../identity/resource-id.js";
import { finding } from "../../rules/finding.js";
import { fixes, messages } from "../../rules/messages.js";
import { evaluateString, placeholderScope, Principal, type Scope, Unknown } from "./arm-expressions.js";
import { isObject } from "./batch-bodies.js";
import { type Deployment, emptyDeployment } from "./model.js";
import { unresolvedValue } from "./unresolved.js";

/**
 * ARM deployment templates (what `az bicep build` writes): `resources` as an array (nested
 * `resources` of an account too) or, with `languageVersion` 2.0, an object keyed by symbolic name.
 * Read: `Microsoft.Batch/batchAccounts`, `Microsoft.Batch/batchAccounts/pools` (top level or
 * nested), `Microsoft.ManagedIdentity/userAssignedIdentities`, `Microsoft.Authorization/roleAssignments`.
 * Every string is evaluated (see `arm-expressions.ts`); a value it cannot evaluate becomes a
 * stand-in (see `unresolved.ts`) and a `VALUE_UNRESOLVED` warning naming the expression.
 * Source: Microsoft Learn, "Understand the structure and syntax of ARM templates" and
 * "Language version 2.0" (symbolic names).
 */

/** True for a deployment template (`$schema` `.../deploymentTemplate.json#`). */
export function isArmTemplate(doc: Record<string, unknown>): boolean {
  const schema = doc["$schema"];
  return typeof schema === "string" && /deploymentTemplate\.json/i.test(schema);
}

/** True for a parameters file (`$schema` `.../deploymentParameters.json#`). */
export function isArmParameters(doc: Record<string, unknown>): boolean {
  const schema = doc["$schema"];
  return typeof schema === "string" && /deploymentParameters\.json/i.test(schema);
}

const types = {
  account: "microsoft.batch/batchaccounts",
  pool: "microsoft.batch/batchaccounts/pools",
  identity: "microsoft.managedidentity/userassignedidentities",
  role: "microsoft.authorization/roleassignments",
} as const;

interface Found {
  readonly resource: Record<string, unknown>;
  readonly path: string;
  /** The full type (a nested `pools` under an account is `Microsoft.Batch/batchAccounts/pools`). */
  readonly type: string;
  /** The full name (`account/pool` for a nested pool). */
  readonly name: unknown;
}

function lowerKeys(value: unknown): Map<string, unknown> {
  return new Map(isObject(value) ? Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]) : []);
}

/** Every resource with its path; nested resources get their parent's type and name prefixed. */
function collect(resources: unknown, base: string, parent: { type: string; name: unknown } | undefined, out: Found[]): void {
  const entries: [string, unknown][] = Array.isArray(resources)
    ? resources.map((r, i) => [`${base}[${i}]`, r])
    : isObject(resources)
      ? Object.entries(resources).map(([k, r]) => [`${base}.${k}`, r])
      : [];
  for (const [path, resource] of entries) {
    if (!isObject(resource)) continue;
    const rawType = typeof resource["type"] === "string" ? resource["type"] : "";
    const type = parent !== undefined && !rawType.includes("/") ? `${parent.type}/${rawType}` : rawType;
    const name = parent !== undefined && typeof resource["name"] === "string" && typeof parent.name === "string" && !resource["name"].startsWith("[") ? `${parent.name}/${resource["name"]}` : resource["name"];
    out.push({ resource, path, type, name });
    if (resource["resources"] !== undefined) collect(resource["resources"], `${path}.resources`, { type, name }, out);
  }
}

/**
 * Reads a deployment template into the joined model.
 *
 * @param parameters values of a parameters file, by lower-cased name.
 * @example
 * ```ts
 * const deployment = readArmTemplate(template, "main.json", { accountname: "renderacct" });
 * ```
 */
export function readArmTemplate(doc: Record<string, unknown>, file: string, parameters: Readonly<Record<string, unknown>>): Deployment {
  const out = emptyDeployment();
  const unresolved: string[] = [];
  out.unresolved.set(file, unresolved);
  const declared = lowerKeys(doc["parameters"]);
  const variables = lowerKeys(doc["variables"]);
  const found: Found[] = [];
  collect(doc["resources"], "resources", undefined, found);
  const symbols = new Map<string, string>();
  const evaluatingVariables = new Set<string>();

  const scope: Scope = {
    parameter(name) {
      const key = name.toLowerCase();
      if (Object.prototype.hasOwnProperty.call(parameters, key)) return parameters[key];
      const declaration = lowerKeys(declared.get(key));
      if (declaration.has("defaultvalue")) return deep(declaration.get("defaultvalue"));
      return new Unknown(`[parameters('${name}')]`);
    },
    variable(name) {
      const key = name.toLowerCase();
      if (!variables.has(key) || evaluatingVariables.has(key)) return new Unknown(`[variables('${name}')]`);
      evaluatingVariables.add(key);
      try {
        return deep(variables.get(key));
      } finally {
        evaluatingVariables.delete(key);
      }
    },
    symbol: (name) => symbols.get(name),
  };
  /** Evaluates every string (and key) inside a value; unknowns stay {@link Unknown}. */
  function deep(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return evaluateString(value, scope);
    if (depth > 64 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => deep(v, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const k = evaluateString(key, scope);
      copy[k instanceof Unknown ? key : String(k)] = deep(v, depth + 1);
    }
    return copy;
  }
  /** Replaces unknowns with stand-ins, recording each with a warning at its path. */
  function settle(value: unknown, path: string, depth = 0): unknown {
    if (value instanceof Unknown) {
      unresolved.push(path);
      out.notes.push({ file, ...finding("VALUE_UNRESOLVED", path, messages.valueUnresolved(`'${value.expression}'`, "the expression is not evaluated offline, or a parameter has no value"), fixes.valueUnresolved.json()) });
      return unresolvedValue();
    }
    if (value instanceof Principal) return value.toString();
    if (depth > 64 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((v, i) => settle(v, `${path}[${i}]`, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (typeof key === "string" && key.startsWith("[") && !key.startsWith("[[")) {
        // A key left as an expression could not be evaluated (deep() keeps it as written).
        unresolved.push(`${path}.${key}`);
        out.notes.push({ file, ...finding("VALUE_UNRESOLVED", `${path}["${key}"]`, messages.valueUnresolved(`'${key}'`, "the expression is not evaluated offline, or a parameter has no value"), fixes.valueUnresolved.json()) });
        copy[unresolvedValue()] = settle(v, `${path}["${key}"]`, depth + 1);
        continue;
      }
      copy[key] = settle(v, path === "" ? key : `${path}.${key}`, depth + 1);
    }
    return copy;
  }
  const nameOf = (f: Found): string | undefined => {
    const n = typeof f.name === "string" ? evaluateString(f.name, scope) : undefined;
    return typeof n === "string" ? n : undefined;
  };
  // Symbolic names (language version 2.0) stand for resource ids in reference(...).
  for (const f of found) {
    const name = nameOf(f);
    const symbol = f.path.startsWith("resources.") ? f.path.slice("resources.".length) : undefined;
    if (symbol !== undefined && name !== undefined && f.type.includes("/")) {
      const [namespace, ...rest] = f.type.split("/");
      const names = name.split("/");
      symbols.set(symbol, `/subscriptions/${placeholderScope.subscriptionId}/resourceGroups/${placeholderScope.resourceGroup}/providers/${namespace}/${rest.map((t, i) => `${t}/${names[i] ?? ""}`).join("/")}`);
    }
  }
  for (const f of found) {
    const type = f.type.toLowerCase();
    if (!Object.values(types).includes(type as never)) continue;
    const name = nameOf(f);
    // A resource under a false condition is not deployed; under an unknown one, it may or may not be.
    const condition = f.resource["condition"] === undefined ? true : deep(f.resource["condition"]);
    if (condition === false) continue;
    if (type === types.role && condition !== true) {
      out.roleAssignments.push({ identity: undefined, roleGuid: undefined, scope: undefined });
      continue;
    }
    if (type === types.identity) {
      if (name !== undefined) out.identities.push({ canonicalId: canonicalIdentityId(`/subscriptions/${placeholderScope.subscriptionId}/resourceGroups/${placeholderScope.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`), file, path: f.path });
      continue;
    }
    if (type === types.role) {
      const properties = lowerKeys(deep(f.resource["properties"]));
      const principal = properties.get("principalid");
      const role = properties.get("roledefinitionid");
      const rawScope = f.resource["scope"] === undefined ? `/subscriptions/${placeholderScope.subscriptionId}/resourceGroups/${placeholderScope.resourceGroup}` : deep(f.resource["scope"]);
      const scopeText = typeof rawScope === "string" ? (rawScope.startsWith("/") ? rawScope : `/subscriptions/${placeholderScope.subscriptionId}/resourceGroups/${placeholderScope.resourceGroup}/providers/${rawScope}`) : undefined;
      out.roleAssignments.push({
        // A literal principal id is not one of the identities the template creates (theirs exist after deployment only).
        identity: principal instanceof Principal ? principal.identity : typeof principal === "string" ? `literal:${principal}` : undefined,
        roleGuid: typeof role === "string" ? role.split("/").pop()?.toLowerCase() : undefined,
        scope: scopeText?.toLowerCase().replace(/\/+$/, ""),
      });
      continue;
    }
    // Only what the rules read: other fields (dependsOn, tags, ...) would only add noise.
    const body: Record<string, unknown> = {};
    for (const key of ["identity", "properties", "location"] as const) {
      if (f.resource[key] !== undefined) body[key] = settle(deep(f.resource[key]), `${f.path}.${key}`);
    }
    const segments = (name ?? "").split("/");
    const resourceName = segments[segments.length - 1];
    if (resourceName !== undefined && resourceName !== "") body["name"] = resourceName;
    if (type === types.account) out.accounts.push({ value: body, path: f.path, file });
    else out.pools.push({ value: body, path: f.path, file, ...(segments.length > 1 && segments[0] !== undefined ? { accountName: segments[0] } : {}) });
  }
  return out;
}
