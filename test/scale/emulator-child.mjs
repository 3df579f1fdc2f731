// The emulator in its own process (from the compiled dist/), so the client's heap is measured alone.
// argv: seed accountName. Prints one JSON line of client configuration, then answers one JSON line
// per command line on stdin: {"faults": FaultOptions|null} -> {"ok":true};
// {"stats": true} -> {"statuses": {status: count}} for addtaskcollection requests. Stops when stdin ends.
import { createInterface } from "node:readline";
import { startEmulator } from "../../dist/testing/index.js";

const seed = Number(process.argv[2] ?? 1);
const accountName = process.argv[3] ?? "scale";
const em = await startEmulator({ seed, batchAccounts: [accountName] });
const config = em.clientConfigFor(accountName);
process.stdout.write(`${JSON.stringify({ ...config, credential: undefined, tenantId: em.tenantId, principalId: em.principalId, location: em.location })}\n`);
let posts = new Map();
const countPosts = () => {
  // The request log is only read here, then cleared, so it stays small over 100k tasks.
  for (const r of em.requests) if (r.method === "POST" && r.path.endsWith("/addtaskcollection")) posts.set(r.status, (posts.get(r.status) ?? 0) + 1);
  em.requests.clear();
};
const timer = setInterval(countPosts, 200);
for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line);
  if ("faults" in cmd) {
    em.setFaults(cmd.faults ?? undefined);
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } else if ("stats" in cmd) {
    countPosts();
    process.stdout.write(`${JSON.stringify({ statuses: Object.fromEntries(posts) })}\n`);
  }
}
clearInterval(timer);
await em.stop();
process.exit(0);
