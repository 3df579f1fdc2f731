/**
 * Writes docs/identity-sites.md from the site table. Run by `npm run docs` (and `npm run docs:sites`)
 * before typedoc; test/docs/sites-doc.test.ts fails when the committed page is stale.
 *
 * Usage: node build/scripts/generate-sites-doc.js [--check]
 *   --check  write nothing; exit 1 when the committed page differs from the table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { identitySites, requestModels, siteExclusions } from "typed-batch";
import { renderSitesDoc, sitesDocPath } from "./sites-doc.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const target = `${root}${sitesDocPath}`;
const wanted = renderSitesDoc(identitySites, requestModels, siteExclusions);
let current = "";
try {
  current = readFileSync(target, "utf8");
} catch {
  // first run: nothing committed yet
}
if (process.argv.includes("--check")) {
  if (current !== wanted) {
    console.error(`${sitesDocPath} is stale: run npm run docs:sites`);
    process.exit(1);
  }
} else if (current !== wanted) {
  writeFileSync(target, wanted);
  console.log(`wrote ${sitesDocPath} (${identitySites.length} sites)`);
} else {
  console.log(`${sitesDocPath} is up to date (${identitySites.length} sites)`);
}
