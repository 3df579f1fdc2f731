/**
 * Batch account keys: `POST .../batchAccounts/{name}/listKeys` and `.../regenerateKeys`
 * (BatchManagement.json, 2025-06-01: `BatchAccount_GetKeys` answers `BatchAccountKeys`
 * `{ accountName, primary, secondary }`; `BatchAccount_RegenerateKey` takes `{ keyName: "Primary" |
 * "Secondary" }` and answers the same shape). The data plane's Shared Key check reads the same keys.
 */
import { randomBytes } from "node:crypto";
import type { Env } from "../env.js";
import { armError } from "../errors.js";
import type { Req, Res, Router } from "../router.js";
import type { AccountRecord } from "../state.js";
import { arm, objectBody } from "./common.js";

/** A fresh key: 64 random bytes in Base64, the length of Azure's Batch keys (88 characters). */
const newKey = (): string => randomBytes(64).toString("base64");

/** The account's keys, made on first use. Random, not seeded: they are secrets. @internal */
export function accountKeys(account: AccountRecord): { primary: string; secondary: string } {
  account.keys ??= { primary: newKey(), secondary: newKey() };
  return account.keys;
}

/** Registers `listKeys` and `regenerateKeys`. @internal */
export function registerAccountKeys(router: Router, env: Env): void {
  const base = "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.Batch/batchAccounts/:account";
  const find = (req: Req): AccountRecord | Res => {
    const name = req.params["account"] ?? "";
    const account = env.world.account(name);
    if (account && account.resourceGroup.toLowerCase() === (req.params["rg"] ?? "").toLowerCase()) return account;
    return armError(404, "ResourceNotFound", `The Resource 'Microsoft.Batch/batchAccounts/${name}' under resource group '${req.params["rg"] ?? ""}' was not found.`);
  };
  const keysBody = (account: AccountRecord): Res => ({ status: 200, body: { accountName: account.name, ...accountKeys(account) } });
  router.on(
    "POST",
    `${base}/listKeys`,
    arm(env, (req) => {
      const account = find(req);
      return "status" in account ? account : keysBody(account);
    }),
  );
  router.on(
    "POST",
    `${base}/regenerateKeys`,
    arm(env, (req) => {
      const account = find(req);
      if ("status" in account) return account;
      const parsed = objectBody(req);
      if (!parsed.ok) return parsed.res;
      const keyName = String(parsed.body["keyName"] ?? "");
      const keys = accountKeys(account);
      if (/^primary$/i.test(keyName)) keys.primary = newKey();
      else if (/^secondary$/i.test(keyName)) keys.secondary = newKey();
      else return armError(400, "InvalidRequestBody", `The value '${keyName}' of keyName is not one of 'Primary', 'Secondary'.`);
      return keysBody(account);
    }),
  );
}
