/**
 * Each builder's implementation is a class checked against its public interface (`implements`),
 * and the factory's only conversion is a plain `as` that TypeScript checks for overlap: no builder
 * escapes the compiler's check through `unknown`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";

const root = join(import.meta.dirname, "../..");

function builderFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? builderFiles(join(dir, e.name)) : e.name.endsWith("-builder.ts") ? [join(dir, e.name)] : [],
  );
}

test("every builder implements its interface, and none converts through unknown", () => {
  const files = builderFiles(join(root, "src"));
  expect(files.map((f) => relative(root, f)).sort()).toEqual([
    "src/account/account-builder.ts", "src/job-schedule/job-schedule-builder.ts", "src/job/job-builder.ts", "src/pool/pool-builder.ts", "src/task/task-builder.ts",
  ]);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    expect(text, relative(root, file)).toMatch(/class \w+BuilderImpl\b[^{]* implements \w+/);
    expect(text, relative(root, file)).not.toMatch(/as unknown as/);
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

test("no shipped source converts through unknown (a value checked at run time is narrowed by a guard instead)", () => {
  const offenders = sourceFiles(join(root, "src")).filter((f) => /as unknown as/.test(readFileSync(f, "utf8")));
  expect(offenders.map((f) => relative(root, f))).toEqual([]);
});
