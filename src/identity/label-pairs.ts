import type { UserAssignedIdentity } from "./user-assigned-identity.js";

/**
 * Compile-time twin of `labelsOf`'s `IDENTITY_LABEL_CONFLICT`: one label given to two different
 * literal resource ids. Accounts, pools, jobs, job schedules and tasks remember, for each labelled
 * identity whose id is a literal, the pair `[label, id]` (an account's pairs seed its pools', a
 * pool's seed its jobs' and tasks', as `labelsInScope` does at run time); a handle with the same
 * label and another id (compared case-insensitively, as ARM compares ids) does not compile where
 * they meet. Where an id is known only at run time, there is no pair and the run-time guard decides.
 */

/** @internal A labelled identity whose resource id is a literal: `[label, id as written]`. */
export type LabelPair = readonly [label: string, id: string];

/** @internal The label pairs of a union of handles (labelled handles with a literal id only). */
// Property lookups rather than `infer`: cheaper, and this runs on every `withIdentities` call.
// A handle typed with a wide key (`UserAssignedIdentity<string, Id>`) has no label the types know.
export type LabelPairsOf<H extends UserAssignedIdentity> = H extends unknown
  ? string extends H["resourceId"]
    ? never
    : string extends H["key"]
      ? never
      : H["key"] extends H["resourceId"]
        ? never
        : readonly [H["key"], H["resourceId"]]
  : never;

/**
 * @internal The literal ids of the labelled handles of a union: a pool that attaches a labelled handle
 * has its id too (the guards compare ids), whatever else claims the label.
 */
export type LabelledIdsOf<H extends UserAssignedIdentity> = H extends unknown
  ? string extends H["resourceId"]
    ? never
    : H["key"] extends H["resourceId"]
      ? never
      : H["resourceId"]
  : never;

/** @internal The label pairs of a list of handles. */
export type LabelPairsOfList<L extends readonly UserAssignedIdentity[]> = LabelPairsOf<L[number]>;

/** @internal The ids other than `I` that `Pairs` gives label `K`, compared case-insensitively (`never` when none). */
export type ConflictingIds<K extends string, I extends string, Pairs extends LabelPair> = string extends I
  ? never
  : Pairs extends readonly [K, infer Other extends string]
    ? Lowercase<Other> extends Lowercase<I>
      ? never
      : Other
    : never;
