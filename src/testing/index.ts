/**
 * `typed-batch/testing`: a local HTTPS emulator of the parts of Azure that
 * typed-batch talks to (ARM Batch accounts and pools, managed identities,
 * role assignments, the Batch data plane, Blob Storage and node IMDS).
 * @packageDocumentation
 * @module typed-batch/testing
 */
export {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorArmClientOptions,
  type EmulatorBatchClientOptions,
  type EmulatorClientConfig,
  type EmulatedIdentity,
  type GrantedRole,
  type NodeSnapshot,
  type RequestLog,
  type StorageRoleName,
} from "./emulator.js";
export type { FaultKind, FaultOptions } from "./faults.js";
export type { ImdsTokenRequest, TaskOutcome, WaitForTasksOptions } from "./helpers.js";
export { emulatorCredential } from "./tokens.js";
export type { RequestLogEntry } from "./server.js";
export type { Plane } from "./router.js";
export type { IdentityChange, NodePackageStatus } from "./state.js";
