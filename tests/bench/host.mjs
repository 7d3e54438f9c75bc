// The benchmark's partner site, on `localhost` (the Concerto server listens on 127.0.0.1: another
// origin): the page embedding the snippet, the SurveyJS page with its bundles from
// node_modules, and the plain HTML reference. Text is compressed as a CDN would (brotli when the
// browser offers it, else gzip), so that every page pays compressed bytes like Concerto's
// precompressed bundle.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const here = import.meta.dirname;
const modules = path.resolve(here, '..', '..', 'node_modules');

/** The SurveyJS files the page loads, by URL path (nothing else of node_modules is served). */
const VENDOR = {
  '/vendor/survey-core/survey.core.min.js': 'survey-core/survey.core.min.js',
  '/vendor/survey-core/i18n/french.min.js': 'survey-core/i18n/french.min.js',
  '/vendor/survey-core/survey-core.fontless.min.css': 'survey-core/survey-core.fontless.min.css',
  '/vendor/survey-js-ui/survey-js-ui.min.js': 'survey-js-ui/survey-js-ui.min.js',
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * Starts the host. `pages` maps a page name (`embedded.html`…) to a function returning the
 * values of its `{{KEY}}` placeholders, read at each request (the poll id is known later), and
 * optionally the `file` of tests/bench/pages it is made from (else its own name).
 */
export async function startBenchHost(pages) {
  // Compressed bodies, by path (and content, for pages) and encoding: compressing 1.5 MB at
  // brotli 11 takes seconds, which must not count in a load's time.
  const cache = new Map();
  const body = (key, encoding, raw) => {
    const k = `${key}\0${encoding}`;
    if (!cache.has(k)) {
      const b =
        encoding === 'br'
          ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
          : encoding === 'gzip'
            ? gzipSync(raw, { level: 9 })
            : raw;
      cache.set(k, b);
    }
    return cache.get(k);
  };
  const encodings = new Set();
  // Before the first load, not during it.
  for (const [pathname, file] of Object.entries(VENDOR)) {
    const raw = readFileSync(path.join(modules, file));
    for (const encoding of ['br', 'gzip']) body(pathname, encoding, raw);
  }

  const load = (pathname) => {
    if (VENDOR[pathname]) return readFileSync(path.join(modules, VENDOR[pathname]));
    const name = pathname.slice(1);
    if (!Object.hasOwn(pages, name)) return null;
    // A page may be another's file with other values (`file`).
    const { file = name, ...values } = pages[name]();
    let html = readFileSync(path.join(here, 'pages', file), 'utf8');
    for (const [key, value] of Object.entries(values)) html = html.replaceAll(`{{${key}}}`, value);
    return Buffer.from(html);
  };

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const raw = req.method === 'GET' ? load(pathname) : null;
    if (!raw) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const accept = req.headers['accept-encoding'] ?? '';
    const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : 'identity';
    encodings.add(encoding);
    // Pages are rendered per request; vendor files are the same every time.
    const out = VENDOR[pathname] ? body(pathname, encoding, raw) : body(`${pathname}\0${raw}`, encoding, raw);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(pathname)] ?? 'application/octet-stream',
      'content-length': out.length,
      'cache-control': 'no-cache',
      vary: 'Accept-Encoding',
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
    });
    res.end(out);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    origin: `http://localhost:${port}`,
    url: (name) => `http://localhost:${port}/${name}`,
    /** The content encodings the browser was sent, e.g. `br`. */
    encodings: () => [...encodings],
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}
