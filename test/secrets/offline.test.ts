// Secrets in specs and bundles never reach errors (TypedBatchError.message, .issues), findings
// (validate*, diagnose) or CLI output. Canaries sit where users put them, and where they put them by
// mistake (a SAS URL pasted as an identity resource id or as a userAssignedIdentities key).
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { batchAccount, diagnose, pool, resourceFile, task, job, TypedBatchError, userAssignedIdentity, validatePool, validateTask } from "typed-batch";
import { runCli } from "../cli/support/run-cli.js";
import { CANARY, leaks, sasUrl } from "./canaries.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const id = (n: string) => `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${n}`;
const secretUrl = sasUrl("https://store.blob.core.windows.net/inputs");
const findingText = (fs: readonly { message: string; fix: string; path: string }[]) => fs.map((f) => `${f.path} ${f.message} ${f.fix}`).join("\n");

/** A bundle with canaries in every string field that could hold one. */
const bundle = {
  account: { identity: { type: "UserAssigned", userAssignedIdentities: { [secretUrl]: {} } }, properties: { autoStorage: { storageAccountId: "x", authenticationMode: "BatchAccountManagedIdentity", nodeIdentityReference: { resourceId: secretUrl } } } },
  pools: [
    {
      name: "render",
      identity: { type: "UserAssigned", userAssignedIdentities: { [id("worker")]: {}, [`${id("x")}?sig=${CANARY.sig}`]: {} } },
      properties: {
        startTask: { commandLine: `curl -H "Authorization: Bearer ${CANARY.token}" '${secretUrl}'`, resourceFiles: [{ storageContainerUrl: secretUrl, identityReference: { resourceId: secretUrl } }, { httpUrl: secretUrl }] },
        deploymentConfiguration: { virtualMachineConfiguration: { containerConfiguration: { containerRegistries: [{ registryServer: "r.azurecr.io", userName: "u", password: CANARY.password, identityReference: { resourceId: id("stranger") } }] } } },
        mountConfiguration: [{ azureBlobFileSystemConfiguration: { accountName: "a", containerName: "c", relativeMountPath: "m", accountKey: CANARY.accountKey, sasKey: CANARY.sasKey } }],
      },
    },
  ],
  jobs: [
    {
      id: "frames",
      poolInfo: { poolId: "render" },
      tasks: [
        { id: "t1", commandLine: `azcopy '${secretUrl}' .`, resourceFiles: [{ httpUrl: secretUrl, filePath: "f", identityReference: { resourceId: id("stranger") } }], outputFiles: [{ filePattern: "*", destination: { container: { containerUrl: secretUrl, identityReference: { resourceId: `Bearer ${CANARY.token}` } } } }] },
        { id: "t2", containerSettings: { imageName: "r.azurecr.io/i", registry: { registryServer: "r.azurecr.io", userName: "u", password: CANARY.password, identityReference: { resourceId: secretUrl } } } },
      ],
    },
  ],
};

describe("offline: findings, guard results, errors", () => {
  test("the bundle is refused (so the findings were produced)", () => {
    expect(diagnose(bundle as never).filter((f) => f.severity === "error").length).toBeGreaterThan(5);
  });

  test("the CLI prints no canary, in text or --json", () => {
    const dir = mkdtempSync(`${tmpdir()}/typed-batch-secrets-`);
    try {
      writeFileSync(`${dir}/b.json`, JSON.stringify(bundle));
      for (const extra of [[], ["--json"]]) {
        const run = runCli(["check", `${dir}/b.json`, ...extra]);
        expect(run.status).toBe(1);
        expect(leaks(run.stdout + run.stderr)).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a TypedBatchError's message and issues carry no canary", () => {
    const account = batchAccount("acct", { location: "westeurope" }).build();
    const stranger = userAssignedIdentity(id("stranger"), "stranger");
    const errors: unknown[] = [];
    try {
      userAssignedIdentity(secretUrl, "pasted");
    } catch (e) {
      errors.push(e);
    }
    try {
      // Bypassing the types (as JavaScript users do): an identity not on the pool, with SAS URLs around it.
      (pool("render", account) as any).withStartTask({ commandLine: `x '${secretUrl}'`, resourceFiles: [resourceFile.fromContainerUrl(secretUrl, { identity: stranger })] }).build();
    } catch (e) {
      errors.push(e);
    }
    try {
      const render = pool("render", account).build();
      (task("t", job("j", render).build()) as any).withResourceFile(resourceFile.fromHttpUrl(secretUrl, { filePath: "f", identity: stranger })).withCommandLine(`x ${secretUrl}`).build();
    } catch (e) {
      errors.push(e);
    }
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(TypedBatchError.is(e)).toBe(true);
      const err = e as TypedBatchError;
      expect(leaks(`${err.message}\n${findingText(err.issues)}\n${err.path}`)).toEqual([]);
    }
  });

  // Regression test — leak found by this suite, fixed in 1cf7748. Was: findings returned by diagnose() and validate*() are not redacted. messages.invalidResourceId
  // (src/rules/messages.ts) quotes a malformed id whole, and check.ts's userAssignedPath() quotes a
  // userAssignedIdentities key whole in `path`: a SAS URL pasted into resourceId (or as a key) comes back
  // with its signature. The CLI is safe (src/cli/io.ts redacts every string on the way out) and
  // TypedBatchError redacts message and fix, but API callers who log findings are not.
  // Fix: redact in finding() (src/rules/finding.ts) — message, fix and path — so every producer is covered,
  // and quote at most ~120 characters of an input value.
  test("diagnose() findings carry no canary", () => {
    expect(leaks(findingText(diagnose(bundle as never)))).toEqual([]);
  });

  test("validatePool / validateTask issues carry no canary", () => {
    const poolJson = { name: "render", identity: { type: "UserAssigned", userAssignedIdentities: { [`${id("x")}?sig=${CANARY.sig}`]: {} } } };
    const a = validatePool(poolJson);
    const b = validateTask({ id: "t", commandLine: "x", resourceFiles: [{ httpUrl: "https://a/b", filePath: "b", identityReference: { resourceId: secretUrl } }] }, { job: { id: "j", poolInfo: { poolId: "render" } }, pool: poolJson as never });
    expect(leaks(findingText([...a.issues, ...b.issues]))).toEqual([]);
  });

  // Regression test — leak found by this suite, fixed in 1cf7748. Was: TypedBatchError's constructor (src/errors/typed-batch-error.ts) redacts message and fix but
  // not `path`, and puts the path into `.message` ("CODE at <path>: ..."): a userAssignedIdentities key
  // holding a SAS signature reaches err.message, err.path and err.issues[].path.
  // Fix: redact(first.path) in the message, and path: redact(i.path) in the cleaned issues and this.path.
  test("a TypedBatchError whose path holds a secret (a userAssignedIdentities key) carries no canary", () => {
    const r = validatePool({ name: "render", identity: { type: "UserAssigned", userAssignedIdentities: { [`${id("x")}?sig=${CANARY.sig}`]: {} } } });
    const err = new TypedBatchError(r.issues);
    expect(leaks(`${err.message}\n${err.path}\n${findingText(err.issues)}\n${inspect(err)}`)).toEqual([]);
  });
});
