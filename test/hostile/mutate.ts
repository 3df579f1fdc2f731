/** Mutations of valid bundles: a value somewhere replaced by something hostile. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { bundlesDir } from "../cli/support/run-cli.js";

/** The valid fixture bundles, parsed. */
export const validBundles: unknown[] = ["valid/full.json"].map((f) => JSON.parse(readFileSync(`${bundlesDir}${f}`, "utf8")) as unknown);

type Path = (string | number)[];

/** Every path to a value in a JSON tree (the root included). */
export function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

/** A deep copy with the value at `path` replaced (or, with `key`, a new own property added there — `__proto__` included). */
export function mutate(root: unknown, path: Path, replacement: unknown, key?: string): unknown {
  const copy = structuredClone(root);
  if (path.length === 0) return key === undefined ? replacement : addOwn(copy, key, replacement);
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (key === undefined) Object.defineProperty(parent, last, { value: replacement, enumerable: true, writable: true, configurable: true });
  else parent[last] = addOwn(parent[last], key, replacement);
  return copy;
}

function addOwn(target: unknown, key: string, value: unknown): unknown {
  if (typeof target !== "object" || target === null) return target;
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Hostile keys: prototype-pollution vectors and ordinary site names. */
export const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "identityReference", "resourceId", "userAssignedIdentities", "resourceFiles", "properties", "toString", "hasOwnProperty");

/** Wrong-typed values: numbers where strings go, arrays where objects go, nulls, empty things, JSON values. */
export const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1e308, Number.NaN, true, "", [], {}, [[]], [null], { resourceId: 42 }, { resourceId: null }, { resourceId: ["x"] }, { __proto__: null }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** A mutated valid bundle (JSON-representable). */
export const mutatedBundle = fc
  .tuple(fc.constantFrom(...validBundles), fc.nat(), hostileValue, fc.option(hostileKey, { nil: undefined }))
  .map(([bundle, n, value, key]) => {
    const paths = pathsOf(bundle);
    return mutate(bundle, paths[n % paths.length] as Path, value, key);
  });

/** Any value at all (Maps, Sets, boxed values, null-prototype objects, sparse arrays, bigints...) put into a valid bundle. */
export const anythingBundle = fc
  .tuple(fc.constantFrom(...validBundles), fc.nat(), fc.anything({ maxDepth: 3, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withDate: true, withTypedArray: true, withObjectString: true }), fc.option(hostileKey, { nil: undefined }))
  .map(([bundle, n, value, key]) => {
    const paths = pathsOf(bundle);
    return mutate(bundle, paths[n % paths.length] as Path, value, key);
  });

/** JSON text with own `__proto__`/`constructor`/`prototype` keys at every object of a valid bundle. */
export function protoKeysEverywhere(bundle: unknown): string {
  const text = JSON.stringify(bundle);
  return text.replaceAll("{", '{"__proto__":{"polluted":1,"identity":{"type":"SystemAssigned"}},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},').replaceAll(",}", "}");
}
