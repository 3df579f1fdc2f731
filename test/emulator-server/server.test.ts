// `typed-batch emulator` as a child process, as a user runs it: connection files, the Entra-shaped
// token endpoint, the control endpoint, state across SIGTERM and SIGKILL, and no secret printed.
import http from "node:http";
import https from "node:https";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { BatchManagementClient } from "@azure/arm-batch";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, root, startServer, token, type Connection, type ServerProcess } from "./support/server-process.js";

const dirs: string[] = [];
const servers: ServerProcess[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "tb-emulator-test-"));
  dirs.push(dir);
  return dir;
};
const start = async (dir: string, args: string[] = []): Promise<ServerProcess> => {
  const server = await startServer(dir, args);
  servers.push(server);
  return server;
};
afterAll(async () => {
  for (const s of servers) await s.stop("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A TokenCredential that asks the server's token endpoint, as MSAL would. */
function endpointCredential(c: Connection): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? (scopes[0] ?? "") : scopes;
      const r = await token(c, scope);
      if (r.status !== 200) throw new Error(`token endpoint: ${r.status} ${JSON.stringify(r.body)}`);
      return { token: String(r.body.access_token), expiresOnTimestamp: Date.now() + Number(r.body.expires_in) * 1000 };
    },
  };
}
const armOf = (c: Connection): BatchManagementClient =>
  new BatchManagementClient(endpointCredential(c), c.subscriptionId, {
    endpoint: c.armEndpoint,
    credentialScopes: ["https://management.azure.com/.default"],
    tlsOptions: { ca: readFileSync(c.caCertPath, "utf8") },
  });
const batchOf = (c: Connection, account: string, key: string): BatchServiceClient =>
  new BatchServiceClient(new BatchSharedKeyCredentials(account, key), c.batchAccounts[account] ?? "", {
    agentSettings: { http: new http.Agent(), https: new https.Agent({ ca: readFileSync(c.caCertPath, "utf8") }) },
  });

/** The variable names docs/emulator.md documents for emulator.env (its table). */
function documentedVariables(): string[] {
  const doc = readFileSync(join(root, "docs/emulator.md"), "utf8");
  const section = doc.split(/^## /m).find((s) => s.startsWith("The connection files")) ?? "";
  return [...section.matchAll(/^\| `([A-Z_]+)(?:<NAME>)?` \|/gm)].map((m) => m[1] ?? "");
}

describe("typed-batch emulator", () => {
  let dir: string;
  let server: ServerProcess;
  let c: Connection;
  beforeAll(async () => {
    dir = freshDir();
    server = await start(dir, ["--log-level", "debug"]);
    c = server.connection();
  });

  test("prints the endpoints, writes emulator.env and emulator.json with mode 0600, env holding only the documented variables", () => {
    const out = server.output();
    expect(out).toContain(`listening on ${c.url}`);
    expect(out).toContain(c.tokenEndpoint);
    expect(out).toContain(c.caCertPath);
    expect(out).toContain(`AZURE_CLIENT_SECRET in ${dir}/emulator.env`);
    expect(statSync(join(dir, "emulator.env")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "emulator.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "state.json")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const env = readFileSync(join(dir, "emulator.env"), "utf8");
    const names = env.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.slice(0, l.indexOf("=")));
    const documented = documentedVariables();
    expect(documented.length).toBeGreaterThan(10);
    expect(names.filter((n) => !documented.includes(n))).toEqual([]);
    expect(env).toContain(`AZURE_CLIENT_SECRET='${c.clientSecret}'`);
    expect(env).toContain(`REQUESTS_CA_BUNDLE='${c.caCertPath}'`);
  });

  test("the discovery document names the token endpoint; client credentials give tokens whose audience each plane checks", async () => {
    const discovery = await call(c, "GET", `${c.authorityHost}/${c.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(discovery.json().token_endpoint).toBe(c.tokenEndpoint);
    const arm = await token(c, "https://management.azure.com/.default");
    expect(arm.status).toBe(200);
    expect(arm.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const claims = JSON.parse(Buffer.from(String(arm.body.access_token).split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(claims).toMatchObject({ aud: "https://management.azure.com", oid: c.principalId, appid: c.clientId, tid: c.tenantId });
    const accounts = `${c.armEndpoint}/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Batch/batchAccounts?api-version=2024-07-01`;
    expect((await call(c, "GET", accounts, { headers: { authorization: `Bearer ${arm.body.access_token}` } })).status).toBe(200);
    // A Batch token is refused by ARM: the audience is checked, not just the signature's shape.
    const batch = await token(c, "https://batch.core.windows.net//.default");
    const refused = await call(c, "GET", accounts, { headers: { authorization: `Bearer ${batch.body.access_token}` } });
    expect(refused.status).toBe(401);
    expect(refused.json().error.code).toBe("InvalidAuthenticationTokenAudience");
  });

  test("the token endpoint refuses a wrong secret, an unknown client, a wrong tenant and a scope without /.default, as Entra does", async () => {
    const wrong = await token(c, "https://management.azure.com/.default", "not-the-secret");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const form = (fields: Record<string, string>) => ({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
    const unknown = await call(c, "POST", c.tokenEndpoint, form({ grant_type: "client_credentials", client_id: "00000000-0000-4000-8000-000000000000", client_secret: "x", scope: "https://management.azure.com/.default" }));
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    const tenant = await call(c, "POST", c.tokenEndpoint.replace(c.tenantId, "contoso.onmicrosoft.com"), form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "https://management.azure.com/.default" }));
    expect(tenant.json()).toMatchObject({ error: "invalid_request", error_codes: [90002] });
    const scope = await call(c, "POST", c.tokenEndpoint, form({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret, scope: "https://management.azure.com/user_impersonation" }));
    expect(scope.json()).toMatchObject({ error: "invalid_scope" });
  });

  test("the control endpoint seeds and reads blobs, moves simulated time and sets faults", async () => {
    const put = await call(c, "PUT", `${c.controlEndpoint}/blobs/store1/inputs/scene/frame.txt`, { body: "frame data" });
    expect(put.status).toBe(200);
    expect((await call(c, "GET", `${c.controlEndpoint}/blobs/store1/inputs`)).json()).toEqual({ blobs: ["scene/frame.txt"] });
    expect((await call(c, "GET", `${c.controlEndpoint}/blobs/store1/inputs/scene/frame.txt`)).text).toBe("frame data");
    const before = Date.parse((await call(c, "GET", c.controlEndpoint)).json().now);
    const after = (await call(c, "POST", `${c.controlEndpoint}/time/advance`, { body: JSON.stringify({ ms: 60_000 }) })).json();
    expect(Date.parse(after.now) - before).toBe(60_000);
    expect((await call(c, "PUT", `${c.controlEndpoint}/faults`, { body: JSON.stringify({ rate: 2 }) })).status).toBe(400);
    expect((await call(c, "PUT", `${c.controlEndpoint}/faults`, { body: JSON.stringify({ rate: 1, kinds: ["503"], planes: ["arm"] }) })).status).toBe(200);
    const arm = await token(c, "https://management.azure.com/.default");
    const faulted = await call(c, "GET", `${c.armEndpoint}/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Batch/batchAccounts?api-version=2024-07-01`, { headers: { authorization: `Bearer ${arm.body.access_token}` } });
    expect(faulted.status).toBe(503);
    expect((await call(c, "PUT", `${c.controlEndpoint}/faults`, { body: JSON.stringify({ rate: 0 }) })).status).toBe(200);
  });
});

describe("state across restarts", () => {
  test("SIGTERM stops cleanly (exit 0) and a restart on the same directory keeps accounts, keys, jobs, blobs and ports", async () => {
    const dir = freshDir();
    const first = await start(dir);
    const c = first.connection();
    const arm = armOf(c);
    await arm.batchAccountOperations.beginCreateAndWait(c.resourceGroup, "kept", { location: c.location });
    const keys = await arm.batchAccountOperations.getKeys(c.resourceGroup, "kept");
    const withAccount = first.connection();
    await batchOf(withAccount, "kept", keys.primary ?? "").job.add({ id: "job-1", poolInfo: { poolId: "p" } });
    await call(c, "PUT", `${c.controlEndpoint}/blobs/keptstore/data/a.txt`, { body: "kept" });
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(first.output()).toContain("stopped (SIGTERM)");

    const second = await start(dir);
    const again = second.connection();
    expect(again.url).toBe(c.url);
    expect(again.clientSecret).toBe(c.clientSecret);
    expect(again.batchAccounts).toEqual(withAccount.batchAccounts);
    const jobs = await batchOf(again, "kept", keys.primary ?? "").job.list();
    expect(jobs.map((j) => j.id)).toEqual(["job-1"]);
    expect((await call(again, "GET", `${again.controlEndpoint}/blobs/keptstore/data/a.txt`)).text).toBe("kept");
    await second.stop("SIGINT");
    expect(second.output()).toContain("stopped (SIGINT)");
  });

  test("a SIGKILL between requests loses nothing that was answered", async () => {
    const dir = freshDir();
    const first = await start(dir);
    const c = first.connection();
    const arm = armOf(c);
    await arm.batchAccountOperations.beginCreateAndWait(c.resourceGroup, "killed", { location: c.location });
    const keys = await arm.batchAccountOperations.getKeys(c.resourceGroup, "killed");
    const batch = batchOf(first.connection(), "killed", keys.primary ?? "");
    for (let i = 1; i <= 5; i++) await batch.job.add({ id: `job-${i}`, poolInfo: { poolId: "p" } });
    expect(await first.stop("SIGKILL")).toBe("SIGKILL");

    const second = await start(dir);
    const jobs = await batchOf(second.connection(), "killed", keys.primary ?? "").job.list();
    expect(jobs.map((j) => j.id).sort()).toEqual(["job-1", "job-2", "job-3", "job-4", "job-5"]);
    await second.stop();
  });
});

describe("no secret is printed", () => {
  test.each(["debug", "info", "quiet"])("at log level %s, a session with tokens, account keys and Shared Key requests prints none of them", async (level) => {
    const dir = freshDir();
    const server = await start(dir, ["--log-level", level]);
    const c = server.connection();
    const arm = armOf(c);
    await arm.batchAccountOperations.beginCreateAndWait(c.resourceGroup, "quiet", { location: c.location });
    const keys = await arm.batchAccountOperations.getKeys(c.resourceGroup, "quiet");
    const batch = batchOf(server.connection(), "quiet", keys.primary ?? "");
    await batch.job.add({ id: "j", poolInfo: { poolId: "p" } });
    await token(c, "https://management.azure.com/.default", "wrong-secret");
    const issued = await token(c, "https://batch.core.windows.net//.default");
    await server.stop("SIGTERM");
    const out = server.output();
    if (level === "debug") expect(out).toContain("POST /batch/quiet/jobs 201"); // request lines were printed
    for (const secret of [c.clientSecret, keys.primary ?? "", keys.secondary ?? "", String(issued.body.access_token)]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(out).not.toContain(secret);
    }
  });
});

describe("--host", () => {
  test("binds the given address, advertises it in the connection files, and the certificate names it", async () => {
    const server = await start(freshDir(), ["--host", "127.0.0.2"]);
    const c = server.connection();
    expect(c.url).toMatch(/^https:\/\/127\.0\.0\.2:\d+$/);
    // TLS verification on: the certificate must name 127.0.0.2.
    expect((await call(c, "GET", c.controlEndpoint)).status).toBe(200);
    await expect(call(c, "GET", c.controlEndpoint.replace("127.0.0.2", "127.0.0.1"))).rejects.toThrow(/ECONNREFUSED/);
    await server.stop();
  });
});

describe("refusals at start", () => {
  test("a bad option value and an unreadable state file stop the command with exit 2 and a message", async () => {
    const { spawnSync } = await import("node:child_process");
    const { writeFileSync } = await import("node:fs");
    const bin = join(root, "dist/cli/main.js");
    const port = spawnSync(process.execPath, [bin, "emulator", "--port", "http"], { encoding: "utf8" });
    expect(port.status).toBe(2);
    expect(port.stderr).toContain("--port must be an integer");
    const dir = freshDir();
    writeFileSync(join(dir, "state.json"), "{ not json");
    const broken = spawnSync(process.execPath, [bin, "emulator", "--state-dir", dir], { encoding: "utf8", timeout: 20_000 });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("typed-batch emulator: cannot start:");
  });
});
