import type { AutoPoolSpecification, ResourceFile } from "@azure/batch";
import { type AutoStorageResourceFile, type ContainerUrlResourceFile, type HttpUrlResourceFile, resourceFileToAzure } from "../task/resource-file.js";
import type { AnyAccountSpec } from "../pool/pool-spec.js";
import type { AutoPoolSpecificationIdentityError } from "../rules/messages.js";
import { made, type Made } from "../util/made.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";

/**
 * @internal The SDK's auto-pool specification with every `identityReference` replaced by the error
 * text: an auto-pool cannot carry identities, so none can be referenced in it.
 */
export type WithoutIdentityReferences<T> = T extends Date
  ? T
  : T extends readonly (infer E)[]
    ? WithoutIdentityReferences<E>[]
    : T extends object
      ? {
          [K in keyof T]: K extends "identityReference"
            ? AutoPoolSpecificationIdentityError
            : K extends "resourceFiles"
              ? readonly AutoPoolResourceFile[]
              : WithoutIdentityReferences<T[K]>;
        }
      : T;

/** A spec made by `resourceFile.*` without an identity (its `identity` slot is typed `never`); one with an identity is refused. */
type WithoutIdentity<F> = Omit<F, "identity"> & { readonly identity?: UserAssignedIdentity<never> | AutoPoolSpecificationIdentityError };

/**
 * @internal A resource file in an auto-pool specification: the SDK's shape without
 * `identityReference`, or one made by `resourceFile.*` without `identity` (the identity-sites guide
 * shows both).
 */
export type AutoPoolResourceFile =
  | (WithoutIdentityReferences<Omit<ResourceFile, "identityReference">> & { readonly identityReference?: AutoPoolSpecificationIdentityError; readonly kind?: never })
  | AutoStorageResourceFile
  | WithoutIdentity<ContainerUrlResourceFile>
  | WithoutIdentity<HttpUrlResourceFile>;

/** The SDK's shape of a specification whose resource files may be `resourceFile.*` specs. */
function toSdk(specification: unknown): AutoPoolSpecification {
  const copy = structuredClone(specification) as { pool?: { startTask?: { resourceFiles?: unknown } } };
  const files = copy.pool?.startTask?.resourceFiles;
  if (Array.isArray(files)) {
    // structuredClone keeps a spec's plain fields, so `kind` still tells a spec from an SDK object.
    copy.pool!.startTask!.resourceFiles = files.map((f: unknown) =>
      typeof f === "object" && f !== null && "kind" in f ? resourceFileToAzure(f as Parameters<typeof resourceFileToAzure>[0]) : f,
    );
  }
  return copy as AutoPoolSpecification;
}

/**
 * A job's auto-pool: created with the job and carrying no identities, so any identity use in the
 * job is an error.
 *
 * @typeParam A - the account spec, when given (for the autostorage rules).
 */
export interface AutoPoolSpec<A extends AnyAccountSpec | undefined = AnyAccountSpec | undefined> extends Made<"AutoPoolSpec"> {
  /** Discriminant. */
  readonly kind: "autoPool";
  /** The account, when given. */
  readonly account: A;
  /** The SDK's `AutoPoolSpecification`. */
  readonly specification: AutoPoolSpecification;
}

/** Options of {@link autoPool}. */
export interface AutoPoolOptions<A extends AnyAccountSpec | undefined> {
  /**
   * The account the job runs under, so autostorage rules can be checked.
   * @default unknown: autostorage rules are not checked
   */
  readonly account?: A;
}

/**
 * Describes a job's auto-pool (the SDK's `AutoPoolSpecification`).
 *
 * @example
 * ```ts
 * import { autoPool, job } from "typed-batch";
 * const nightly = job("nightly", autoPool({ poolLifetimeOption: "job", pool: { vmSize: "STANDARD_D2S_V3" } })).build();
 * ```
 */
export function autoPool<const A extends AnyAccountSpec | undefined = undefined>(
  specification: WithoutIdentityReferences<AutoPoolSpecification>,
  options: AutoPoolOptions<A> = {},
): AutoPoolSpec<A> {
  return made<AutoPoolSpec<A>>(Object.freeze({ kind: "autoPool" as const, account: options.account as A, specification: toSdk(specification) }));
}
