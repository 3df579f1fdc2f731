/**
 * Azure's own published facts (error codes, categories, statuses), each with its public source.
 * Read by the emulator, `explain`, the doctor and the site table.
 */
export * from "./error-codes.js";
export * as sources from "./sources.js";
