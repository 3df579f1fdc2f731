/**
 * The types look for label pairs only under the properties listed in `HandleCarrier` (walking every
 * property of every argument cost too much). This test derives, from the builders' input types
 * themselves, every property under which a typed-batch handle can sit, and fails when one is not
 * listed (and when a listed one is found nowhere): a new handle-bearing input then cannot quietly
 * escape the compile-time label checks.
 */
import { describe, expect, test } from "vitest";
import { compileOne } from "./compiler.js";

const src = "../../../src";

/** A program that does not compile when an input type has a handle under a property `HandleCarrier` lacks. */
function program(extraInput: string): string {
  return `
import type { UserAssignedIdentity } from "${src}/identity/user-assigned-identity.js";
import type { HandleCarrier } from "${src}/rules/type-checks.js";
import type { BlobMountInput, ContainerSettingsInput, RegistryInput, StartTaskInput } from "${src}/pool/pool-inputs.js";
import type { ManagerTaskInput, PreparationTaskInput, ReleaseTaskInput } from "${src}/job/job-tasks.js";
import type { MultiInstanceInput } from "${src}/task/task-builder.js";
import type { ResourceFileSpec } from "${src}/task/resource-file.js";
import type { ContainerOutputFile } from "${src}/task/output-file.js";
import type { UploadLogsOptions } from "${src}/client/batch-client.js";

type Deeper<D extends unknown[]> = [...D, 0];
/** Whether a handle can sit somewhere in T (SDK types are walked a few levels deep). */
type Reaches<T, D extends unknown[] = []> = D["length"] extends 6
  ? false
  : 0 extends 1 & T
    ? false // an SDK index signature's \`any\` is not a handle
    : T extends UserAssignedIdentity
    ? true
    : T extends readonly (infer E)[]
      ? Reaches<E, Deeper<D>>
      : T extends object
        ? true extends { [P in keyof T]-?: Reaches<NonNullable<T[P]>, Deeper<D>> }[keyof T] ? true : false
        : false;
/** The properties on the way from T to a handle. */
type CarrierKeys<T, D extends unknown[] = []> = D["length"] extends 6
  ? never
  : T extends UserAssignedIdentity
    ? never
    : T extends readonly (infer E)[]
      ? CarrierKeys<E, Deeper<D>>
      : T extends object
        ? { [P in keyof T]-?: true extends Reaches<NonNullable<T[P]>> ? P | CarrierKeys<NonNullable<T[P]>, Deeper<D>> : never }[keyof T]
        : never;

type Inputs = StartTaskInput | RegistryInput | BlobMountInput | ContainerSettingsInput | ManagerTaskInput | PreparationTaskInput
  | ReleaseTaskInput | MultiInstanceInput | ResourceFileSpec | ContainerOutputFile | UploadLogsOptions ${extraInput};
type Unlisted = Exclude<CarrierKeys<Inputs>, HandleCarrier>;
export const unlisted: [Unlisted] extends [never] ? "none" : { readonly unlisted: Unlisted } = "none";
// And nothing listed that no input has (a stale entry, or a walk that finds nothing).
type Stale = Exclude<HandleCarrier, CarrierKeys<Inputs>>;
export const stale: [Stale] extends [never] ? "none" : { readonly stale: Stale } = "none";
`;
}

describe("HandleCarrier lists every property under which a builder input can carry a handle", () => {
  test("derived from the input types: none is missing", () => {
    const diagnostics = compileOne(program(""));
    expect(diagnostics.map((d) => d.text)).toEqual([]);
  });

  test("the check can fail: an input with a handle under a new property is reported by name", () => {
    const diagnostics = compileOne(program(`| { readonly newSite?: { readonly identity: UserAssignedIdentity } }`));
    expect(diagnostics.length).toBe(1);
    expect(diagnostics[0]?.text).toContain("newSite");
  });
});
