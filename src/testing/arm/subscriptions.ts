/**
 * Microsoft.Resources subscriptions and tenants lists (`GET /subscriptions`, `GET
 * /subscriptions/{id}`, `GET /tenants`), shaped as `Subscription` and `TenantIdDescription` of
 * specification/resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json.
 * The Azure CLI reads them right after `az login`; the emulated world has one subscription in one tenant.
 */
import type { Env } from "../env.js";
import type { Router } from "../router.js";
import { arm } from "./common.js";

/** Registers the subscription and tenant reads. @internal */
export function registerSubscriptions(router: Router, env: Env): void {
  const { world } = env;
  const subscription = (): Record<string, unknown> => ({
    id: `/subscriptions/${world.subscriptionId}`,
    subscriptionId: world.subscriptionId,
    displayName: "typed-batch emulator",
    tenantId: world.tenantId,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    authorizationSource: "RoleBased",
  });
  router.on("GET", "/subscriptions", arm(env, () => ({ status: 200, body: { value: [subscription()] } })));
  router.on("GET", "/subscriptions/:sub", arm(env, () => ({ status: 200, body: subscription() })));
  router.on(
    "GET",
    "/tenants",
    arm(env, () => ({ status: 200, body: { value: [{ id: `/tenants/${world.tenantId}`, tenantId: world.tenantId, tenantCategory: "Home" }] } })),
  );
}
