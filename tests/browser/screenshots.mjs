// Screenshots of a show website for the README: the index (BASE_URL) and the first episode page it links, on a
// desktop (1280×800) and a phone (375×667 at twice the pixel density), in the light colour scheme. Each is the
// whole page when that stays under MAX_BYTES as a PNG, else the first screenful (a viewport-sized clip).
// Prints one JSON object: each file written with its size and whether it is the whole page.
//
//   node screenshots.mjs BASE_URL OUT_DIR
//
// Exit codes: 0 written, 1 a page could not be loaded, 2 usage or no browser. scripts/screenshots.sh runs it
// against `castkit serve` of the example show.

import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, offHost, recordRequests, usage } from "./chromium.mjs";

const [base, outDir, ...extra] = process.argv.slice(2);
if (!base || !outDir || extra.length > 0 || !/^https?:\/\//.test(base)) {
  usage("node screenshots.mjs BASE_URL OUT_DIR");
}

/** A screenshot larger than this is retaken as the first screenful only. */
const MAX_BYTES = 250 * 1024;
const DEVICES = [
  { name: "desktop", viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false },
  { name: "phone", viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
];

/** Loads `url` and waits until the player (if any) shows its duration, so the picture is the settled page. */
async function settle(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) {
    throw new Error(`${url} answered ${response ? response.status() : "nothing"}`);
  }
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const player = document.querySelector("audio#player");
        if (!player || player.readyState >= 1) {
          resolve();
          return;
        }
        player.addEventListener("loadedmetadata", () => resolve(), { once: true });
        setTimeout(resolve, 10_000);
      }),
  );
  await page.evaluate(() => document.fonts.ready);
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  const written = [];
  try {
    for (const device of DEVICES) {
      const { name, ...options } = device;
      const context = await browser.newContext({ ...options, colorScheme: "light", reducedMotion: "reduce" });
      const requests = await recordRequests(context, base);
      const page = await context.newPage();
      await settle(page, base);
      const episode = await page.evaluate(() => document.querySelector("ol.episodes a.episode-link")?.href ?? null);
      const shots = [["index", base]];
      if (episode) shots.push(["episode", episode]);
      for (const [what, url] of shots) {
        if (url !== base) await settle(page, url);
        const path = join(outDir, `${what}-${name}.png`);
        await page.screenshot({ path, fullPage: true, animations: "disabled", caret: "hide" });
        let fullPage = true;
        if (statSync(path).size > MAX_BYTES) {
          await page.screenshot({ path, fullPage: false, animations: "disabled", caret: "hide" });
          fullPage = false;
        }
        written.push({ path, url, bytes: statSync(path).size, fullPage });
      }
      await context.close();
      // Requests elsewhere were stopped (see recordRequests), so the pictures may lack what they would load.
      for (const url of requests.filter((u) => offHost(u, base))) {
        process.stderr.write(`warning: the ${name} pages asked for ${url}, which was not loaded\n`);
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify({ written }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`screenshots.mjs: ${error.stack ?? error}\n`);
  process.exit(1);
});
