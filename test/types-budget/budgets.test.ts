/**
 * Instantiation budgets (deterministic for a given TypeScript version): each representative happy
 * and error path must stay within its committed budget (measured plus headroom), so a type-level
 * regression fails `npm test`. Also the goals that counts can decide: an error path
 * costs at most 5x its happy path, and the cost per task and per identity stays flat.
 *
 * After an intended change: `UPDATE_TYPE_BUDGETS=1 npx vitest run test/types-budget` rewrites
 * budgets.json (measured × headroom); commit it with the change and say why in the message.
 * Programs are checked against dist/index.d.ts (vitest's global setup builds it).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { fixtures, tasksProgram } from "./fixtures.js";
import { measure, repoRoot } from "./measure.js";

interface BudgetFile {
  readonly typescript: string;
  readonly headroom: number;
  readonly budgets: Record<string, number>;
}

const file = join(repoRoot, "test/types-budget/budgets.json");
const stored = JSON.parse(readFileSync(file, "utf8")) as BudgetFile;
const updating = process.env.UPDATE_TYPE_BUDGETS === "1";
const measured: Record<string, number> = {};

function withinBudget(key: string, value: number): void {
  measured[key] = value;
  if (updating) return;
  const budget = stored.budgets[key];
  expect(budget, `no budget for "${key}": run UPDATE_TYPE_BUDGETS=1 npx vitest run test/types-budget`).toBeTypeOf("number");
  expect(value, `"${key}": ${value} instantiations, budget ${budget}`).toBeLessThanOrEqual(budget!);
}

describe(`type instantiation budgets (TypeScript ${ts.versionMajorMinor})`, () => {
  test("budgets were measured with this TypeScript", () => {
    expect(stored.typescript, `budgets.json is for TypeScript ${stored.typescript}; re-measure with UPDATE_TYPE_BUDGETS=1`).toBe(ts.versionMajorMinor);
  });

  for (const fixture of fixtures) {
    test(fixture.name, () => {
      const happy = measure(fixture.happy);
      expect(happy.errors).toEqual([]);
      withinBudget(`${fixture.name} / happy`, happy.instantiations);
      if (fixture.error === undefined) return;
      const error = measure(fixture.error.body);
      expect(error.errors).toHaveLength(fixture.error.errors);
      for (const text of error.errors) expect(text).toContain("typed-batch: ");
      withinBudget(`${fixture.name} / error`, error.instantiations);
      // Goal: an error path costs at most 5x its happy path.
      expect(error.instantiations, `error path ${error.instantiations} vs happy ${happy.instantiations}`).toBeLessThanOrEqual(5 * Math.max(happy.instantiations, 100));
    });
  }

  test("cost per task is flat (distinct task ids share the builder's method types)", () => {
    const [a, b] = [measure(tasksProgram(8, 20)), measure(tasksProgram(8, 60))];
    expect(b.errors).toEqual([]);
    withinBudget("per task, marginal", Math.ceil((b.instantiations - a.instantiations) / 40));
  });

  test("cost per task stays flat with labelled handles (each task's own label pairs)", () => {
    const [a, b] = [measure(tasksProgram(64, 20, undefined, true)), measure(tasksProgram(64, 40, undefined, true))];
    expect(b.errors).toEqual([]);
    withinBudget("per task, labelled, marginal", Math.ceil((b.instantiations - a.instantiations) / 20));
  });

  test("cost per identity is flat (no faster than linear in the pool's identities)", () => {
    const [i8, i32, i64] = [8, 32, 64].map((n) => measure(tasksProgram(n, 20)).instantiations) as [number, number, number];
    const early = (i32 - i8) / 24;
    const late = (i64 - i32) / 32;
    withinBudget("per identity, marginal", Math.ceil(late));
    // Linear or better: the cost of the 33rd-64th identities is no more than that of the 9th-32nd (+25%).
    expect(late, `per identity: ${early.toFixed(1)} (8→32) then ${late.toFixed(1)} (32→64)`).toBeLessThanOrEqual(1.25 * early + 5);
  });

  test.runIf(updating)("write budgets.json", () => {
    const headroom = stored.headroom;
    const budgets = Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, Math.ceil((v * headroom) / 10) * 10]));
    writeFileSync(file, JSON.stringify({ typescript: ts.versionMajorMinor, headroom, budgets }, null, 2) + "\n");
  });
});
