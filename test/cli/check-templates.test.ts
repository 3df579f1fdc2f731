import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

/** `check` on ARM deployment templates (with parameters files) and Terraform plans, through the CLI. */

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
const arm = (name: string) => `${fixtures}arm/${name}`;
const plan = `${fixtures}terraform/two-pools.plan.json`;
const scratch = mkdtempSync(`${tmpdir()}/typed-batch-templates-`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Found {
  readonly severity: string;
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly scenario?: string;
}

function check(...args: string[]): { status: number | null; findings: Found[]; stderr: string } {
  const run = runCli(["check", ...args, "--json"]);
  return { status: run.status, findings: (JSON.parse(run.stdout || '{"findings":[]}') as { findings: Found[] }).findings, stderr: run.stderr };
}

const brief = (fs: readonly Found[]) => fs.map((f) => `${f.severity} ${f.code} ${f.path}${f.scenario === undefined ? "" : ` ${f.scenario}`}`);

describe("check: ARM deployment templates", () => {
  it("a quickstart-style template (identity, storage, role assignment, account, nested pool) is clean", () => {
    const run = check(arm("quickstart.json"));
    expect(run.findings).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("--parameters giving the pool another identity than the node identity: row 4 at the nested pool's path", () => {
    const run = check(arm("quickstart.json"), "--parameters", arm("quickstart.other-pool-identity.parameters.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error NODE_IDENTITY_NOT_IN_POOL resources[3].resources[0].properties.applicationPackages[0] application-packages#4"]);
  });

  it("--parameters turning the role assignment off (condition false): PERMISSION_MISSING, the article's row 2, offline", () => {
    const run = check(arm("quickstart.json"), "--parameters", arm("quickstart.no-role.parameters.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual(["error PERMISSION_MISSING resources[3].resources[0].properties.applicationPackages[0] application-packages#2"]);
    expect(run.findings[0]?.message).toContain("has no Storage Blob Data role on");
  });

  it("a role assignment whose principal is not evaluated offline: no PERMISSION_MISSING (never a false error)", () => {
    const template = JSON.parse(readFileSync(arm("quickstart.json"), "utf8")) as { resources: { properties?: { principalId?: string } }[] };
    const role = template.resources[2];
    if (role?.properties !== undefined) role.properties.principalId = "[reference(resourceId('Microsoft.Web/sites', 'x')).identity.principalId]";
    const file = `${scratch}/opaque-principal.json`;
    writeFileSync(file, JSON.stringify(template));
    const run = check(file);
    expect(run.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("language version 2.0 (symbolic names, as Bicep writes them): an expression it does not evaluate is a warning naming it", () => {
    const run = check(arm("symbolic-names.json"));
    expect(run.status).toBe(0);
    expect(brief(run.findings)).toEqual([
      "warning VALUE_UNRESOLVED resources.pool.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference.resourceId",
      "warning VALUE_UNRESOLVED resources.pool.properties.startTask.resourceFiles[1].httpUrl",
    ]);
    expect(run.findings[0]?.message).toContain("[parameters('registryIdentity')]");
    expect(run.findings[1]?.message).toContain("listKeys(");
  });

  it("with a parameters file the same reference is checked: the registry identity is not on the pool", () => {
    const run = check(arm("symbolic-names.json"), "--parameters", arm("symbolic-names.parameters.json"));
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual([
      "warning VALUE_UNRESOLVED resources.pool.properties.startTask.resourceFiles[1].httpUrl",
      "error IDENTITY_NOT_IN_POOL resources.pool.properties.deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference",
    ]);
    expect(run.findings[1]?.message).toContain("acr-pull");
  });

  it("a parameters file given as a document, or an unreadable one: exit 2 with one line", () => {
    expect(check(arm("quickstart.no-role.parameters.json")).status).toBe(2);
    const run = runCli(["check", arm("quickstart.json"), "--parameters", `${scratch}/missing.json`]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("missing.json: cannot read file");
  });
});

describe("check: Terraform plan JSON", () => {
  it("two pools: row 4 and a foreign identity on the preview pool, at Terraform addresses; after-apply values are warnings", () => {
    const run = check(plan);
    expect(run.status).toBe(1);
    expect(brief(run.findings)).toEqual([
      "warning VALUE_UNRESOLVED azurerm_batch_pool.preview.mount[0].azure_blob_file_system[0].identity_id",
      "error NODE_IDENTITY_NOT_IN_POOL azurerm_batch_pool.preview.start_task[0].resource_file[1] resource-files#4",
      "error IDENTITY_NOT_IN_POOL azurerm_batch_pool.preview.start_task[0].resource_file[0].user_assigned_identity_id",
    ]);
    expect(run.findings[1]?.message).toContain("render-nodes");
  });

  it("without the role assignment: PERMISSION_MISSING (row 2) on the render pool's autostorage resource file", () => {
    const doc = JSON.parse(readFileSync(plan, "utf8")) as { resource_changes: { type: string }[] };
    doc.resource_changes = doc.resource_changes.filter((c) => c.type !== "azurerm_role_assignment");
    const file = `${scratch}/no-role.plan.json`;
    writeFileSync(file, JSON.stringify(doc));
    const run = check(file);
    expect(brief(run.findings)).toContain("error PERMISSION_MISSING azurerm_batch_pool.render.start_task[0].resource_file[0] resource-files#2");
  });

  it("a start task command line known only after apply is a VALUE_UNRESOLVED warning, not INVALID_SHAPE; a known empty one is refused at command_line", () => {
    const doc = JSON.parse(readFileSync(plan, "utf8")) as { resource_changes: { address: string; change: { after: { start_task: Record<string, unknown>[] }; after_unknown: { start_task: Record<string, unknown>[] } } }[] };
    const render = doc.resource_changes.find((c) => c.address === "azurerm_batch_pool.render");
    if (render === undefined) throw new Error("fixture has no render pool");
    delete render.change.after.start_task[0]?.["command_line"];
    (render.change.after_unknown.start_task[0] as Record<string, unknown>)["command_line"] = true;
    const unknownFile = `${scratch}/unknown-command-line.plan.json`;
    writeFileSync(unknownFile, JSON.stringify(doc));
    const unknown = brief(check(unknownFile).findings);
    expect(unknown).toContain("warning VALUE_UNRESOLVED azurerm_batch_pool.render.start_task[0].command_line");
    expect(unknown.filter((f) => f.includes("INVALID_SHAPE"))).toEqual([]);

    (render.change.after.start_task[0] as Record<string, unknown>)["command_line"] = "";
    delete (render.change.after_unknown.start_task[0] as Record<string, unknown>)["command_line"];
    const emptyFile = `${scratch}/empty-command-line.plan.json`;
    writeFileSync(emptyFile, JSON.stringify(doc));
    expect(brief(check(emptyFile).findings)).toContain("error INVALID_SHAPE azurerm_batch_pool.render.start_task[0].command_line");
  });

  it("SARIF locates a Terraform finding inside resource_changes[].change.after", () => {
    const run = runCli(["check", plan, "--format", "sarif"]);
    const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const result = log.runs[0]?.results.find((r) => r.ruleId === "IDENTITY_NOT_IN_POOL");
    const line = result?.locations[0]?.physicalLocation.region.startLine ?? 0;
    const lines = readFileSync(plan, "utf8").split("\n");
    expect(lines[line - 1]).toContain('"user_assigned_identity_id"');
  });
});
