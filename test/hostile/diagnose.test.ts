// diagnose on hostile input, beyond test/diagnose/diagnose.test.ts (which covers __proto__ in a
// hand-written bundle, 100k nesting, 5 MB strings and fc.jsonValue): mutations of valid bundles with
// wrong types and prototype keys, fc.anything() values (Maps, boxed values, null prototypes, bigints),
// thousands of identities, 50 MB strings. Never a throw, a slow input, a malformed finding, or a
// polluted prototype.
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { diagnose, type Finding } from "typed-batch";
import { anythingBundle, mutatedBundle, protoKeysEverywhere, validBundles } from "./mutate.js";

const PER_INPUT_MS = 2000;

function unpolluted(): void {
  for (const key of ["polluted", "identity", "poolId", "resourceId", "httpUrl"]) {
    expect(({} as Record<string, unknown>)[key], key).toBeUndefined();
    expect(Object.prototype, key).not.toHaveProperty(key);
  }
  expect(typeof Object.prototype.toString).toBe("function");
  expect(Array.prototype).not.toHaveProperty("polluted");
}

function wellFormed(findings: readonly Finding[]): void {
  expect(Array.isArray(findings)).toBe(true);
  for (const f of findings) {
    expect(["error", "warning"]).toContain(f.severity);
    expect(typeof f.code).toBe("string");
    expect(typeof f.path).toBe("string");
    expect(typeof f.message).toBe("string");
    expect(f.message).not.toMatch(/\n\s+at /);
  }
}

function timed(value: unknown): Finding[] {
  const t0 = performance.now();
  const findings = diagnose(value as never);
  expect(performance.now() - t0).toBeLessThan(PER_INPUT_MS);
  return findings;
}

afterEach(unpolluted);

describe("diagnose: mutated valid bundles", () => {
  test("the valid bundles have no error findings (so mutations start from a clean base)", () => {
    for (const b of validBundles) expect(diagnose(b as never).filter((f) => f.severity === "error")).toEqual([]);
  });

  test("1,000 mutations (wrong types, nulls, arrays for objects, __proto__/constructor/prototype keys): findings, never a throw", () => {
    fc.assert(
      fc.property(mutatedBundle, (bundle) => {
        wellFormed(timed(bundle));
        unpolluted();
      }),
      { seed: 91, numRuns: 1000 },
    );
  });

  test("500 fc.anything() values put into valid bundles: findings, never a throw", () => {
    fc.assert(
      fc.property(anythingBundle, (bundle) => {
        wellFormed(timed(bundle));
        unpolluted();
      }),
      { seed: 92, numRuns: 500 },
    );
  });

  test("fc.anything() as the whole bundle and as each top-level key", () => {
    const any = fc.anything({ maxDepth: 4, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true });
    fc.assert(
      fc.property(fc.oneof(any, fc.record({ account: any, pools: any, jobs: any }, { requiredKeys: [] })), (value) => wellFormed(timed(value))),
      { seed: 93, numRuns: 500 },
    );
  });

  test("own __proto__, constructor and prototype keys on every object of a valid bundle are data, not prototypes", () => {
    const parsed = JSON.parse(protoKeysEverywhere(validBundles[0])) as unknown;
    const findings = timed(parsed);
    wellFormed(findings);
    // The injected { identity: SystemAssigned } under __proto__ is never read as the pool's identity.
    expect(findings.map((f) => f.code)).not.toContain("POOL_IDENTITY_TYPE_UNSUPPORTED");
    unpolluted();
  });
});

describe("diagnose: size", () => {
  const id = (i: number) => `/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`;

  test("5,000 identities on a pool and 5,000 references in tasks: answered in bounded time", () => {
    const ids = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [id(i), {}]));
    const tasks = Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, resourceFiles: [{ httpUrl: "https://x/y", filePath: "y", identityReference: { resourceId: id(i * 2) } }] }));
    const bundle = { account: { identity: { type: "UserAssigned", userAssignedIdentities: ids } }, pools: [{ name: "p", identity: { type: "UserAssigned", userAssignedIdentities: ids } }], jobs: [{ id: "j", poolInfo: { poolId: "p" }, tasks }] };
    const t0 = performance.now();
    const findings = diagnose(bundle as never);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(findings.filter((f) => f.code === "IDENTITY_NOT_IN_POOL")).toHaveLength(2500);
  });

  const huge = `${"A".repeat(50 * 1024 * 1024)}`;
  const hugeBundle = () => ({
    pools: [{ name: huge, identity: { type: "UserAssigned", userAssignedIdentities: { [huge]: {} } }, properties: { startTask: { commandLine: huge, resourceFiles: [{ httpUrl: huge, filePath: huge, identityReference: { resourceId: huge } }] } } }],
  });

  test("50 MB strings as a resource id, a URL, a name and a command line: findings in bounded time", () => {
    const t0 = performance.now();
    const findings = diagnose(hugeBundle() as never);
    expect(performance.now() - t0).toBeLessThan(10_000);
    wellFormed(findings);
    expect(findings.map((f) => f.code)).toEqual(["INVALID_RESOURCE_ID", "INVALID_RESOURCE_ID"]);
  });

  // Regression test — leak found by this suite, fixed in 1cf7748. Was: messages.invalidResourceId (src/rules/messages.ts) quotes the malformed id whole, and
  // check.ts's userAssignedPath puts it whole into `path`: 50 MB of input become two 50 MB findings
  // (and 100+ MB of CLI output). Fix: quote at most ~120 characters (`'AAAA…' (52428800 characters)`).
  test("a finding quotes at most a bounded part of the input", () => {
    for (const f of diagnose(hugeBundle() as never)) expect(f.message.length + f.path.length + f.fix.length).toBeLessThan(10_000);
  });
});
