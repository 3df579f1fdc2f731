/**
 * The auto-pool's customer-managed disk key (data plane 2025-06-01, JSON input only): an auto-pool
 * carries no identity, so its `identityReference` is refused by the guard, as every other reference
 * inside an auto-pool specification is, in a job and in a job schedule.
 */
import { describe, expect, test } from "vitest";
import { validateJob } from "typed-batch";
import { siteById } from "../../src/rules/sites.js";

const keyId = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/disks";
const autoPoolWithDiskKey = (identityReference?: { resourceId: string }) => ({
  id: "nightly",
  poolInfo: {
    autoPoolSpecification: {
      poolLifetimeOption: "job",
      pool: {
        vmSize: "STANDARD_D2S_V3",
        virtualMachineConfiguration: {
          imageReference: { publisher: "Canonical", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts", version: "latest" },
          nodeAgentSKUId: "batch.node.ubuntu 20.04",
          diskEncryptionConfiguration: { targets: ["OsDisk"], customerManagedKey: { keyUrl: "https://v.vault.azure.net/keys/k/0123", ...(identityReference && { identityReference }) } },
        },
      },
    },
  },
});

describe("auto-pool disk encryption key (a site row, restApiVersion 2025-06-01)", () => {
  test("the row exists with its source and API version", () => {
    const row = siteById("job.poolInfo.autoPoolSpecification.pool.diskEncryptionConfiguration.customerManagedKey");
    expect(row.restApiVersion).toBe("2025-06-01");
    expect(row.source).toContain("BatchService.json 2025-06-01");
  });

  test("a key with an identity reference on an auto-pool is refused: AUTO_POOL_IDENTITY_REFERENCE at its path", () => {
    const result = validateJob(autoPoolWithDiskKey({ resourceId: keyId }) as never);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => `${i.code}@${i.path}`)).toEqual([
      "AUTO_POOL_IDENTITY_REFERENCE@poolInfo.autoPoolSpecification.pool.virtualMachineConfiguration.diskEncryptionConfiguration.customerManagedKey.identityReference",
    ]);
  });

  test("without the reference, nothing is said about it", () => {
    expect(validateJob(autoPoolWithDiskKey() as never).issues.filter((i) => i.severity === "error")).toEqual([]);
  });
});
