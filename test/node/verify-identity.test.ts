// verifyIdentity and `typed-batch verify-identity` against the emulator's per-node IMDS and Blob
// service: every outcome, through the API and through the compiled command.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyIdentity, type VerifyIdentityResult } from "../../src/index.js";
import { startEmulator, type Emulator } from "../../src/testing/index.js";
import { cliFiles, createPool, ensureBuilt, poolBody, runCliAsync, scene, type Scene } from "../doctor/support.js";

let em: Emulator;
let s: Scene;
let files: Awaited<ReturnType<typeof cliFiles>>;
let single: string; // IMDS of a node whose pool has the worker only
let double: string; // IMDS of a node whose pool has worker and other
let blob: string;

beforeAll(async () => {
  await ensureBuilt();
  em = await startEmulator();
  files = await cliFiles(em);
  s = await scene(em);
  await createPool(em, s, "one", poolBody([s.worker.resourceId]));
  await createPool(em, s, "two", poolBody([s.worker.resourceId, s.other.resourceId]));
  em.settle();
  single = em.imdsEndpoint(s.account, "one", em.nodeIds(s.account, "one")[0] ?? "");
  double = em.imdsEndpoint(s.account, "two", em.nodeIds(s.account, "two")[0] ?? "");
  blob = em.blobUrl(s.storage, "inputs", "scene/frame.txt");
}, 180_000);
afterAll(async () => {
  await em.stop();
});

const codes = (r: VerifyIdentityResult) => r.steps.map((step) => [step.step, step.ok, step.code]);

/** The command with the node's IMDS in the environment, as on a real node. */
async function cli(imds: string, args: readonly string[]) {
  const run = await runCliAsync(["verify-identity", "--ca-file", files.ca, ...args], { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds });
  expect(run.stdout + run.stderr).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  return run;
}

describe("verify-identity outcomes", () => {
  test("success: token, matching client id, blob read (exit 0)", async () => {
    const r = await verifyIdentity({ identity: s.worker.resourceId, clientId: s.worker.clientId, blobUrl: blob, imdsEndpoint: double, ca: em.ca });
    expect(codes(r)).toEqual([["imds", true, "TokenIssued"], ["client-id", true, "ClientIdMatches"], ["blob", true, "BlobRead"]]);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/eyJ/);
    const run = await cli(double, ["--identity", s.worker.resourceId, "--client-id", s.worker.clientId, "--blob-url", blob]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("BlobRead");
  });

  test("403 AuthorizationPermissionMismatch: the identity has no data role (exit 1)", async () => {
    const r = await verifyIdentity({ identity: s.other.resourceId, blobUrl: blob, imdsEndpoint: double, ca: em.ca });
    expect(codes(r)).toEqual([["imds", true, "TokenIssued"], ["blob", false, "AuthorizationPermissionMismatch"]]);
    expect(r.steps[1]?.status).toBe(403);
    expect(r.steps[1]?.message).toContain("Storage Blob Data");
    const run = await cli(double, ["--identity", s.other.resourceId, "--blob-url", blob]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("AuthorizationPermissionMismatch");
  });

  test("400 several identities and none chosen (exit 1)", async () => {
    const r = await verifyIdentity({ imdsEndpoint: double });
    expect(codes(r)).toEqual([["imds", false, "MultipleUserAssignedIdentities"]]);
    expect(r.steps[0]?.status).toBe(400);
    expect(r.steps[0]?.message).toContain("mi_res_id");
    const run = await cli(double, ["--json"]);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as VerifyIdentityResult).steps[0]?.code).toBe("MultipleUserAssignedIdentities");
  });

  test("400 identity not found: the identity is not on this node (exit 1)", async () => {
    const r = await verifyIdentity({ identity: s.other.resourceId, imdsEndpoint: single });
    expect(codes(r)).toEqual([["imds", false, "IdentityNotFound"]]);
    const run = await cli(single, ["--identity", s.other.resourceId]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("IdentityNotFound");
  });

  test("a single identity needs no --identity; a wrong client id is a failed check (exit 1)", async () => {
    const r = await verifyIdentity({ clientId: s.other.clientId, imdsEndpoint: single });
    expect(codes(r)).toEqual([["imds", true, "TokenIssued"], ["client-id", false, "ClientIdMismatch"]]);
    expect(r.clientId).toBe(s.worker.clientId);
    const run = await cli(single, ["--client-id", s.other.clientId]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("ClientIdMismatch");
  });

  test("the client id is read from the pool through ARM when the pool is named", async () => {
    const run = await cli(single, [
      "--identity", s.worker.resourceId,
      "--subscription", em.subscriptionId, "--resource-group", em.resourceGroup, "--account", s.account, "--pool", "one",
      "--management-endpoint", em.url, "--json",
    ]);
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as VerifyIdentityResult;
    expect(result.steps.map((x) => x.code)).toEqual(["TokenIssued", "ClientIdMatches"]);
    expect(run.status).toBe(0);
  });

  test("IMDS unreachable and unusable input: exit 2", async () => {
    const r = await verifyIdentity({ identity: s.worker.resourceId, imdsEndpoint: "http://127.0.0.1:1", timeoutMs: 2000 });
    expect(r.unusable).toBe(true);
    expect(codes(r)).toEqual([["imds", false, "ImdsUnreachable"]]);
    const unreachable = await cli("http://127.0.0.1:1", ["--identity", s.worker.resourceId]);
    expect(unreachable.status).toBe(2);
    const badUrl = await cli(single, ["--identity", s.worker.resourceId, "--blob-url", "not a url"]);
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toContain("--blob-url");
  });
});
