/**
 * One label given to two different literal ids: the compile-time error (positions in
 * compiler-messages.test.ts) and its run-time twin, a `TypedBatchError` with
 * `IDENTITY_LABEL_CONFLICT` naming both full resource ids. Both texts come from
 * `messages.identityLabelConflict`; the types name the ids by their short form (a compiler cuts
 * two full ids and the fix after them short).
 */
import { describe, expect, test } from "vitest";
import { batchAccount, job, pool, resourceFile, task, TypedBatchError, userAssignedIdentity, type UserAssignedIdentity } from "typed-batch";
import { displayKey } from "../../src/identity/display-key.js";
import { fixes, messages, typeErrorText } from "../../src/rules/messages.js";
import { compiledCase } from "./compiler.js";
import * as cases from "./fixtures/cases.js";

/** The form the types give an id in a conflict (`ConflictDisplay`): its name, or subscription/group/name when both names are the same. */
function shortForms(a: string, b: string): [string, string] {
  if (displayKey(a) !== displayKey(b)) return [displayKey(a), displayKey(b)];
  const short = (id: string) => {
    const [, , subscription, , group] = id.split("/");
    return `${subscription}/${group}/${displayKey(id)}`;
  };
  return [short(a), short(b)];
}

const conflicts = [
  { name: "labelConflictInOneCall", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictAcrossCalls", ids: [cases.alphaId, cases.alphaElsewhereId] },
  { name: "labelConflictUsedBeforeAttached", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictPoolThenTask", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictAccountIdentities", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictAccountThenNodeIdentity", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictNodeIdentityThenAccount", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictAccountThenPool", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictNodeIdentityThenPoolUse", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictAmongHandlesOfAttachedIds", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictSecondHandleThenTask", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictTaskUses", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictJobTasks", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictInOneArgument", ids: [cases.alphaId, cases.betaId] },
  { name: "labelConflictPoolUses", ids: [cases.alphaId, cases.betaId] },
] as const;

describe.each(conflicts)("$name", ({ name, ids: [a, b] }) => {
  test("does not compile: one diagnostic, whose text is messages.identityLabelConflict with both ids and the label", () => {
    const { diagnostics } = compiledCase(name);
    expect(diagnostics).toHaveLength(1);
    const [sa, sb] = shortForms(a, b);
    const fix = fixes.identityLabelConflict.builder();
    expect([typeErrorText(messages.identityLabelConflict("shared", sa, sb), fix), typeErrorText(messages.identityLabelConflict("shared", sb, sa), fix)]).toContain(diagnostics[0]?.typeErrorText);
  });

  test("run time: IDENTITY_LABEL_CONFLICT naming the label and both full resource ids, in the same words", () => {
    const run = (cases as unknown as Record<string, () => unknown>)[name];
    let error: unknown;
    try {
      run?.();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypedBatchError);
    const e = error as TypedBatchError;
    expect(e.code).toBe("IDENTITY_LABEL_CONFLICT");
    expect(e.path).toBe("identity 'shared'");
    const [issue] = e.issues;
    expect([messages.identityLabelConflict("shared", a, b), messages.identityLabelConflict("shared", b, a)]).toContain(issue?.message);
    expect(issue?.fix).toBe(fixes.identityLabelConflict.builder());
  });
});

describe("what is not a conflict", () => {
  const alphaUpper = cases.alphaId.toUpperCase();

  test("the same id in another letter case under one label compiles (type-tests/valid.test-d.ts) and runs", () => {
    const a = userAssignedIdentity(cases.alphaId, "shared");
    const upper = userAssignedIdentity(alphaUpper, "shared");
    const shared = pool("render", cases.account).withIdentities(cases.worker, a).build();
    const built = task("t", job("frames", shared).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl("https://st.blob.core.windows.net/c", { identity: upper })).build();
    expect(built.toBatch().resourceFiles?.[0]?.identityReference?.resourceId).toBe(alphaUpper);
  });

  test("a labelled handle and a handle by literal id for one identity are one identity: attached by one and used by the other, it compiles (type-tests/valid.test-d.ts) and runs", () => {
    const labelled = userAssignedIdentity(cases.alphaId, "shared");
    const byId = userAssignedIdentity(cases.alphaId);
    const byIdUpper = userAssignedIdentity("/SUBSCRIPTIONS/6E5A4C1B-2F0D-4B9E-9C1A-3D2F1E0B7A55/RESOURCEGROUPS/RENDER/PROVIDERS/MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES/ALPHA");
    expect(byIdUpper.canonicalId).toBe(cases.alphaId.toLowerCase());
    const url = "https://st.blob.core.windows.net/c";
    const byLabel = pool("render", cases.account).withIdentities(cases.worker, labelled).withContainerRegistry({ registryServer: "r.azurecr.io", identity: byIdUpper }).build();
    expect(task("t", job("frames", byLabel).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: byId })).build().toBatch().resourceFiles?.[0]?.identityReference?.resourceId).toBe(cases.alphaId);
    const attachedById = pool("render", cases.account).withIdentities(cases.worker, byIdUpper).withContainerRegistry({ registryServer: "r.azurecr.io", identity: labelled }).build();
    expect(task("t", job("frames", attachedById).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: labelled })).build().toBatch().resourceFiles?.[0]?.identityReference?.resourceId).toBe(cases.alphaId);
    // The account's node identity under a label, attached to the pool by its id: packages need it attached.
    const labelledNode = batchAccount("acct-labelled", { location: "westeurope" }).withSystemAssignedIdentity()
      .withAutoStorage({ storageAccountId: cases.storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: labelled }).build();
    expect(pool("render", labelledNode).withIdentities(byIdUpper).withApplicationPackages({ id: "ffmpeg" }).build().toArm().identity?.userAssignedIdentities).toHaveProperty([byIdUpper.resourceId]);
    // The same identity under two labels (the node identity's and the pool's) is still one identity.
    expect(pool("render", labelledNode).withIdentities(userAssignedIdentity(cases.alphaId, "other")).withApplicationPackages({ id: "ffmpeg" }).build().name).toBe("render");
    // Two labels on one id are one identity: a use under one, attached under the other.
    const first = userAssignedIdentity(cases.alphaId, "first");
    const second = userAssignedIdentity(cases.alphaId, "second");
    expect(pool("render", cases.account).withContainerRegistry({ registryServer: "r.azurecr.io", identity: second }).withIdentities(cases.worker, first).build().toArm().identity?.userAssignedIdentities).toHaveProperty([cases.alphaId]);
    // An identity given twice is listed once in the ARM body.
    expect(Object.keys(pool("render", cases.account).withIdentities(cases.worker, byId, labelled, byIdUpper).build().toArm().identity?.userAssignedIdentities ?? {})).toEqual([cases.workerId, cases.alphaId]);
    // ...and not attached at all: refused by the types (rules.test-d.ts) and here, naming the label.
    // @ts-expect-error -- the node identity 'shared' is not attached (build() is not callable)
    expect(() => pool("render", labelledNode).withIdentities(cases.worker).withApplicationPackages({ id: "ffmpeg" }).build()).toThrow(expect.objectContaining({ code: "NODE_IDENTITY_NOT_IN_POOL" }));
  });

  test("a pool that also has an identity typed only as UserAssignedIdentity keeps its labels: the conflict does not compile (type-tests/rules.test-d.ts) and is refused at run time", () => {
    const wide: UserAssignedIdentity = userAssignedIdentity(cases.workerId);
    const a = userAssignedIdentity(cases.alphaId, "shared");
    const b = userAssignedIdentity(cases.betaId, "shared");
    // @ts-expect-error label 'shared' names alpha on the pool and beta in the registry
    expect(() => pool("render", cases.account).withIdentities(wide, a).withContainerRegistry({ registryServer: "r.azurecr.io", identity: b }).build()).toThrow(expect.objectContaining({ code: "IDENTITY_LABEL_CONFLICT" }));
  });

  test("an id known only at run time compiles, and the guard refuses the conflict when the call runs", () => {
    const fromConfig = (id: string) => userAssignedIdentity(id, "shared");
    const a = userAssignedIdentity(cases.alphaId, "shared");
    const shared = pool("render", cases.account).withIdentities(cases.worker, a).build();
    const builder = task("t", job("frames", shared).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl("https://st.blob.core.windows.net/c", { identity: fromConfig(cases.betaId) }));
    expect(() => builder.build()).toThrow(expect.objectContaining({ code: "IDENTITY_LABEL_CONFLICT" }));
    expect(() => task("t", job("frames", shared).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl("https://st.blob.core.windows.net/c", { identity: fromConfig(alphaUpper) })).build()).not.toThrow();
  });
});
