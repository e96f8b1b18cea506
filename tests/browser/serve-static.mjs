// A tiny static file server for the harness's self-test pages (tests/browser/selftest), with what a media
// player needs to seek: single byte ranges (`Range` → 206, 416), as `castkit serve` answers them. Folders are
// answered with their index.html. Prints `serving http://127.0.0.1:PORT/` on stderr once listening.
//
//   node serve-static.mjs DIR [PORT]     (PORT 0 or none: the system picks one)

import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";

const [dir, portArg, ...extra] = process.argv.slice(2);
if (!dir || extra.length > 0) {
  process.stderr.write("usage: node serve-static.mjs DIR [PORT]\n");
  process.exit(2);
}
const root = resolve(dir);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/rss+xml",
  ".mp3": "audio/mpeg",
  ".vtt": "text/vtt; charset=utf-8",
  ".jpg": "image/jpeg",
  ".png": "image/png",
};

const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  let file = resolve(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(404).end();
    return;
  }
  let stat;
  try {
    stat = statSync(file);
    if (stat.isDirectory()) {
      file = join(file, "index.html");
      stat = statSync(file);
    }
  } catch {
    response.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    return;
  }
  const headers = {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Accept-Ranges": "bytes",
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
  let start = 0;
  let end = stat.size - 1;
  let status = 200;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), stat.size - 1) : stat.size - 1;
    } else {
      start = Math.max(0, stat.size - Number(range[2]));
    }
    if (start >= stat.size || start > end) {
      response.writeHead(416, { "Content-Range": `bytes */${stat.size}` }).end();
      return;
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${stat.size}`;
  }
  headers["Content-Length"] = String(end - start + 1);
  response.writeHead(status, headers);
  if (request.method === "HEAD") {
    response.end();
  } else {
    createReadStream(file, { start, end }).pipe(response);
  }
});

server.listen(Number(portArg ?? 0), "127.0.0.1", () => {
  process.stderr.write(`serving http://127.0.0.1:${server.address().port}/\n`);
});
