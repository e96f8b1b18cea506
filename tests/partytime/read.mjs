// Reads a feed file with podcast-partytime (the Podcast Index parser of the Podcasting 2.0 namespace) and prints
// what it parsed as JSON on stdout: Dates as ISO 8601 strings, Maps as objects, Sets as arrays, undefined left
// out. The integration tests (tests/integration/partytime.rs) compare this reading with the feed's own text.
//
//   node read.mjs FEED.xml
//
// Exit codes: 0 parsed, 1 partytime could not parse the feed, 2 usage or an unreadable file.
// Run `npm ci` in this folder first: it installs the exact version pinned in package-lock.json.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// partytime logs through pino to stdout, which would mix with the JSON: silence it before it loads.
process.env.PARTYTIME_LOG = "silent";

const [feedPath, ...extra] = process.argv.slice(2);
if (!feedPath || extra.length > 0) {
  process.stderr.write("usage: node read.mjs FEED.xml\n");
  process.exit(2);
}

let xml;
try {
  xml = readFileSync(feedPath, "utf8");
} catch (error) {
  process.stderr.write(`cannot read ${feedPath}: ${error.message}\n`);
  process.exit(2);
}

const require = createRequire(import.meta.url);
const { parseFeed } = require("podcast-partytime");

let feed;
try {
  feed = parseFeed(xml);
} catch (error) {
  process.stderr.write(`partytime failed on ${feedPath}: ${error.stack ?? error}\n`);
  process.exit(1);
}
if (!feed) {
  // parseFeed returns null without a reason: ask the XML validator partytime itself uses why.
  const partytimeRequire = createRequire(require.resolve("podcast-partytime"));
  const verdict = partytimeRequire("fast-xml-parser").XMLValidator.validate(xml.trim());
  const reason =
    verdict === true
      ? "well-formed, but neither an RSS <channel> nor an Atom <feed>"
      : `not well-formed: ${verdict.err.msg} (line ${verdict.err.line}, column ${verdict.err.col})`;
  process.stderr.write(`partytime could not parse ${feedPath}: ${reason}\n`);
  process.exit(1);
}

// JSON.stringify already writes Dates with toJSON (ISO 8601, or null for an invalid date) and leaves out
// undefined properties; Maps and Sets need converting.
function plain(_key, value) {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}

process.stdout.write(`${JSON.stringify(feed, plain, 2)}\n`);
