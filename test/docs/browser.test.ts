/**
 * The generated API site in a real browser: headless Chromium (Debian's `chromium` package) driven by
 * playwright-core. Serves docs/api/ on 127.0.0.1, searches for `nodeIdentity` with the site's own
 * search box, opens the first result and checks that the page rendered without console errors.
 *
 * Runs only with TYPED_BATCH_BROWSER=1 (`npm run test:browser`, after `npm run docs`): `npm test`
 * does not build the site and CI machines without Chromium skip it.
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const site = path.join(root, "docs", "api");
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshot = path.join(root, ".tmp", "docs-screenshot.png");
const enabled = process.env.TYPED_BATCH_BROWSER === "1";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

/** Paths the server answered 404 for. */
const missing: string[] = [];

/** A static file server for `dir`, on 127.0.0.1 and a free port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    // Browsers ask for a favicon on their own; typedoc's site has none.
    if (pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    let file = path.join(dir, pathname);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file)) {
      missing.push(pathname);
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe.skipIf(!enabled)("API docs in Chromium", () => {
  let browser: BrowserContext;
  let server: Server;
  let base: string;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(path.join(site, "index.html"))) throw new Error("docs/api/index.html is missing: run npm run docs first");
    if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
    ({ server, url: base } = await serve(site));
    profile = mkdtempSync(path.join(tmpdir(), "typed-batch-chromium-"));
    // A fresh profile per run: playwright takes it as launchPersistentContext's userDataDir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("searches for nodeIdentity, opens a result, and logs no console error", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });

    await page.goto(base, { waitUntil: "load" });
    await expect(page.title()).resolves.toContain("typed-batch");

    await page.locator("#tsd-search-trigger").click();
    await page.locator("#tsd-search-input").fill("nodeIdentity");
    const first = page.locator("#tsd-search-results li a").first();
    await first.waitFor({ state: "visible", timeout: 10_000 });
    const resultText = (await page.locator("#tsd-search-results li").allTextContents()).join(" | ");
    expect(resultText).toMatch(/nodeIdentity/i);

    await first.click();
    await page.waitForLoadState("load");
    expect(page.url()).not.toBe(base);
    const heading = await page.locator("h1").first().textContent();
    expect(heading?.trim().length).toBeGreaterThan(0);
    const body = await page.locator("body").innerText();
    expect(body).toMatch(/nodeIdentity/);

    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: false });
    expect([...problems, ...missing.map((p) => `404 ${p}`)]).toEqual([]);
  }, 60_000);

  it("search covers the guides; the index has one title; guides and API concepts are in the sidebar", async () => {
    const page = await browser.newPage();
    await page.goto(base, { waitUntil: "load" });
    expect(await page.locator(".col-content h1").count()).toBe(1);
    const sidebar = await page.locator(".site-menu").innerText();
    for (const title of ["The live doctor, the permission preflight and on-node verification", "Identities", "Builders", "Client", "Checks"]) expect(sidebar).toContain(title);
    expect(sidebar).not.toMatch(/^doctor$/m);
    await page.locator("#tsd-search-trigger").click();
    await page.locator("#tsd-search-input").fill("ResourceContainerAccessDenied");
    const first = page.locator("#tsd-search-results li a").first();
    await first.waitFor({ state: "visible", timeout: 10_000 });
    expect(await first.getAttribute("href")).toMatch(/documents\//);
  }, 60_000);
});
