import type { TaskAddParameter } from "@azure/batch";

/**
 * The frozen wire payload a built task carries, so bulk submission can serialise it without the
 * defensive copy `toBatch()` makes for callers (one `structuredClone` per task is measurable at
 * 10^5 tasks).
 */
const payload = Symbol("typed-batch.taskPayload");

/** Attaches the frozen payload to a task spec (non-enumerable). */
export function withPayload<T extends object>(spec: T, batch: TaskAddParameter): T {
  Object.defineProperty(spec, payload, { value: batch });
  return spec;
}

/** The task's payload: the attached frozen one, else a `toBatch()` copy (specs from elsewhere). */
export function payloadOf(spec: { toBatch(): TaskAddParameter }): TaskAddParameter {
  return (spec as { [payload]?: TaskAddParameter })[payload] ?? spec.toBatch();
}

/** The payload `task(...).build()` attached (and guarded), or undefined for a spec made elsewhere. */
export function builtPayload(spec: object): TaskAddParameter | undefined {
  return (spec as { [payload]?: TaskAddParameter })[payload];
}
