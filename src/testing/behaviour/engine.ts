/**
 * Drives all state machines from the simulated clock: `advance` moves time in
 * one-second steps, `settle` advances until nothing can change any more.
 */
import type { Env } from "../env.js";
import { hasDueSchedules, stepJobSchedules } from "../batch/job-schedules.js";
import { stepNode } from "./node-lifecycle.js";
import { poolCanRun, stepTasks } from "./task-runner.js";

const STEP_MS = 1_000;

/** Runs every machine once at the current time. @internal */
export function stepAll(env: Env): void {
  for (const account of env.world.accounts.values()) {
    for (const pool of account.pools.values()) for (const node of pool.nodes.values()) stepNode(env, account, pool, node);
    stepJobSchedules(env, account);
    stepTasks(env, account);
  }
}

/** Moves simulated time forward by `ms`, running the machines along the way. @internal */
export function advance(env: Env, ms: number): void {
  const clock = env.world.clock;
  const target = clock.now() + Math.max(0, ms);
  stepAll(env);
  while (clock.now() < target) {
    clock.set(Math.min(target, clock.now() + STEP_MS));
    stepAll(env);
  }
}

/**
 * True when no node or task can change without outside action: nodes are
 * idle, unusable, start-task-failed or stuck joining; tasks are completed or
 * waiting for a pool that has no usable node.
 * @internal
 */
export function isSteady(env: Env): boolean {
  for (const account of env.world.accounts.values()) {
    // A schedule's first job still to come (later recurrences would keep time moving forever).
    if (hasDueSchedules(account)) return false;
    for (const pool of account.pools.values()) {
      for (const node of pool.nodes.values()) {
        if (node.phase === "creating" || node.phase === "starting" || node.phase === "starttask") return false;
        if (node.runningTask !== undefined) return false;
      }
    }
    for (const job of account.jobs.values()) {
      const pool = job.poolId !== undefined ? account.pools.get(job.poolId.toLowerCase()) : undefined;
      for (const task of job.tasks.values()) {
        if (task.state === "running" || task.state === "preparing") return false;
        if (task.state === "active" && job.state === "active" && poolCanRun(pool, job)) return false;
      }
    }
  }
  return true;
}

/** Advances until steady, at most `limitMs` of simulated time. Returns the time advanced. @internal */
export function settle(env: Env, limitMs = 6 * 3600_000): number {
  const clock = env.world.clock;
  const start = clock.now();
  stepAll(env);
  while (!isSteady(env) && clock.now() - start < limitMs) advance(env, STEP_MS);
  return clock.now() - start;
}
