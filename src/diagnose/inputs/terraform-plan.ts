import { type Deployment, emptyDeployment } from "./model.js";

export function isTerraformPlan(doc: Record<string, unknown>): boolean {
  return typeof doc["format_version"] === "string" && ("planned_values" in doc || "resource_changes" in doc);
}

export function readTerraformPlan(_doc: Record<string, unknown>, _file: string): Deployment {
  return emptyDeployment();
}
