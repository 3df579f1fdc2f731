import { createRequire } from "node:module";

/**
 * Loads a CommonJS-capable package the first time it is needed. `@azure/identity` and
 * `@azure/arm-authorization` cost tens of milliseconds to import and most programs (a CLI run of
 * `check`, a client given its own credential, no preflight) never touch them.
 */
const require = createRequire(import.meta.url);

/** The module, loaded synchronously on first call. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
