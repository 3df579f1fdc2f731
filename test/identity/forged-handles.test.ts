// A JavaScript caller can hand typed-batch an object that looks like an identity handle. Only a
// value that says everything a handle says counts as one; anything less is refused by the guards
// as INVALID_SHAPE at its path, never a TypeError from a missing field.
import { expect, test } from "vitest";
import { batchAccount, isUserAssignedIdentity, nodeCredential, pool, TypedBatchError, userAssignedIdentity } from "../../src/index.js";

const id = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reader";
const real = userAssignedIdentity(id);
const forgeries: Record<string, unknown> = {
  "kind and canonicalId only": { kind: "UserAssigned", canonicalId: id.toLowerCase() },
  "no key": { kind: "UserAssigned", resourceId: id, canonicalId: id.toLowerCase(), name: "reader" },
  "malformed id": { kind: "UserAssigned", key: "reader", resourceId: "/subscriptions/x/reader", canonicalId: "/subscriptions/x/reader", name: "reader" },
  "canonical form of another id": { ...real, canonicalId: id.toLowerCase().replace("reader", "writer") },
};

test("a handle made by userAssignedIdentity, or a copy saying all it says, is a handle", () => {
  expect(isUserAssignedIdentity(real)).toBe(true);
  expect(isUserAssignedIdentity({ ...real })).toBe(true);
  expect(isUserAssignedIdentity(userAssignedIdentity(id, "reader"))).toBe(true);
});

test.each(Object.entries(forgeries))("a forged handle (%s) is not a handle, and nodeCredential refuses it with INVALID_SHAPE", (_, forged) => {
  expect(isUserAssignedIdentity(forged)).toBe(false);
  const render = pool("render", batchAccount("acct", { location: "westeurope" }).build()).withIdentities(real).withProperties({ vmSize: "STANDARD_D2S_V3" }).build();
  let error: unknown;
  try {
    nodeCredential(render, forged as never);
  } catch (e) {
    error = e;
  }
  expect(TypedBatchError.is(error) && error.code).toBe("INVALID_SHAPE");
});
