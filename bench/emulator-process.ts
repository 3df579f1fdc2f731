/**
 * Runs the emulator in its own process for benchmarks, so the client under test does not share
 * its event loop. Prints one JSON line with what a client needs, then serves until stdin closes.
 */
import { startEmulator } from "typed-batch/testing";

const latencyMs = Number(process.argv[2] ?? 0);
const accountName = process.argv[3] ?? "bench";
const emulator = await startEmulator({ latencyMs, batchAccounts: [accountName] });
const config = emulator.clientConfigFor(accountName);
process.stdout.write(
  `${JSON.stringify({
    subscriptionId: config.subscriptionId,
    resourceGroup: config.resourceGroup,
    accountName: config.accountName,
    accountEndpoint: config.accountEndpoint,
    managementEndpoint: config.managementEndpoint,
    tlsCa: config.tlsCa,
    tenantId: emulator.tenantId,
    principalId: emulator.principalId,
    location: emulator.location,
  })}\n`,
);
process.stdin.resume();
process.stdin.on("end", () => void emulator.stop().then(() => process.exit(0)));
