// The CommonJS half of forbid-azure-sdk.mjs: Node 20's module.register hooks do not see require(),
// so a CJS dependency that requires @azure/* is caught here.
const Module = require("node:module");

const load = Module._load;
Module._load = function forbidAzure(request, parent, isMain) {
  if (typeof request === "string" && (request.startsWith("@azure/") || request.includes("/node_modules/@azure/"))) {
    throw new Error(`AZURE-SDK-LOADED ${request}`);
  }
  return load.call(this, request, parent, isMain);
};
