import type { Finding } from "../errors/issue.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";

/**
 * The finding for a task without a command line. Batch requires one on every task it adds
 * (BatchService.json 2024-07-01.20.0, `TaskAddParameter.required: ["id", "commandLine"]`); a task
 * built without `withCommandLine` used to be sent with `commandLine: ""` and refused by Azure.
 * The client refuses it before sending (`tasks.add`, `tasks.addMany`).
 */
export function commandLineRequired(path: string): Finding {
  return finding("INVALID_SHAPE", path, messages.invalidShape("a task needs a commandLine (call .withCommandLine(...))"), fixes.invalidShape.json());
}
