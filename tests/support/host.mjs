// A partner's site on another origin: serves the pages of tests/fixtures with the server's
// URL and the consultation ids filled in, as an organiser would paste the snippet.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');

/** Content types of the fixture files a page may load (its own scripts and stylesheets). */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

/** Starts the partner site on `localhost` (the server is on 127.0.0.1: another origin). */
export async function startHost(serverBase) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const name = path.basename(url.pathname);
    let html;
    try {
      html = readFileSync(path.join(fixtures, name), 'utf8');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    html = html.replaceAll('{{SERVER}}', serverBase);
    for (const [key, value] of url.searchParams) {
      // Ids only: letters, digits, '-' and '_'.
      html = html.replaceAll(`{{${key}}}`, value.replace(/[^A-Za-z0-9_-]/g, ''));
    }
    const type = TYPES[path.extname(name)] ?? 'text/html; charset=utf-8';
    res.writeHead(200, { 'content-type': type }).end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    origin: `http://localhost:${port}`,
    url: (page, params = {}) => `http://localhost:${port}/${page}?${new URLSearchParams(params)}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}
