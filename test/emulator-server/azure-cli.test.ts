// The Azure CLI (Debian's azure-cli 2.45) against `typed-batch emulator` started here as a child
// process, running the two sessions docs/emulator.md shows (examples/az/*.sh): data-plane commands
// with an account key showing article row 4's failure, and ARM commands through a registered cloud.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { announceSkip, azureCli, envFile, pythonAzure, required, run as runCommand } from "./support/clients.js";
import { call, root, startServer, type ServerProcess } from "./support/server-process.js";

const available = azureCli() && pythonAzure();
if (!available && !required) announceSkip("the Azure CLI suite (azure-cli, python3-azure)");

test("the Azure CLI is installed when CI requires it", () => {
  expect(available || !required).toBe(true);
});

describe.skipIf(!available)("az against typed-batch emulator", () => {
  let dir: string;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tb-emulator-az-"));
    server = await startServer(dir, ["--log-level", "debug"]);
    env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: dir, AZURE_CORE_COLLECT_TELEMETRY: "false", ...envFile(join(dir, "emulator.env")) };
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const session = (script: string) => runCommand("bash", [script], { cwd: root, env, timeoutMs: 180_000 });

  test("az batch with an account key: pool list, job create, task create with a resource file, task show with row 4's ResourceContainerListMiscError", async () => {
    const run = await session("examples/az/row4-session.sh");
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.status).toBe(0);
    const shown = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf('{\n  "failureInfo"'))) as { state: string; failureInfo: { code: string; message: string } };
    expect(shown.state).toBe("completed");
    expect(shown.failureInfo.code).toBe("ResourceContainerListMiscError");
    expect(shown.failureInfo.message).toBe("Miscellaneous error encountered while listing one of the specified Azure Blob container(s)");
    expect(run.stdout).toContain("standard_d2s_v3");
    // Every data-plane call az made was signed with Shared Key and accepted.
    expect(server.output()).toMatch(/POST \/batch\/clirow4\/jobs\/frames\/tasks 201/);
  });

  test("ARM commands through az cloud register (an /adfs authority) and az login --service-principal", async () => {
    const run = await session("examples/az/arm-session.sh");
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines).toContain("azcliacct");
    expect(lines).toContain("primary");
    expect(lines).toContain("from-aad");
    const c = server.connection();
    const log = (await call(c, "GET", `${c.controlEndpoint}/requests`)).json().requests as Array<{ path: string; status: number }>;
    expect(log.filter((r) => r.status >= 400)).toEqual([]);
    // The secret went to az as an argument, never into the server's output.
    expect(server.output()).not.toContain(readFileSync(join(dir, "emulator.json"), "utf8").match(/"clientSecret": "([^"]+)"/)?.[1] ?? "unreadable");
  });
});
