import { describe, expect, test } from "vitest";
import { allAzureErrors, isKnownAzureCode } from "../../src/azure/index.js";

describe("the list of Azure's published codes", () => {
  test("every entry names a source, and categories are the wire enum (lowercase)", () => {
    for (const fact of allAzureErrors()) {
      expect(fact.source.length, fact.key).toBeGreaterThan(8);
      if (fact.category !== undefined) expect(["usererror", "servererror"]).toContain(fact.category);
    }
  });

  test("keys are unique within a plane", () => {
    const seen = new Set<string>();
    for (const fact of allAzureErrors()) {
      const id = `${fact.plane}/${fact.key}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
  });

  test("codes no public source gives are not in it", () => {
    expect(isKnownAzureCode("ContainerRegistryAuthFailed")).toBe(false);
    expect(isKnownAzureCode("FileUploadAccessDenied")).toBe(true);
    expect(isKnownAzureCode("MountConfigurationError")).toBe(true);
  });
});
