// Drives headless Chromium from Debian (/usr/bin/chromium, never a downloaded browser) through
// playwright-core: bundles page.mjs, opens each page URL, runs the cases the page offers against
// the Strand server, and prints one JSON line per page for BrowserTest to assert on:
// { page, results, error, console }.
//
//   node run.mjs BUNDLE_OUT SERVER_URL TRANSPORTS PAGE_URL...
//
// BUNDLE_OUT: where page.js goes (the test's page server serves it); TRANSPORTS: a comma-separated
// list (grpc-web, grpc-web-text, connect-json, connect-binary); each PAGE_URL an index.html on an
// origin other than SERVER_URL's.

import { build } from "esbuild";
import { chromium } from "playwright-core";

const [bundleOut, serverUrl, transports, ...pageUrls] = process.argv.slice(2);
const CHROMIUM = process.env.STRAND_CHROMIUM ?? "/usr/bin/chromium";
const PAGE_TIMEOUT_MS = 60_000;

await build({
  entryPoints: [new URL("page.mjs", import.meta.url).pathname],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  outfile: bundleOut,
  logLevel: "warning",
});

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Root in a container has no user namespaces for Chromium's sandbox.
  chromiumSandbox: false,
});
try {
  for (const pageUrl of pageUrls) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const consoleLines = [];
    page.on("console", (m) => consoleLines.push(m.text()));
    const line = { page: pageUrl, results: [], error: null, console: consoleLines };
    try {
      await page.goto(pageUrl);
      line.results = await page.evaluate(
        ([url, list]) => window.runCases(url, list),
        [serverUrl, transports.split(",")],
      );
    } catch (e) {
      line.error = String(e);
    }
    console.log(JSON.stringify(line));
    await context.close();
  }
} finally {
  await browser.close();
}
