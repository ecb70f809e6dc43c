// Drives headless Chromium from Debian (/usr/bin/chromium, never a downloaded browser) through
// playwright-core: bundles page.mjs, opens each page URL, runs the cases the page offers against
// a Strand server, and prints one JSON line per page and server for BrowserTest to assert on:
// { page, server, results, error, console, protocols }.
//
//   node run.mjs BUNDLE_OUT TRANSPORTS PAGE_URL SERVER_URL [PAGE_URL SERVER_URL]...
//
// BUNDLE_OUT: where page.js goes (the test's page server serves it); TRANSPORTS: a comma-separated
// list (grpc-web, grpc-web-text, connect-json, connect-binary); each PAGE_URL an index.html on an
// origin other than its SERVER_URL's. An https server's certificate is not checked (the test's
// own); protocols: the HTTP versions Chromium's responses from the server came over ("h2",
// "http/1.1"), from its DevTools network events.

import { build } from "esbuild";
import { chromium } from "playwright-core";

const [bundleOut, transports, ...pairs] = process.argv.slice(2);
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
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const [pageUrl, serverUrl] = [pairs[i], pairs[i + 1]];
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const consoleLines = [];
    page.on("console", (m) => consoleLines.push(m.text()));
    const protocols = new Set();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.responseReceived", (e) => {
      if (e.response.url.startsWith(serverUrl)) {
        protocols.add(e.response.protocol);
      }
    });
    const line = { page: pageUrl, server: serverUrl, results: [], error: null };
    line.console = consoleLines;
    try {
      await page.goto(pageUrl);
      line.results = await page.evaluate(
        ([url, list]) => window.runCases(url, list),
        [serverUrl, transports.split(",")],
      );
    } catch (e) {
      line.error = String(e);
    }
    line.protocols = [...protocols];
    console.log(JSON.stringify(line));
    await context.close();
  }
} finally {
  await browser.close();
}
