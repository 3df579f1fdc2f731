import type { ApplicationPackageReference, Pool } from "@azure/arm-batch";
import type { AccountLabelPairs, AutoStorageModeState, BatchAccountSpec } from "../account/account-spec.js";
import { labelsInScope } from "../identity/labels-in-scope.js";
import { handlesIn } from "../identity/handles-in.js";
import { TypedBatchError } from "../errors/typed-batch-error.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { IdentityNotInPoolError, MountCredentialsError } from "../rules/messages.js";
import type { LabelledIdsOf, LabelPair, LabelPairsOfList } from "../identity/label-pairs.js";
import type { AutoStorageUse, Checked, IdentityKeysOf, LabelsChecked, LabelsConsistent, MissingKeys, NewPairs, PairsOfInput, PoolView, ReadsAutoStorage } from "../rules/type-checks.js";
import { validatePool } from "../rules/validate.js";
import { checkedProperties } from "../util/reserved-properties.js";
import { frozenCopy } from "../util/frozen-copy.js";
import { made } from "../util/made.js";
import { containerSettingsToAzure, registryToAzure } from "../task/container-settings.js";
import { resourceFileToAzure } from "../task/resource-file.js";
import { blobMountProblems, identityHandlesProblems, registryProblems, startTaskProblems, strictInput } from "../task/strict-inputs.js";
import type { BlobMountInput, PoolProperties, RegistryInput, StartTaskInput } from "./pool-inputs.js";
import type { AnyAccountSpec, NodeKeyOf, PoolSpec } from "./pool-spec.js";

/** @internal Where the pool's own identity uses are checked: against `Ids`, or deferred to `build()` while none are declared. */
export type OwnPoolView<Name extends string, A extends AnyAccountSpec, Ids extends string, CheckNode extends boolean, Pairs extends LabelPair = never> = {
  readonly pool: Name;
  readonly ids: [Ids] extends [never] ? (CheckNode extends true ? never : string) : Ids;
  readonly checkNode: CheckNode;
  readonly mode: A["autoStorageMode"];
  readonly node: NodeKeyOf<A>;
  readonly account: A["name"];
  readonly autoPoolJob: never;
  readonly labels: Pairs;
};

/**
 * @internal The identity keys `build()` must still check: those used while no identity was attached
 * yet. Once identities are attached, a use is checked at its call (and reported there only).
 */
export type DeferredKeys<Ids extends string, K extends string> = [Ids] extends [never] ? K : never;

/**
 * @internal `Ids` with `New` added: a literal union grows, and `string` (identities known only at
 * run time, or the builder's widest type, which its implementation is checked against) stays `string`.
 */
export type AddedKeys<Ids extends string, New extends string> = string extends Ids ? string : Ids | New;

/** @internal Whether nodes read autostorage, once any call made them: `boolean` (the widest type) stays `boolean`. */
export type AddedNeed<Needs extends boolean, New extends boolean> = boolean extends Needs ? boolean : Needs | New;

/**
 * @internal The identity keys an input uses; none for `any`, which is how TypeScript reads a generic
 * method's type parameter when it compares two builder types (so a call's builder type and the
 * widest one stay comparable).
 */
export type KeysOfInput<T> = 0 extends 1 & T ? never : IdentityKeysOf<T>;

/**
 * @internal `Pairs` with `New` added: only the new pairs that do not conflict with those the pool has
 * (a conflict is reported at its call). None on the builder's widest type (any account, any
 * identities), which its implementation is checked against; a pool that only has an identity known
 * as `UserAssignedIdentity` keeps its pairs.
 */
export type AddedPairs<A extends AnyAccountSpec, Ids extends string, Pairs extends LabelPair, New extends LabelPair> = string extends Ids
  ? [AnyAccountSpec] extends [A]
    ? never
    : Pairs | NewPairs<Pairs, New>
  : Pairs | NewPairs<Pairs, New>;

/**
 * @internal The pairs a built pool passes on to its jobs and tasks: those whose label is attached
 * (from its handles, or from a use of an attached label) and its account's, which is what the guards
 * label a job's or task's identities with (the pool's other uses are checked in the pool).
 */
export type SpecPairs<Ids extends string, Pairs extends LabelPair, AccountPairs extends LabelPair> =
  | AccountPairs
  | (Pairs extends readonly [infer L, string] ? (L extends Ids ? Pairs : never) : never);

/** @internal How many of the three blob mount credentials an input gives. */
export type CredentialCount<M> = [
  ...(M extends { readonly identity: object } ? [0] : []),
  ...(M extends { readonly accountKey: string } ? [0] : []),
  ...(M extends { readonly sasKey: string } ? [0] : []),
]["length"];

/**
 * @internal The type of `build`: `Ok` (the method), or the error naming the identity. A property
 * rather than a `this` check, so the compiler reports it on `.build` itself ("not callable"), not on
 * the whole chain before it.
 */
export type PoolBuildCheck<Ok, Name extends string, A extends AnyAccountSpec, Ids extends string, Used extends string, NeedsAutoStorage extends boolean, Pairs extends LabelPair = never> =
  [MissingKeys<Used, Ids, Pairs>] extends [never]
    ? [NeedsAutoStorage] extends [false]
      ? Ok
      : AutoStorageUse<OwnPoolView<Name, A, Ids, true, Pairs> & PoolView, Ok>
    : IdentityNotInPoolError<MissingKeys<Used, Ids, Pairs>, Name>;

/**
 * An immutable pool builder: every method returns a new builder, and the identities attached so
 * far accumulate in `Ids` as a literal union. Identity uses are checked against `Ids` at the call
 * once identities are declared, and in `build()` in any case, so the order of calls does not matter.
 *
 * @typeParam Name - the pool name.
 * @typeParam A - the account spec.
 * @typeParam Ids - keys of the attached identities (and the literal ids of those attached under a label).
 * @typeParam Used - keys of the identities the pool uses.
 * @typeParam NeedsAutoStorage - whether nodes read autostorage (application packages, autostorage start task files).
 * @typeParam Pairs - `[label, id]` of the labelled identities with literal ids the pool has or uses, and its account's.
 */
export interface PoolBuilder<Name extends string, A extends AnyAccountSpec, Ids extends string = never, Used extends string = never, NeedsAutoStorage extends boolean = false, Pairs extends LabelPair = never> {
  /**
   * Attaches user-assigned identities to the pool (its `identity.userAssignedIdentities`).
   * Pools take user-assigned identities only; a system-assigned identity cannot be passed, nor a
   * label that names another literal id on this pool.
   */
  withIdentities<const L extends readonly UserAssignedIdentity[]>(...identities: LabelsChecked<L, Pairs>): PoolBuilder<Name, A, AddedKeys<Ids, L[number]["key"] | LabelledIdsOf<L[number]>>, Used, NeedsAutoStorage, AddedPairs<A, Ids, Pairs, NewPairs<Pairs | LabelPairsOfList<L>, LabelPairsOfList<L>>>>;
  /** Sets the pool's other settings: the SDK's own `Pool` type minus identity-bearing fields. */
  withProperties(properties: PoolProperties): PoolBuilder<Name, A, Ids, Used, NeedsAutoStorage, Pairs>;
  /**
   * Adds application packages. Nodes download them from autostorage with the account's node
   * identity, which must then be attached to the pool (article scenarios 3 and 4, checked in `build()`).
   */
  withApplicationPackages(...packages: readonly [ApplicationPackageReference, ...ApplicationPackageReference[]]): PoolBuilder<Name, A, Ids, Used, true, Pairs>;
  /** Sets the start task; every identity its resource files or registry use must be attached to the pool. */
  withStartTask<const T extends StartTaskInput>(
    startTask: Checked<T, OwnPoolView<Name, A, Ids, false, Pairs>>,
  ): PoolBuilder<Name, A, Ids, AddedKeys<Used, DeferredKeys<Ids, KeysOfInput<T>>>, AddedNeed<NeedsAutoStorage, ReadsAutoStorage<T>>, AddedPairs<A, Ids, Pairs, PairsOfInput<T>>>;
  /** Adds a container registry for the pool's prefetched images; its identity must be attached to the pool. */
  withContainerRegistry<const R extends RegistryInput>(
    registry: Checked<R, OwnPoolView<Name, A, Ids, false, Pairs>>,
  ): PoolBuilder<Name, A, Ids, AddedKeys<Used, DeferredKeys<Ids, KeysOfInput<R>>>, NeedsAutoStorage, AddedPairs<A, Ids, Pairs, PairsOfInput<R>>>;
  /**
   * Mounts a blob container on every node with exactly one credential (`identity`, `accountKey` or
   * `sasKey`); an identity used must be attached to the pool.
   */
  withBlobMount<const M extends BlobMountInput>(
    // The error branch keeps `M` in it, so that every form of the parameter is still a mount input.
    mount: CredentialCount<M> extends 1 ? Checked<M, OwnPoolView<Name, A, Ids, false, Pairs>> : M & MountCredentialsError<CredentialCount<M> & number>,
  ): PoolBuilder<Name, A, Ids, AddedKeys<Used, DeferredKeys<Ids, KeysOfInput<M>>>, NeedsAutoStorage, AddedPairs<A, Ids, Pairs, PairsOfInput<M>>>;
  /**
   * Checks every rule and returns the pool spec. Does not compile when an identity the pool uses is
   * not attached, or when the pool needs autostorage and the account's node identity is missing or
   * not attached.
   * @throws {@link TypedBatchError} with every problem found, for code that bypassed the types.
   */
  readonly build: PoolBuildCheck<LabelsConsistent<Pairs, () => PoolSpec<Name, A, Ids, SpecPairs<Ids, Pairs, AccountLabelPairs<A>>>>, Name, A, Ids, Used, NeedsAutoStorage, Pairs>;
}

interface PoolState {
  readonly name: string;
  readonly account: AnyAccountSpec;
  readonly identities: readonly UserAssignedIdentity[];
  readonly properties: PoolProperties;
  readonly applicationPackages: readonly ApplicationPackageReference[];
  readonly startTask?: StartTaskInput;
  readonly registries: readonly RegistryInput[];
  readonly mounts: readonly BlobMountInput[];
}

/** Every identity a pool state uses (its registries, mounts and start task), for run-time messages keyed like the types. */
function identitiesUsed(state: PoolState): UserAssignedIdentity[] {
  return handlesIn([state.registries, state.mounts, state.startTask]);
}

/** The first handle of each identity (ids compare case-insensitively): what the pool's ARM body lists. */
function onePerIdentity(handles: readonly UserAssignedIdentity[]): UserAssignedIdentity[] {
  const seen = new Set<string>();
  return handles.filter((i) => !seen.has(i.canonicalId) && (seen.add(i.canonicalId), true));
}

/** The builder's widest type: any name, account and identities; every check resolves to its method. */
type AnyPoolBuilder = PoolBuilder<string, AnyAccountSpec, string, string, boolean>;

// Checked against the interface at its widest: every pool's builder is this one with a narrower type.
class PoolBuilderImpl implements AnyPoolBuilder {
  readonly #state: PoolState;

  constructor(state: PoolState) {
    this.#state = state;
    Object.freeze(this);
  }

  #with(patch: Partial<PoolState>): PoolBuilderImpl {
    return new PoolBuilderImpl({ ...this.#state, ...patch });
  }

  withIdentities(...identities: readonly UserAssignedIdentity[]): PoolBuilderImpl {
    strictInput(identities, "identities", identityHandlesProblems);
    // Every handle is kept, an identity given twice (by id and under a label) included: each one's
    // label is checked. `toArm` lists each identity once.
    return this.#with({ identities: Object.freeze([...this.#state.identities, ...identities]) });
  }

  withProperties(properties: PoolProperties): PoolBuilderImpl {
    const checked = checkedProperties(properties, { identity: ".withIdentities(...)", startTask: ".withStartTask(...)", applicationPackages: ".withApplicationPackages(...)", name: "pool(name, ...)", id: "pool(name, ...)" });
    return this.#with({ properties: frozenCopy({ ...this.#state.properties, ...checked }) });
  }

  withApplicationPackages(...packages: readonly ApplicationPackageReference[]): PoolBuilderImpl {
    return this.#with({ applicationPackages: Object.freeze([...this.#state.applicationPackages, ...packages]) });
  }

  withStartTask(startTask: StartTaskInput): PoolBuilderImpl {
    return this.#with({ startTask: frozenCopy(strictInput(startTask, "startTask", startTaskProblems)) });
  }

  withContainerRegistry(registry: RegistryInput): PoolBuilderImpl {
    return this.#with({ registries: Object.freeze([...this.#state.registries, frozenCopy(strictInput(registry, "registry", registryProblems))]) });
  }

  withBlobMount(mount: BlobMountInput): PoolBuilderImpl {
    return this.#with({ mounts: Object.freeze([...this.#state.mounts, frozenCopy(strictInput(mount, "mount", blobMountProblems))]) });
  }

  toArm(): Pool {
    const state = this.#state;
    const { deploymentConfiguration, mountConfiguration, ...rest } = state.properties;
    const pool: Pool = { ...rest, name: state.name };
    pool.identity =
      state.identities.length > 0
        ? { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(onePerIdentity(state.identities).map((i) => [i.resourceId, {}])) }
        : { type: "None" };
    if (state.applicationPackages.length > 0) pool.applicationPackages = state.applicationPackages.map((p) => ({ ...p }));
    if (state.startTask !== undefined) {
      const { resourceFiles, containerSettings, ...task } = state.startTask;
      pool.startTask = {
        ...task,
        ...(resourceFiles !== undefined && { resourceFiles: resourceFiles.map(resourceFileToAzure) }),
        ...(containerSettings !== undefined && { containerSettings: containerSettingsToAzure(containerSettings) }),
      };
    }
    if (deploymentConfiguration !== undefined || state.registries.length > 0) {
      const vm = deploymentConfiguration?.virtualMachineConfiguration;
      const containers = vm?.containerConfiguration;
      const registries = [...(containers?.containerRegistries ?? []), ...state.registries.map(registryToAzure)];
      pool.deploymentConfiguration = {
        ...deploymentConfiguration,
        ...((vm !== undefined || registries.length > 0) && {
          // A registry needs a container configuration; `DockerCompatible` is the only type Batch has.
          virtualMachineConfiguration: {
            ...vm,
            containerConfiguration: { type: "DockerCompatible", ...containers, ...(registries.length > 0 && { containerRegistries: registries }) },
          } as NonNullable<NonNullable<Pool["deploymentConfiguration"]>["virtualMachineConfiguration"]>,
        }),
      };
      if (vm?.containerConfiguration === undefined && registries.length === 0) {
        delete pool.deploymentConfiguration.virtualMachineConfiguration?.containerConfiguration;
      }
    }
    const mounts = [
      ...(mountConfiguration ?? []),
      ...state.mounts.map((m) => ({
        azureBlobFileSystemConfiguration: {
          accountName: m.accountName,
          containerName: m.containerName,
          relativeMountPath: m.relativeMountPath,
          ...(m.blobfuseOptions !== undefined && { blobfuseOptions: m.blobfuseOptions }),
          ...(m.accountKey !== undefined && { accountKey: m.accountKey }),
          ...(m.sasKey !== undefined && { sasKey: m.sasKey }),
          ...(m.identity !== undefined && { identityReference: { resourceId: m.identity.resourceId } }),
        },
      })),
    ];
    if (mounts.length > 0) pool.mountConfiguration = mounts;
    return pool;
  }

  build(): PoolSpec {
    const state = this.#state;
    const arm = this.toArm();
    const labels = labelsInScope(state, identitiesUsed(state));
    const result = validatePool(arm, { account: state.account, name: state.name, labels, voice: "builder" });
    if (!result.ok) throw new TypedBatchError(result.issues);
    return made<PoolSpec>(
      Object.freeze({
        name: state.name,
        account: state.account,
        identities: state.identities,
        toArm: () => structuredClone(arm),
      }),
    );
  }
}

/**
 * Starts a pool definition under an account (a pool with managed identities can only be created
 * through Azure Resource Manager).
 *
 * @param name - the pool name (its id in the Batch service).
 * @param account - the account spec from `batchAccount(...).build()`.
 * @example
 * ```ts
 * import { batchAccount, pool, resourceFile, userAssignedIdentity } from "typed-batch";
 * const worker = userAssignedIdentity(
 *   "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/worker");
 * const account = batchAccount("acct", { location: "westeurope" })
 *   .withSystemAssignedIdentity()
 *   .withAutoStorage({ storageAccountId: "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/st",
 *     authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker })
 *   .build();
 * const render = pool("render", account)
 *   .withIdentities(worker)
 *   .withProperties({ vmSize: "STANDARD_D2S_V3" })
 *   .withApplicationPackages({ id: "ffmpeg", version: "6.1" })
 *   .withStartTask({ commandLine: "setup.sh", resourceFiles: [resourceFile.fromContainerUrl("https://st.blob.core.windows.net/setup", { identity: worker })] })
 *   .build();
 * ```
 * @see https://learn.microsoft.com/azure/batch/managed-identity-pools
 */
// The pool starts from its account's label pairs: the guards check a pool's identities and its
// account's under one set of labels.
export function pool<const Name extends string, const A extends BatchAccountSpec<string, AutoStorageModeState, string>>(name: Name, account: A): PoolBuilder<Name, A, never, never, false, AccountLabelPairs<A>> {
  const builder: AnyPoolBuilder = new PoolBuilderImpl({ name, account, identities: [], properties: {}, applicationPackages: [], registries: [], mounts: [] });
  // `Name`, `A` and the identity state are a compile-time reading of the calls (TypeScript checks
  // that this type and the widest one overlap); build() checks the same rules at run time.
  return builder as PoolBuilder<Name, A, never, never, false, AccountLabelPairs<A>>;
}
