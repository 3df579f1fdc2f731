// docs/emulator.md shows the example sessions verbatim (so a copy-paste runs what CI runs), and the
// Node session runs against a server started here.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { envFile, run } from "./support/clients.js";
import { root, startServer, type ServerProcess } from "./support/server-process.js";

const doc = readFileSync(join(root, "docs/emulator.md"), "utf8");
/** What the guide shows of a session: a script after its `set -euo pipefail`, a module without its header comment. */
const code = (path: string): string => {
  const text = readFileSync(join(root, path), "utf8");
  if (path.endsWith(".sh")) return (text.split("set -euo pipefail\n")[1] ?? "").trim();
  return text
    .split("\n")
    .filter((line) => !line.startsWith("//"))
    .join("\n")
    .trim();
};

test.each(["examples/az/row4-session.sh", "examples/az/arm-session.sh", "examples/node/emulator-session.mjs"])("docs/emulator.md shows %s as it is", (path) => {
  expect(doc).toContain(code(path));
});

// The generated client secret is base64url: one in 64 begins with "-", which az reads as an option
// when it stands alone after -p ("argument --password/-p: expected one argument").
test("the guide and the examples hand az the secret as --password=..., never as a separate argument", () => {
  const separate = /(?:^|\s)(?:-p|--password)\s+"?\$/m;
  for (const text of [doc, readFileSync(join(root, "examples/az/arm-session.sh"), "utf8"), readFileSync(join(root, "examples/az/row4-session.sh"), "utf8")]) {
    expect(text).not.toMatch(separate);
  }
  expect(doc).toContain('--password="$AZURE_CLIENT_SECRET"');
});

let dir: string;
let server: ServerProcess;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tb-emulator-node-"));
  server = await startServer(dir);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the Node session (ClientSecretCredential on the token endpoint, @azure/arm-batch, typed-batch's client) runs in another process", async () => {
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...envFile(join(dir, "emulator.env")) };
  const result = await run(process.execPath, ["examples/node/emulator-session.mjs"], { cwd: root, env, timeoutMs: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/^account nodeacct at https:\/\/127\.0\.0\.1:\d+\njob frames created through typed-batch\npool render: (Resizing|Steady)\n$/);
});
