// The article's eight rows through Debian's Azure SDK for Python (azure-mgmt-batch, azure-batch,
// azure-mgmt-msi, azure-mgmt-authorization, azure-identity) against `typed-batch emulator` started
// here as a child process: examples/python/article_rows.py asserts each row as test/e2e does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { announceSkip, envFile, PYTHON, pythonAzure, required, run as runCommand } from "./support/clients.js";
import { call, root, startServer, type ServerProcess } from "./support/server-process.js";

const available = pythonAzure();
if (!available && !required) announceSkip("the Azure SDK for Python suite (python3-azure)");

test("the Azure SDK for Python is installed when CI requires it", () => {
  expect(available || !required).toBe(true);
});

describe.skipIf(!available)("Azure SDK for Python against typed-batch emulator", () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tb-emulator-python-"));
    server = await startServer(dir);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the eight rows come out as the article says, and the emulator refused no request the SDK sent", async () => {
    const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: dir, ...envFile(join(dir, "emulator.env")) };
    const run = await runCommand(PYTHON, ["examples/python/article_rows.py"], { cwd: root, env, timeoutMs: 120_000 });
    expect(`${run.stdout}${run.stderr}`).toContain("8 of 8 rows as the article says");
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("ok "))).toHaveLength(8);
    const c = server.connection();
    const log = (await call(c, "GET", `${c.controlEndpoint}/requests`)).json().requests as Array<{ method: string; path: string; status: number }>;
    expect(log.length).toBeGreaterThan(100);
    expect(log.filter((r) => r.status >= 400)).toEqual([]);
  });
});
