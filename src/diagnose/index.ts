/**
 * Offline diagnosis: `diagnose` (plain JSON in, findings out) and `explain` (Azure codes and log
 * lines in, cause and fix out). Nothing here loads an Azure SDK.
 */
export type { Bundle, BundleJob } from "./bundle.js";
export { diagnose } from "./diagnose.js";
export { explain, explainableCodes } from "./explain.js";
export type { Explanation } from "./explanation.js";
export { describeScenario } from "./scenarios.js";
