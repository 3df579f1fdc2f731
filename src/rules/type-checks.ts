import type { ConflictingIds, LabelPair, LabelPairsOf, LabelPairsOfList } from "../identity/label-pairs.js";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";
import type { ContainerOutputFile } from "../task/output-file.js";
import type { AutoStorageResourceFile, ContainerUrlResourceFile, HttpUrlResourceFile } from "../task/resource-file.js";
import type {
  AutoPoolIdentityReferenceError,
  IdentityLabelConflictError,
  IdentityNotInPoolError,
  NodeIdentityNotInPoolError,
  NodeIdentityReferenceMissingError,
} from "./messages.js";

/**
 * The compile-time twin of `check.ts`: the same rules over the builders' argument types.
 * Errors are the message types of `messages.ts`, placed on the offending value.
 */

/**
 * @internal The compile-time view of the pool a builder's work runs on: its name, its identities, its
 * account's autostorage. One object type, read by property lookup, keeps the builders' generic slots few.
 */
export interface PoolView {
  /** Pool name shown in messages. */
  readonly pool: string;
  /** Keys of the identities attached to the pool (`string` while not yet declared or known only at run time). */
  readonly ids: string;
  /** Whether to check autostorage files and packages here (data plane) or later in `build()` (pool). */
  readonly checkNode: boolean;
  /** The account's autostorage authentication mode. */
  readonly mode: string;
  /** The account's node identity key (`never` when not given). */
  readonly node: string;
  /** The account's name. */
  readonly account: string;
  /** The job id when the pool is an auto-pool, else `never`. */
  readonly autoPoolJob: string;
  /**
   * `[label, id]` pairs with literal ids the use is checked against (`never` when none): the pool's
   * and its account's labelled identities, and the pool's or job's own uses so far. A use of such a
   * label with another literal id is an error.
   */
  readonly labels: LabelPair;
}

type UrlFile<K extends string, I extends string = string> = ContainerUrlResourceFile<K, I> | HttpUrlResourceFile<K, I>;

/** @internal The identity keys an input uses. */
export type IdentityKeysOf<T> = T extends UserAssignedIdentity<infer K>
  ? K
  : T extends AutoStorageResourceFile
    ? never
    : T extends UrlFile<infer K> | ContainerOutputFile<infer K>
      ? K
      : T extends readonly (infer E)[]
        ? IdentityKeysOf<E>
        : T extends object
          ? { [P in keyof T]-?: IdentityKeysOf<T[P]> }[keyof T]
          : never;

/** @internal True when an input reads the account's autostorage (an autostorage container file). */
export type ReadsAutoStorage<T> = [Extract<ElementOf<T extends { readonly resourceFiles?: infer R } ? R : never>, AutoStorageResourceFile>] extends [never]
  ? false
  : true;

type ElementOf<A> = A extends readonly (infer E)[] ? E : never;

/**
 * @internal How keys compare: a literal resource id case-insensitively (resource and resource group
 * names are case-insensitive and are to be compared so: Microsoft Learn, "Naming rules and
 * restrictions for Azure resources"; the guards compare canonical forms), a label as written.
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */
export type KeyForm<K extends string> = K extends `/${string}` ? Lowercase<K> : K;

/**
 * @internal The keys `Pairs` makes the same identities as `Ids`: the literal id of an attached label,
 * and the label of an attached literal id. A handle keyed by its label and one keyed by its id name
 * one identity when the label's id is a literal, and the guards compare ids, not keys.
 */
// `[unknown] extends [Pairs]`: the account's or pool's type is an error upstream; its pairs say nothing.
export type PairedKeys<Ids extends string, Pairs extends LabelPair> = [unknown] extends [Pairs]
  ? never
  : Pairs extends readonly [infer L extends string, infer I extends string]
    ? L extends Ids
      ? I
      : Lowercase<I> extends KeyForm<Ids>
        ? L
        : never
    : never;

/**
 * @internal The keys of `K` that are not among `Ids` (nor paired with one by `Pairs`), compared in
 * {@link KeyForm}.
 */
export type MissingKeys<K extends string, Ids extends string, Pairs extends LabelPair = never> = K extends unknown
  ? KeyForm<K> extends KeyForm<Ids | PairedKeys<Ids, Pairs>>
    ? never
    : K
  : never;

/**
 * @internal The literal resource id of a use (a handle, or a file with one) when its handle is
 * labelled, else `string`. Looked at only once the use's key is not on the pool.
 */
export type LabelledIdOf<Use> = Use extends UserAssignedIdentity<string, infer I>
  ? I
  : Use extends { readonly identity?: UserAssignedIdentity<string, infer I> }
    ? I
    : string;

/**
 * @internal The key `K` of a use when the pool view `C` has no such identity, else `never`: a labelled
 * handle is on the pool by its label or by its literal id (the guards compare ids, not keys).
 */
export type UnattachedKey<K extends string, Use, C extends PoolView> = [MissingKeys<K, C["ids"], C["labels"]>] extends [never]
  ? never
  : string extends LabelledIdOf<Use>
    ? K
    : [MissingKeys<LabelledIdOf<Use>, C["ids"], C["labels"]>] extends [never]
      ? never
      : K;

/** @internal The error for a use of identity `K` on pool view `C`, or `Ok` when it is fine. */
// The pool's identities are looked at first: when the pool's type is an error (a misspelt method
// upstream), `[K] extends [error]` holds, so TypeScript's own error is the only one reported.
// `Ok` is the use itself (a handle, or a file with one): its literal id is read from it when needed.
export type IdentityUse<K extends string, C extends PoolView, Ok> = [K] extends [never]
  ? Ok
  : [K] extends [C["ids"]]
    ? Ok
    : [C["autoPoolJob"]] extends [never]
      ? [UnattachedKey<K, Ok, C>] extends [never]
        ? Ok
        : IdentityNotInPoolError<UnattachedKey<K, Ok, C>, C["pool"]>
      : AutoPoolIdentityReferenceError<K, C["autoPoolJob"]>;

/**
 * @internal `Ok`, or the error when label `K` is given, among `Pairs`, to a literal id other than `I`
 * (the compile-time `IDENTITY_LABEL_CONFLICT`).
 */
export type LabelUse<K extends string, I extends string, Pairs extends LabelPair, Ok> = [ConflictingIds<K, I, Pairs>] extends [never]
  ? Ok
  : IdentityLabelConflictError<K, ConflictingIds<K, I, Pairs>, I>;

/**
 * @internal The handles of a `withIdentities(...)` call, each replaced by the error when its label
 * names another literal id in the same call or among `Pairs` (what the pool already has or uses).
 * A call without labelled literal ids is passed through with one check.
 */
// No `NoInfer` around the mapped tuple: the argument list is then checked element by element, so the
// error lands on the offending handle (at about 550 instantiations per program, for inferring `L`
// through the mapped type as well).
// `[unknown] extends [Pairs]`: the pool's type is already an error upstream (as in {@link Checked}).
export type LabelsChecked<L extends readonly UserAssignedIdentity[], Pairs extends LabelPair> = [LabelPairsOfList<L>] extends [never]
  ? L
  : [unknown] extends [Pairs]
    ? L
    : { readonly [I in keyof L]: LabelUse<L[I]["key"], L[I]["resourceId"], Pairs | LabelPairsOfList<L>, L[I]> };

/** @internal The properties of the builders' inputs under which a handle can sit (`identity` on a registry or mount); test/rules/handle-carriers.test.ts derives them from the input types. */
export type HandleCarrier = "identity" | "registry" | "resourceFiles" | "outputFiles" | "containerSettings" | "commonResourceFiles";

/**
 * @internal The label pairs an input mentions. Only the properties that can carry a handle are
 * walked: this runs on every identity-bearing call, also while TypeScript infers the input (when it
 * is the whole SDK-derived input type).
 */
export type LabelPairsIn<T> = T extends UserAssignedIdentity
  ? LabelPairsOf<T>
  : T extends UrlFile<infer K, infer I> | ContainerOutputFile<infer K, infer I>
    ? LabelPairsOf<UserAssignedIdentity<K, I>>
    : T extends readonly (infer E)[]
      ? LabelPairsIn<E>
      : T extends object
        ? LabelPairsIn<T[Extract<keyof T, HandleCarrier>]>
        : never;

/**
 * @internal The error for something nodes read from autostorage on pool view `C` (they use the
 * account's node identity, which must then be attached to the pool), or `Ok`.
 */
export type AutoStorageUse<C extends PoolView, Ok> = C["checkNode"] extends false
  ? Ok
  : C["mode"] extends "BatchAccountManagedIdentity"
    ? [C["node"]] extends [never]
      ? NodeIdentityReferenceMissingError<C["pool"], C["account"]>
      : [MissingKeys<C["node"], C["ids"], C["labels"]>] extends [never]
        ? Ok
        : NodeIdentityNotInPoolError<C["node"], C["pool"]>
    : Ok;

/** @internal `T` with every offending identity use replaced by its error text. */
export type WithErrors<T, C extends PoolView> = T extends UserAssignedIdentity<infer K>
  ? IdentityUse<K, C, T>
  : T extends AutoStorageResourceFile
    ? AutoStorageUse<C, T>
    : T extends UrlFile<infer K> | ContainerOutputFile<infer K>
      ? IdentityUse<K, C, T>
      : T extends readonly unknown[]
        ? { [I in keyof T]: WithErrors<T[I], C> }
        : T extends object
          ? { [P in keyof T]: P extends "applicationPackageReferences" ? AutoStorageUse<C, T[P]> : WithErrors<T[P], C> }
          : T;

/**
 * @internal The label pairs of a builder method's input; none for `any`, which is how TypeScript reads
 * a generic method's type parameter when it compares two builder types.
 */
export type PairsOfInput<T> = 0 extends 1 & T ? never : LabelPairsIn<T>;

/**
 * @internal A builder's own label pairs with those of a call added, except pairs the pool view already
 * has (a use of the pool's own labelled handle adds nothing: the builder's type, and every check on
 * it, stays the one all the job's tasks share). None on the widest view (any pairs, or an error
 * upstream), which the implementation is checked against. `build` compares them with each other (a
 * conflict with the pool's was reported at the call, and is not compared again).
 */
export type AddedOwnPairs<C extends PoolView, Own extends LabelPair, New extends LabelPair> = LabelPair extends C["labels"]
  ? never
  : Own | Exclude<New, C["labels"]>;

/**
 * @internal The pairs of `New` that do not conflict with `Old`: a conflict with what a builder
 * already has is reported at the call that makes it, and remembering it would report it again.
 */
export type NewPairs<Old extends LabelPair, New extends LabelPair> = New extends readonly [infer K extends string, infer I extends string]
  ? [ConflictingIds<K, I, Old>] extends [never]
    ? New
    : never
  : never;

/**
 * @internal The parameter type of a builder method: the argument itself when every identity use in it is
 * fine, else the argument with the offending values replaced by the error text (so the error
 * lands on the value the user typed).
 */
// Label conflicts are looked for only on a view that has label pairs (rare), so the common case pays
// one check per call, not one per identity use. Two handles in one argument are compared by the
// builder's `build` ({@link LabelsConsistent}): doing it here would walk every argument, also while
// TypeScript infers it, which multiplied the cost of a pool or job program by two to three.
// `[unknown] extends [labels]`: the pool's type is already an error upstream (an account or pool that
// did not compile makes it `any`); TypeScript's own error is then the one to report.
export type Checked<T, C extends PoolView> = [T] extends [WithErrors<T, C>]
  ? [C["labels"]] extends [never]
    ? T
    : [unknown] extends [C["labels"]]
      ? T
      : [T] extends [WithLabelErrors<T, C["labels"]>]
        ? T
        : WithLabelErrors<T, C["labels"]>
  : WithErrors<T, C>;

/** @internal The label conflicts among `Pairs`: one error per label given two different literal ids. */
export type SelfConflicts<Pairs extends LabelPair, All extends LabelPair = Pairs> = Pairs extends readonly [infer K extends string, infer I extends string]
  ? [ConflictingIds<K, I, All>] extends [never]
    ? never
    : IdentityLabelConflictError<K, ConflictingIds<K, I, All>, I>
  : never;

/**
 * @internal The type of a builder's `build`: `Ok`, or the label-conflict error when two of the
 * builder's own uses give one label two literal ids where no call could see both: in one argument,
 * or (a task's own pairs being kept out of its pool view) in two calls of one task.
 */
export type LabelsConsistent<Pairs extends LabelPair, Ok> = [Pairs] extends [never]
  ? Ok
  : [unknown] extends [Pairs]
    ? Ok
    : [SelfConflicts<Pairs>] extends [never]
      ? Ok
      : SelfConflicts<Pairs>;

/** @internal `T` with every handle whose label names another literal id among `Pairs` replaced by the error text. */
export type WithLabelErrors<T, Pairs extends LabelPair> = T extends UserAssignedIdentity<infer K, infer I>
  ? LabelUse<K, I, Pairs, T>
  : T extends UrlFile<infer K, infer I> | ContainerOutputFile<infer K, infer I>
    ? LabelUse<K, I, Pairs, T>
    : T extends readonly unknown[]
      ? { readonly [I in keyof T]: WithLabelErrors<T[I], Pairs> }
      : T extends object
        ? { [P in keyof T]: WithLabelErrors<T[P], Pairs> }
        : T;
