// Loaded with `node --import` by no-azure-sdk.test.ts: any ESM resolution of an Azure SDK package
// fails with a marker, so a static or lazy import of @azure/* in `check` or `explain` breaks the test.
import { register } from "node:module";

const hooks = `
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (specifier.startsWith("@azure/") || resolved.url.includes("/node_modules/@azure/")) {
    throw new Error("AZURE-SDK-LOADED " + specifier);
  }
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
