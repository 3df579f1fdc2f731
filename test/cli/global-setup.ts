import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * vitest globalSetup for the CLI tests: compiles src → dist once with the project's TypeScript
 * (not `npx tsc`, which may resolve to another major), so the tests can spawn `dist/cli/main.js`.
 * Type errors elsewhere in src do not stop the run (tsc still emits); errors in the CLI's own
 * files, or no emitted bin, do.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export default function setup(): void {
  const started = Date.now();
  const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  const output = `${tsc.stdout}${tsc.stderr}`;
  const ours = output.split("\n").filter((line) => /^src\/(cli|diagnose|rules|errors)\//.test(line));
  if (ours.length > 0) throw new Error(`tsc reported errors in files the CLI compiles from:\n${ours.join("\n")}`);
  if (!existsSync(bin) || statSync(bin).mtimeMs < started - 1000) throw new Error(`tsc did not emit ${bin}:\n${output}`);
}
