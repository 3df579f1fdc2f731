// Whether Debian's Azure SDK for Python and Azure CLI are here, and what to do when they are not:
// `npm test` skips their suites with a printed reason; CI sets TYPED_BATCH_REQUIRE_PYTHON_AZURE=1
// (.ci/run installs them) and then a missing client is a failure, not a skip.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

export const PYTHON = "/usr/bin/python3";
export const required = process.env["TYPED_BATCH_REQUIRE_PYTHON_AZURE"] === "1";

export function pythonAzure(): boolean {
  const r = spawnSync(PYTHON, ["-c", "import azure.batch, azure.mgmt.batch, azure.mgmt.msi, azure.mgmt.authorization, azure.identity"], { encoding: "utf8" });
  return r.status === 0;
}

export function azureCli(): boolean {
  return spawnSync("az", ["version", "-o", "none"], { encoding: "utf8", env: { ...process.env, AZURE_CORE_COLLECT_TELEMETRY: "false" } }).status === 0;
}

/** Prints why a suite is skipped, once. */
export function announceSkip(what: string): void {
  console.warn(
    `\n[typed-batch] SKIPPED ${what}: not installed. Install with\n  apt-get install -y --no-install-recommends python3-azure azure-cli\n(CI installs them and sets TYPED_BATCH_REQUIRE_PYTHON_AZURE=1, which makes this suite mandatory.)\n`,
  );
}

/** The variables of an emulator.env, for a child process's environment. */
export function envFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([A-Z_0-9]+)='(.*)'$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return out;
}

/** Runs a command without blocking the event loop (the server child's output keeps flowing meanwhile). */
export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
