import type { CommandLineRequiredError } from "../rules/messages.js";

/**
 * Batch requires a command line on every task it adds (BatchService.json 2024-07-01.20.0,
 * `TaskAddParameter.required: ["id", "commandLine"]`); a task built without `withCommandLine` used
 * to be sent with `commandLine: ""` and refused by Azure. The task builder's type therefore marks
 * the slot "unset" until `.withCommandLine(...)` fills it, as tRPC's procedure builder marks its
 * unset slots (`UnsetMarker`), and `.build` is the error until then. The run-time twin is the
 * `commandLine` rule of `rules/shapes.ts`, run by `build()`, `validateTask`, `diagnose` and the client.
 */

declare const unsetMarker: unique symbol;

/** The type of a required builder slot that no call has filled yet: the task's command line before `.withCommandLine(...)`. */
export type UnsetMarker = typeof unsetMarker;

/** What the task builder knows of its command line: set (`string`) or not yet ({@link UnsetMarker}). */
export type CommandLineSlot = string | UnsetMarker;

/**
 * @internal The type of `build` for a command line slot `S`: `Ok` once set, else the error (a
 * property rather than a method, so the compiler reports it once, on `.build` itself, as TS2349).
 * Distributes over `S`, so a builder whose slot may or may not be set (`string | UnsetMarker`)
 * cannot build either.
 */
export type CommandLineCheck<S extends CommandLineSlot, Ok> = S extends UnsetMarker ? CommandLineRequiredError : Ok;
