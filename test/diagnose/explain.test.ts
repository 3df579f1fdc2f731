import { describe, expect, it } from "vitest";
import { explain, explainableCodes } from "../../src/diagnose/explain.js";
import { allFindingCodes } from "../../src/rules/codes.js";
import { azureCases } from "./azure-cases.js";

describe("explain: Azure codes", () => {
  it.each(azureCases.map((c) => [c.code, c] as const))("%s: cause, fix and the article's rows", (code, c) => {
    const e = explain(code);
    expect(e?.code).toBe(code);
    expect(e?.cause.length).toBeGreaterThan(40);
    expect(e?.fix.length).toBeGreaterThan(20);
    expect(e?.scenario).toEqual(c.scenario);
  });

  it("matches any letter case and surrounding spaces", () => {
    expect(explain("  autostoragenopermission ")?.code).toBe("AutoStorageNoPermission");
  });
});

describe("explain: pasted log lines and messages", () => {
  it.each([
    ["2024-05-01 10:00:00 [INFO] pool not fully joined yet, health=Status.TvmJoinPoolInProgress", "TvmJoinPoolInProgress"],
    ['{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}', "MultipleUserAssignedIdentities"],
    ['{"error":"invalid_request","error_description":"Identity not found"}', "IdentityNotFound"],
    ["Node has 1 error(s). Code: ApplicationPackageError Message: One or more application packages specified for the pool are invalid", "ApplicationPackageError"],
    ["Access for one of the specified Azure Blob container(s) is denied", "ResourceContainerAccessDenied"],
    ["Miscellaneous error encountered while listing one of the specified Azure Blob container(s)", "ResourceContainerListMiscError"],
    ["403 This request is not authorized to perform this operation using this permission.", "AuthorizationPermissionMismatch"],
    ['content: {error: {code: "AutoStorageNoPermission", target: "BatchAccount"}}', "AutoStorageNoPermission"],
    ["The managed identity does not have permission to access auto storage account. Please use Azure RBAC", "AutoStorageNoPermission"],
    ["AuthenticationErrorDetail: The access token has been obtained from wrong audience or resource 'https://batch.core.windows.net'.", "AuthenticationFailed"],
    ["Status=401 Code='InvalidAuthenticationTokenAudience'", "AuthenticationFailed"],
  ])("%s", (line, code) => {
    expect(explain(line)?.code).toBe(code);
  });

  it("prefers the longest code found: NODE_IDENTITY_NOT_IN_POOL is not IDENTITY_NOT_IN_POOL", () => {
    expect(explain("error NODE_IDENTITY_NOT_IN_POOL at pools[0].properties.applicationPackages[0]")?.code).toBe("NODE_IDENTITY_NOT_IN_POOL");
    expect(explain("error IDENTITY_NOT_IN_POOL at jobs[0].tasks[0]")?.code).toBe("IDENTITY_NOT_IN_POOL");
  });

  it("returns undefined for unknown input, empty input and non-strings", () => {
    expect(explain("SomethingElseEntirely")).toBeUndefined();
    expect(explain("   ")).toBeUndefined();
    expect(explain(42 as unknown as string)).toBeUndefined();
  });
});

describe("explain: typed-batch finding codes", () => {
  it.each(allFindingCodes.map((c) => [c]))("%s is explained from the code table", (code) => {
    const e = explain(code);
    expect(e?.code).toBe(code);
    expect(e?.title.length).toBeGreaterThan(10);
    expect(e?.fix).not.toBe("");
  });

  it("gives the article rows of the node identity codes, taken from the site table", () => {
    expect(explain("NODE_IDENTITY_REFERENCE_MISSING")?.scenario).toEqual(["application-packages#3", "resource-files#3"]);
    expect(explain("NODE_IDENTITY_NOT_IN_POOL")?.scenario).toEqual(["application-packages#4", "resource-files#4"]);
  });

  it("lists every code it knows, Azure's and ours", () => {
    const known = explainableCodes();
    for (const c of azureCases) expect(known).toContain(c.code);
    for (const c of allFindingCodes) expect(known).toContain(c);
  });
});
