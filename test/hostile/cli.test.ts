// `typed-batch check` as a child process on hostile files and standard input: malformed JSON, byte
// order marks, NUL and invalid UTF-8 bytes, scalars, 100k-level nesting, 50 MB strings, 20,000
// identities, __proto__/constructor/prototype keys everywhere, and fast-check mutations of valid
// bundles. Never a crash (exit 0, 1 or 2 only), a hang (time bound per input), a stack trace, or a
// polluted prototype in the child (checked by a preloaded exit hook). test/cli/check.test.ts covers
// the fixture corpus and the documented unreadable cases; this extends it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { cliPath, stackLine } from "../cli/support/run-cli.js";
import { mutatedBundle, protoKeysEverywhere, validBundles } from "./mutate.js";

const dir = mkdtempSync(`${tmpdir()}/typed-batch-hostile-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reports prototype pollution in the child on its way out. */
const pollutionHook =
  "data:text/javascript," +
  encodeURIComponent(
    `process.on("exit", () => { for (const k of ["polluted", "identity", "poolId", "resourceId"]) if (({})[k] !== undefined || Object.prototype.hasOwnProperty(k)) process.stderr.write("POLLUTED " + k + "\\n"); });`,
  );

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  signal: NodeJS.Signals | null;
}

function check(args: string[], input = "", timeoutMs = 30_000): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [`--import=${pollutionHook}`, cliPath, "check", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 1024 * 1024 * 1024,
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms: performance.now() - t0, signal: r.signal };
}

function sane(run: Run, json: boolean): void {
  expect(run.signal, "killed by the time bound (a hang)").toBeNull();
  expect([0, 1, 2]).toContain(run.status);
  expect(run.stdout).not.toMatch(stackLine);
  expect(run.stderr).not.toMatch(stackLine);
  expect(run.stderr).not.toContain("POLLUTED");
  if (run.status === 2) expect(run.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
  if (json) {
    const parsed = JSON.parse(run.stdout) as { findings: unknown[] };
    expect(Object.keys(parsed)).toEqual(["findings"]);
    expect(Array.isArray(parsed.findings)).toBe(true);
  }
}

function file(name: string, content: string | Buffer): string {
  const path = `${dir}/${name}`;
  writeFileSync(path, content);
  return path;
}

test("the pollution probe reports pollution (so its silence means something)", () => {
  const r = spawnSync(process.execPath, [`--import=${pollutionHook}`, "-e", "Object.prototype.polluted = 1"], { encoding: "utf8" });
  expect(r.stderr).toContain("POLLUTED polluted");
});

describe("typed-batch check: hostile files", () => {
  const valid = JSON.stringify(validBundles[0]);
  const cases: Array<[string, string | Buffer, number[]]> = [
    ["unclosed-object", "{", [2]],
    ["unclosed-array", '{"pools":[1,2', [2]],
    ["missing-value", '{"pools":}', [2]],
    ["trailing-comma", '{"pools":[],}', [2]],
    ["two-boms", `\uFEFF\uFEFF${valid}`, [2]],
    ["bom-then-garbage", "\uFEFF}{", [2]],
    ["nul-bytes", Buffer.from([0x7b, 0x00, 0x00, 0x7d]), [2]],
    ["invalid-utf8", Buffer.concat([Buffer.from('{"pools":[{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}]}')]), [0, 1, 2]],
    ["whitespace-only", " \n\t ", [2]],
    ["literal-null", "null", [2]],
    ["number", "42", [2]],
    ["string", '"bundle"', [2]],
    ["lone-surrogate", '{"pools":[{"name":"\\ud800"}]}', [0, 1, 2]],
    ["numbers-for-strings", '{"pools":[{"name":1,"identity":{"type":7,"userAssignedIdentities":{"1":2}},"properties":{"startTask":{"resourceFiles":[{"httpUrl":5,"identityReference":{"resourceId":9}}]}}}]}', [1, 2]],
    ["arrays-for-objects", '{"account":[],"pools":[[]],"jobs":[{"id":[],"poolInfo":[],"tasks":[[[]]]}]}', [1, 2]],
    ["proto-keys-everywhere", protoKeysEverywhere(validBundles[0]), [0, 1]],
    ["huge-number", '{"pools":[{"name":1e999999,"identity":{"type":-0}}]}', [1, 2]],
  ];
  test.each(cases)("%s: an expected exit code, no stack trace, no pollution", (name, content, statuses) => {
    const path = file(`${name}.json`, content);
    for (const json of [false, true]) {
      const run = check(json ? [path, "--json"] : [path]);
      sane(run, json);
      expect(statuses).toContain(run.status);
    }
  });

  test("100,000 levels of nesting (objects and arrays): exit 1 or 2 in bounded time", () => {
    const depth = 100_000;
    for (const [name, text] of [
      ["deep-objects", `{"pools":[${'{"properties":'.repeat(depth)}{}${"}".repeat(depth)}]}`],
      ["deep-arrays", `{"jobs":${"[".repeat(depth)}${"]".repeat(depth)}}`],
      ["deep-unclosed", `{"pools":[${'{"a":['.repeat(depth)}`],
    ] as const) {
      const run = check([file(`${name}.json`, text), "--json"]);
      sane(run, true);
      expect(run.ms, name).toBeLessThan(20_000);
    }
  });

  test("a 50 MB string in a bundle: exit 1 in bounded time", () => {
    const huge = "x".repeat(50 * 1024 * 1024);
    const run = check([file("huge.json", JSON.stringify({ pools: [{ name: "p", properties: { startTask: { commandLine: huge, resourceFiles: [{ httpUrl: "https://a/b", filePath: "b", identityReference: { resourceId: "not-an-id" } }] } } }] })), "--json"], "", 60_000);
    sane(run, true);
    expect(run.status).toBe(1);
  });

  test("20,000 identities on a pool and as references: exit 1 in bounded time", () => {
    const id = (i: number) => `/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`;
    const ids = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [id(i), {}]));
    const tasks = Array.from({ length: 20_000 }, (_, i) => ({ id: `t${i}`, commandLine: "x", outputFiles: [{ filePattern: "*", destination: { container: { containerUrl: "https://a/c", identityReference: { resourceId: id(i + 10_000) } } } }] }));
    const run = check([file("many.json", JSON.stringify({ pools: [{ name: "p", identity: { type: "UserAssigned", userAssignedIdentities: ids } }], jobs: [{ id: "j", poolInfo: { poolId: "p" }, tasks }] })), "--json"]);
    sane(run, true);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toHaveLength(10_000);
    expect(run.ms).toBeLessThan(20_000);
  });
});

describe("typed-batch check: mutated bundles on standard input", () => {
  test("25 fast-check mutations of valid bundles (wrong types, nulls, prototype keys), as JSON text on stdin", () => {
    const samples = fc.sample(mutatedBundle, { seed: 94, numRuns: 25 });
    for (const bundle of samples) {
      // Own __proto__ keys survive JSON.stringify as data, like a hostile file would carry them.
      const run = check(["-", "--json"], JSON.stringify(bundle) ?? "null", 15_000);
      sane(run, true);
    }
  }, 120_000);
});
