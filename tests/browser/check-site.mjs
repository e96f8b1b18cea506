// Visits a show website castkit built (the show index at BASE_URL and the episode pages it links) in headless
// Chromium and prints ONE JSON object with what it observed: links, the player's duration and where it lands
// after each chapter or transcript click, the notes, axe-core's findings in light and dark colour schemes, the
// page widths on phones, and every request the pages made. It judges nothing: the Rust tests
// (tests/integration/browser.rs) compare these observations with independent truth (the feed read by
// feedparser, ffprobe, the chapters file).
//
//   node check-site.mjs BASE_URL [--max-episodes N]
//
// Exit codes: 0 observed (whatever the site does wrong), 1 the harness itself failed (the index could not be
// loaded, the browser crashed), 2 usage or no browser. Run `npm ci` in this folder first.
//
// The HTML it reads is the contract between the site generator and this harness: `link[rel=alternate]` to the
// feed, `ol.episodes a.episode-link`, `audio#player[data-duration]`, `ol.chapters a.seek[data-start]`,
// `#transcript .seek[data-start]`, `#notes`, `a[rel=next]` between index pages.

import { createRequire } from "node:module";
import { launchChromium, offHost, recordRequests, usage } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;

const USAGE = "node check-site.mjs BASE_URL [--max-episodes N]";
const args = process.argv.slice(2);
let base;
let maxEpisodes = Infinity;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--max-episodes") {
    maxEpisodes = Number(args[++i]);
    if (!Number.isInteger(maxEpisodes) || maxEpisodes < 0) usage(USAGE);
  } else if (base === undefined) {
    base = args[i];
  } else {
    usage(USAGE);
  }
}
if (!base || !/^https?:\/\//.test(base)) usage(USAGE);

/** axe-core rule sets run on every page: WCAG 2.0 and 2.1, levels A and AA. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** How long to wait for one media event (metadata, a seek) before recording that it did not come. */
const EVENT_TIMEOUT_MS = 10_000;
/** Index pages followed through `a[rel=next]` at most (a loop guard). */
const MAX_INDEX_PAGES = 100;
/** Phone viewports whose horizontal scrolling is measured. */
const NARROW_VIEWPORTS = [
  { width: 375, height: 667 },
  { width: 320, height: 568 },
];
const DESKTOP = { width: 1280, height: 800 };

// The whole run is bounded: a page that never settles fails the harness instead of hanging the test.
const watchdog = setTimeout(() => {
  process.stderr.write("check-site.mjs: gave up after 240 s\n");
  process.exit(1);
}, 240_000);

/** axe-core on the page as it is now, in `scheme`: each violation's id, impact, node count and first targets. */
async function axe(page, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  const present = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!present) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
  await page.emulateMedia({ colorScheme: "light" });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}

/** Horizontal overflow at each phone viewport: the root's scrollWidth and clientWidth, and what sticks out. */
async function widths(page) {
  const out = [];
  for (const viewport of NARROW_VIEWPORTS) {
    await page.setViewportSize(viewport);
    out.push({
      viewport: `${viewport.width}x${viewport.height}`,
      ...(await page.evaluate(() => {
        const root = document.documentElement;
        const limit = root.clientWidth;
        const describe = (el) =>
          el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + [...el.classList].map((c) => `.${c}`).join("");
        const wide = [...document.body.querySelectorAll("*")]
          .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
          .slice(0, 5)
          .map((el) => ({ element: describe(el), right: el.getBoundingClientRect().right }));
        return { scrollWidth: root.scrollWidth, clientWidth: limit, wideElements: wide };
      })),
    });
  }
  await page.setViewportSize(DESKTOP);
  return out;
}

/** The JSON-LD `@type`s on the page (unparseable blocks are recorded as such). */
async function jsonLdTypes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => {
      try {
        return JSON.parse(s.textContent)["@type"] ?? null;
      } catch {
        return "unparseable";
      }
    }),
  );
}

/** One index page: the feed link, the episode entries, the next page, landmarks. */
async function readIndex(page) {
  return page.evaluate(() => {
    const feed = document.querySelector('link[rel~="alternate"][type="application/rss+xml"]');
    const next = document.querySelector('a[rel~="next"]');
    return {
      url: location.href,
      title: document.title,
      h1Count: document.querySelectorAll("h1").length,
      hasMain: document.querySelector("main") !== null,
      feedHref: feed ? feed.getAttribute("href") : null,
      feedUrl: feed ? feed.href : null,
      episodes: [...document.querySelectorAll("ol.episodes > li.episode")].map((li) => {
        const link = li.querySelector("a.episode-link");
        const time = li.querySelector("time[datetime]");
        const duration = li.querySelector("span.duration[data-seconds]");
        return {
          href: link ? link.getAttribute("href") : null,
          url: link ? link.href : null,
          text: link ? link.textContent.trim() : null,
          datetime: time ? time.getAttribute("datetime") : null,
          seconds: duration ? Number(duration.dataset.seconds) : null,
        };
      }),
      // Links the contract's selector would miss (an episode link outside the list) show up here.
      episodeLinksAnywhere: document.querySelectorAll("a.episode-link").length,
      nextUrl: next ? next.href : null,
    };
  });
}

/** Waits in the page until the player has its metadata; its duration, data-duration and sources. */
async function playerMetadata(page) {
  return page.evaluate(
    (timeout) =>
      new Promise((resolve) => {
        const player = document.querySelector("audio#player");
        if (!player) {
          resolve(null);
          return;
        }
        player.muted = true;
        const report = (loaded) =>
          resolve({
            loaded,
            duration: Number.isFinite(player.duration) ? player.duration : null,
            dataDuration: player.hasAttribute("data-duration") ? Number(player.dataset.duration) : null,
            src: player.getAttribute("src"),
            currentSrc: player.currentSrc,
            preload: player.getAttribute("preload"),
            controls: player.hasAttribute("controls"),
            error: player.error ? player.error.code : null,
          });
        if (player.readyState >= 1) {
          report(true);
          return;
        }
        const timer = setTimeout(() => report(false), timeout);
        player.addEventListener("loadedmetadata", () => {
          clearTimeout(timer);
          report(true);
        });
        player.addEventListener("error", () => {
          clearTimeout(timer);
          report(false);
        });
        if (player.preload === "none") player.load();
      }),
    EVENT_TIMEOUT_MS,
  );
}

/**
 * Clicks the `index`-th element matching `selector` as a user would, and records where the player is when
 * its `seeked` event comes (or that none came). The player is paused again afterwards.
 */
async function clickAndSeek(page, selector, index) {
  await page.evaluate(() => {
    const player = document.querySelector("audio#player");
    window.__seek = new Promise((resolve) => {
      if (!player) {
        resolve({ seeked: false, currentTime: null });
        return;
      }
      const timer = setTimeout(() => resolve({ seeked: false, currentTime: player.currentTime }), 10_000);
      player.addEventListener(
        "seeked",
        () => {
          clearTimeout(timer);
          resolve({ seeked: true, currentTime: player.currentTime });
        },
        { once: true },
      );
    });
  });
  const target = page.locator(selector).nth(index);
  const start = await target.getAttribute("data-start");
  await target.click({ timeout: EVENT_TIMEOUT_MS });
  const landed = await page.evaluate(() => window.__seek);
  // The contract: the current chapter's entry is marked while playing. Give the page's timeupdate a moment.
  const after = await page.evaluate(
    () =>
      new Promise((resolve) =>
        setTimeout(() => {
          const player = document.querySelector("audio#player");
          const items = [...document.querySelectorAll("ol.chapters > li")];
          resolve({
            paused: player ? player.paused : null,
            ariaCurrent: items.findIndex((li) => li.getAttribute("aria-current") === "true"),
            fragment: location.hash,
          });
        }, 600),
      ),
  );
  await page.evaluate(() => document.querySelector("audio#player")?.pause());
  return { dataStart: start === null ? null : Number(start), ...landed, ...after };
}

/** Everything observed on one episode page. */
async function readEpisode(page, url) {
  const response = await page.goto(url, { waitUntil: "load" });
  const status = response ? response.status() : null;
  const player = await playerMetadata(page);
  const facts = await page.evaluate(() => {
    const notes = document.querySelector("section#notes");
    return {
      title: document.title,
      h1Count: document.querySelectorAll("h1").length,
      hasMain: document.querySelector("main") !== null,
      chapterLinks: document.querySelectorAll("ol.chapters a.seek").length,
      transcriptCues: document.querySelectorAll("section#transcript .seek").length,
      transcriptCueStarts: [...document.querySelectorAll("section#transcript .seek")].map((c) =>
        Number(c.dataset.start),
      ),
      notesTextLength: notes ? notes.textContent.trim().length : null,
      hasPersons: document.querySelector("section#persons") !== null,
      downloadLinks: [...document.querySelectorAll("a[href]")]
        .filter((a) => a.href === document.querySelector("audio#player")?.src)
        .length,
      prevUrl: document.querySelector('a[rel~="prev"]')?.href ?? null,
      nextUrl: document.querySelector('a[rel~="next"]')?.href ?? null,
    };
  });
  const chapters = [];
  for (let i = 0; i < facts.chapterLinks; i++) {
    chapters.push(await clickAndSeek(page, "ol.chapters a.seek", i));
  }
  // The transcript: the cue with the latest start (so a seek is a real move), clicked.
  let transcriptClick = null;
  if (facts.transcriptCues > 0) {
    const starts = facts.transcriptCueStarts;
    const latest = starts.reduce((best, s, i) => (s > starts[best] ? i : best), 0);
    transcriptClick = await clickAndSeek(page, "section#transcript .seek", latest);
  }
  const axeLight = await axe(page, "light");
  const axeDark = await axe(page, "dark");
  const narrow = await widths(page);

  // Opening the page at `#t=SECONDS` seeks too: a second load, at 5 s (or half the duration when shorter).
  let fragment = null;
  if (player && player.duration) {
    const seconds = Math.round(Math.min(5, player.duration / 2) * 10) / 10;
    // From another document, so that the fragment load is a real one (not a same-document scroll).
    await page.goto("about:blank");
    await page.goto(`${url.split("#")[0]}#t=${seconds}`, { waitUntil: "load" });
    await playerMetadata(page);
    const currentTime = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const player = document.querySelector("audio#player");
          const done = () => resolve(player.currentTime);
          if (player.currentTime > 0) done();
          else {
            player.addEventListener("seeked", done, { once: true });
            setTimeout(done, 5000);
          }
        }),
    );
    await page.evaluate(() => document.querySelector("audio#player")?.pause());
    fragment = { requested: seconds, currentTime };
  }
  return {
    url,
    status,
    player,
    ...facts,
    chapters,
    transcriptClick,
    fragmentSeek: fragment,
    jsonLdTypes: await jsonLdTypes(page),
    axe: { light: axeLight, dark: axeDark },
    narrow,
  };
}

async function main() {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
    const requests = await recordRequests(context, base);
    const page = await context.newPage();
    // Uncaught exceptions in the pages' scripts, with the page they happened on.
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push({ url: page.url(), message: String(error) }));

    // The index and the pages after it.
    const indexPages = [];
    let first = null;
    for (let url = base; url && indexPages.length < MAX_INDEX_PAGES; ) {
      const response = await page.goto(url, { waitUntil: "load" });
      if (!response || !response.ok()) {
        throw new Error(`the index page ${url} answered ${response ? response.status() : "nothing"}`);
      }
      const read = await readIndex(page);
      if (first === null) {
        first = {
          jsonLdTypes: await jsonLdTypes(page),
          axe: { light: await axe(page, "light"), dark: await axe(page, "dark") },
          narrow: await widths(page),
        };
      }
      indexPages.push(read);
      url = read.nextUrl && !indexPages.some((p) => p.url === read.nextUrl) ? read.nextUrl : null;
    }
    const episodeLinks = indexPages.flatMap((p) => p.episodes);

    const episodes = [];
    for (const link of episodeLinks.slice(0, maxEpisodes)) {
      if (link.url) episodes.push(await readEpisode(page, link.url));
    }
    await context.close();
    const observed = {
      base,
      index: { ...indexPages[0], ...first },
      indexPages: indexPages.map((p) => p.url),
      feedHref: indexPages[0].feedHref,
      feedUrl: indexPages[0].feedUrl,
      episodeLinks,
      episodes,
      pageErrors,
      requests,
      offHostRequests: requests.filter((url) => offHost(url, base)),
    };
    process.stdout.write(`${JSON.stringify(observed, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => {
    clearTimeout(watchdog);
  },
  (error) => {
    process.stderr.write(`check-site.mjs: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
