// Starts `typed-batch emulator` (dist/cli/main.js) as a child process, as a user would, and reads
// the connection file it writes.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ConnectionInfo } from "../../../src/testing/standalone/connection-files.js";

export const bin = fileURLToPath(new URL("../../../dist/cli/main.js", import.meta.url));
export const root = fileURLToPath(new URL("../../../", import.meta.url));

/** What `emulator.json` holds: the server's connection facts plus the client secret it writes beside them. */
export type Connection = ConnectionInfo & { clientSecret: string };

export interface ServerProcess {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Milliseconds from spawn to the "listening" line. */
  readyMs: number;
  connection(): Connection;
  /** Sends a signal and waits for the exit; resolves to the exit code (or the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export async function startServer(stateDir: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, "emulator", "--state-dir", stateDir, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 20 s:\n${out}`)), 20_000);
    const check = (): void => {
      if (/started in\s+\d+ ms/.test(out)) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    // --log-level quiet prints no ready line: the connection file naming this process is the sign.
    const quiet = args.includes("quiet");
    const poll = setInterval(() => {
      if (!quiet) return;
      try {
        if ((JSON.parse(readFileSync(`${stateDir}/emulator.json`, "utf8")) as Connection).pid === child.pid) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      } catch {
        // not written yet
      }
    }, 50);
    void exited.then(() => clearInterval(poll));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${out}`));
    });
  });
  const readyMs = performance.now() - started;
  return {
    child,
    output: () => out,
    readyMs,
    connection: () => JSON.parse(readFileSync(`${stateDir}/emulator.json`, "utf8")) as Connection,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode ?? "?";
      child.kill(signal);
      return exited;
    },
  };
}

/** An HTTPS request trusting the emulator's CA. */
export async function call(
  c: Pick<Connection, "caCertPath">,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; text: string; json(): any }> {
  const { request } = await import("node:https");
  const ca = readFileSync(c.caCertPath, "utf8");
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A client-credentials token from the emulator's token endpoint. */
export async function token(c: Connection, scope: string, secret = c.clientSecret): Promise<{ status: number; body: any }> {
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: c.clientId, client_secret: secret, scope }).toString();
  const r = await call(c, "POST", c.tokenEndpoint, { headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return { status: r.status, body: r.json() };
}
