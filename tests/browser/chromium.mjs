// Launching the system's Chromium (Debian's `chromium`) through playwright-core, which downloads no browser
// of its own. Shared by check-site.mjs and screenshots.mjs.
//
// The browser is `$CHROMIUM` when set, else /usr/bin/chromium. Playwright gives each launch a fresh, empty
// profile folder (its own `--user-data-dir`, removed when the browser closes) and runs it headless; the flags
// below keep it from reaching out on its own (no QUIC, no component or safe-browsing updates, no sync) and let
// the player start without a user gesture, muted, as the tests need.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

/** Flags for a headless Chromium on a machine without a network or a GPU. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

/** The Chromium executable to drive. */
export function chromiumPath() {
  return process.env.CHROMIUM || "/usr/bin/chromium";
}

/** Launches Chromium; exits with code 2 and a message naming the fix when it is not installed. */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    process.stderr.write(
      `no Chromium at ${executablePath}: install Debian's \`chromium\` (apt-get install chromium) or set CHROMIUM to its path\n`,
    );
    process.exit(2);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    // Playwright's own defaults would add flags for its bundled builds only; ours are the whole list.
    timeout: 60_000,
  });
}

/**
 * Records every request made by pages of `context` and stops (aborts) any to a host other than `base`'s,
 * so a page that would reach the network is seen doing so, but never does. Returns the list it fills.
 */
export async function recordRequests(context, base) {
  const baseHost = new URL(base).host;
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local = (url.protocol === "http:" || url.protocol === "https:") && url.host === baseHost;
    return local ? route.continue() : route.abort("blockedbyclient");
  });
  return requests;
}

/** Whether a request URL went to a host other than `base`'s (data: and blob: URLs never leave the page). */
export function offHost(url, base) {
  const parsed = new URL(url);
  if (parsed.protocol === "data:" || parsed.protocol === "blob:" || parsed.protocol === "about:") {
    return false;
  }
  return parsed.host !== new URL(base).host;
}

/** Exits with a usage message. */
export function usage(text) {
  process.stderr.write(`usage: ${text}\n`);
  process.exit(2);
}
