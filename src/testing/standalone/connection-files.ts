/**
 * What a client needs to reach a running `typed-batch emulator`, as `emulator.json` (for programs)
 * and `emulator.env` (for shells: `set -a; . ./emulator.env; set +a`). Both are written with mode
 * 0600 because they hold the client secret of the emulator's app registration. Nothing here is
 * ever printed: the console gets `describe()`, which names the secret's file instead of the secret.
 */
import type { ServicePrincipal } from "../auth/entra.js";
import { writeAtomic } from "./state-file.js";

/** The connection facts of a running server. @internal */
export interface ConnectionInfo {
  /** The emulator's HTTPS base URL: ARM at the root, Entra-shaped tokens under `/{tenant}`, control under `/_emulator`. */
  url: string;
  armEndpoint: string;
  authorityHost: string;
  tokenEndpoint: string;
  controlEndpoint: string;
  /** Blob endpoint pattern: replace `{storageAccount}`. */
  blobEndpoint: string;
  imdsEndpoint: string;
  caCertPath: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tenantId: string;
  clientId: string;
  /** Object id of the app registration's service principal (grant it roles). */
  principalId: string;
  /** Data-plane endpoint of each Batch account, by name. */
  batchAccounts: Record<string, string>;
  stateDir: string;
  persistent: boolean;
  pid: number;
}

/** Builds the facts. @internal */
export function connectionInfo(input: {
  url: string;
  imdsUrl: string;
  caCertPath: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tenantId: string;
  principal: ServicePrincipal;
  batchAccounts: Record<string, string>;
  stateDir: string;
  persistent: boolean;
}): ConnectionInfo {
  return {
    url: input.url,
    armEndpoint: input.url,
    authorityHost: input.url,
    tokenEndpoint: `${input.url}/${input.tenantId}/oauth2/v2.0/token`,
    controlEndpoint: `${input.url}/_emulator`,
    blobEndpoint: `${input.url}/blob/{storageAccount}`,
    imdsEndpoint: input.imdsUrl,
    caCertPath: input.caCertPath,
    subscriptionId: input.subscriptionId,
    resourceGroup: input.resourceGroup,
    location: input.location,
    tenantId: input.tenantId,
    clientId: input.principal.clientId,
    principalId: input.principal.principalId,
    batchAccounts: input.batchAccounts,
    stateDir: input.stateDir,
    persistent: input.persistent,
    pid: process.pid,
  };
}

const envName = (account: string): string => account.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/** The variables of `emulator.env`, in order. The secret is the only secret. @internal */
export function envVariables(info: ConnectionInfo, secret: string): Array<[string, string]> {
  return [
    ["TYPED_BATCH_EMULATOR_URL", info.url],
    ["TYPED_BATCH_EMULATOR_CONTROL", info.controlEndpoint],
    ["TYPED_BATCH_EMULATOR_STATE_DIR", info.stateDir],
    ["AZURE_AUTHORITY_HOST", info.authorityHost],
    ["AZURE_TENANT_ID", info.tenantId],
    ["AZURE_CLIENT_ID", info.clientId],
    ["AZURE_CLIENT_SECRET", secret],
    ["AZURE_SUBSCRIPTION_ID", info.subscriptionId],
    ["AZURE_RESOURCE_GROUP", info.resourceGroup],
    ["AZURE_LOCATION", info.location],
    ["AZURE_RESOURCE_MANAGER_ENDPOINT", info.armEndpoint],
    ["AZURE_BLOB_ENDPOINT_TEMPLATE", info.blobEndpoint],
    ["AZURE_IMDS_ENDPOINT", info.imdsEndpoint],
    ["REQUESTS_CA_BUNDLE", info.caCertPath],
    ["SSL_CERT_FILE", info.caCertPath],
    ["NODE_EXTRA_CA_CERTS", info.caCertPath],
    ...Object.entries(info.batchAccounts).map(([name, endpoint]): [string, string] => [`TYPED_BATCH_EMULATOR_BATCH_ENDPOINT_${envName(name)}`, endpoint]),
  ];
}

const quote = (value: string): string => `'${value.replace(/'/g, "'\\''")}'`;

/** Writes `emulator.env` and `emulator.json` (mode 0600, atomically). @internal */
export function writeConnectionFiles(dir: string, info: ConnectionInfo, secret: string): void {
  const lines = [
    "# typed-batch emulator: what a client needs. Load it with: set -a; . ./emulator.env; set +a",
    "# Holds AZURE_CLIENT_SECRET (the emulator's app registration): keep it private (mode 0600).",
    ...envVariables(info, secret).map(([name, value]) => `${name}=${quote(value)}`),
    "",
  ];
  writeAtomic(`${dir}/emulator.env`, lines.join("\n"));
  writeAtomic(`${dir}/emulator.json`, `${JSON.stringify({ ...info, clientSecret: secret }, null, 2)}\n`);
}

/** The console summary: every fact but the secret, which it points to. @internal */
export function describe(info: ConnectionInfo): string {
  const accounts = Object.entries(info.batchAccounts);
  return [
    `typed-batch emulator listening on ${info.url} (pid ${info.pid})`,
    `  ARM endpoint        ${info.armEndpoint}`,
    `  token endpoint      ${info.tokenEndpoint}  (client credentials; authority host ${info.authorityHost})`,
    `  tenant              ${info.tenantId}`,
    `  client id           ${info.clientId}  (secret: AZURE_CLIENT_SECRET in ${info.stateDir}/emulator.env)`,
    `  subscription        ${info.subscriptionId}`,
    `  resource group      ${info.resourceGroup}`,
    `  Blob endpoint       ${info.blobEndpoint}`,
    `  IMDS endpoint       ${info.imdsEndpoint}`,
    `  control endpoint    ${info.controlEndpoint}`,
    `  CA certificate      ${info.caCertPath}  (REQUESTS_CA_BUNDLE, SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)`,
    ...(accounts.length === 0
      ? ["  Batch accounts      none yet (each gets its own data-plane port when ARM creates it)"]
      : accounts.map(([name, endpoint], i) => `${i === 0 ? "  Batch accounts      " : "                      "}${name}  ${endpoint}`)),
    `  connection files    ${info.stateDir}/emulator.env, ${info.stateDir}/emulator.json`,
    `  state               ${info.persistent ? `kept in ${info.stateDir}/state.json across restarts` : "in memory only (no --state-dir)"}`,
  ].join("\n");
}
