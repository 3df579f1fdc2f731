import type { ContainerRegistry } from "@azure/batch";
import type { UserAssignedIdentity } from "../identity/user-assigned-identity.js";

/** The parts of a registry input this conversion reads (pool and task registries share it). */
interface AnyRegistryInput {
  readonly registryServer?: string;
  readonly identity?: UserAssignedIdentity;
  readonly userName?: string;
  readonly password?: string;
}

/** The Azure form of a registry: `identity` becomes `identityReference: { resourceId }`. */
export function registryToAzure(registry: AnyRegistryInput): ContainerRegistry {
  return {
    ...(registry.registryServer !== undefined && { registryServer: registry.registryServer }),
    ...(registry.userName !== undefined && { userName: registry.userName }),
    ...(registry.password !== undefined && { password: registry.password }),
    ...(registry.identity !== undefined && { identityReference: { resourceId: registry.identity.resourceId } }),
  };
}

/** The Azure form of task container settings. */
export function containerSettingsToAzure<S extends { readonly registry?: AnyRegistryInput; readonly imageName: string }>(
  settings: S,
): Omit<S, "registry"> & { registry?: ContainerRegistry } {
  const { registry, ...rest } = settings;
  return { ...rest, ...(registry !== undefined && { registry: registryToAzure(registry) }) };
}
