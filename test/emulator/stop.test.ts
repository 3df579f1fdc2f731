// stop() must leave nothing open, so vitest (and any test runner) can exit.
import { BatchServiceClient } from "@azure/batch";
import { AzureIdentityCredentialAdapter } from "@azure/ms-rest-js";
import { describe, expect, test } from "vitest";
import { startEmulator } from "../../src/testing/index.js";
import { raw } from "./setup.js";

describe("stop()", () => {
  test("leaves no servers or sockets behind", async () => {
    const count = (): number => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap" || r === "TCPSocketWrap").length;
    const before = count();
    const e = await startEmulator({ batchAccounts: ["a1", "a2"] });
    const b = new BatchServiceClient(new AzureIdentityCredentialAdapter(e.credential, "https://batch.core.windows.net//.default"), e.batchAccountUrl("a1"), e.batchClientOptions);
    await b.job.list().catch(() => undefined);
    await raw(e, "GET", `${e.imdsUrl}/metadata/identity/oauth2/token`);
    expect(count()).toBeGreaterThan(before);
    await e.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count()).toBe(before);
  });
});
