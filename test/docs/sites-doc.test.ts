import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { identitySites, requestModels, siteExclusions } from "typed-batch";
import { renderSitesDoc, sitesDocPath } from "../../scripts/sites-doc.js";

const committed = readFileSync(fileURLToPath(new URL(`../../${sitesDocPath}`, import.meta.url)), "utf8");

describe("docs/identity-sites.md", () => {
  it("is what the generator makes from the site table (run `npm run docs:sites` after editing src/rules/sites.ts)", () => {
    expect(committed).toBe(renderSitesDoc(identitySites, requestModels, siteExclusions));
  });

  it("names every site's id and wire path", () => {
    for (const site of identitySites) {
      expect(committed).toContain(`\`${site.id}\``);
      expect(committed).toContain(`\`${site.wirePath}\``);
    }
  });
});
