// Starts the real Concerto server (the binary built by `cargo xtask test`) on a random port
// with a fresh data directory, and talks to its organiser API as an organiser's script would.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The server binary and the widget bundle, as xtask passes them. */
export function paths() {
  const bin = process.env.CONCERTO_SERVER_BIN;
  if (!bin) throw new Error('CONCERTO_SERVER_BIN is not set: run the tests with `cargo xtask test`');
  return { bin, widgetDir: process.env.CONCERTO_WIDGET_DIR ?? path.join(root, 'dist') };
}

/** Creates organisation `name` in `dataDir` (the CLI prints its id and token). */
function createOrg(bin, dataDir, name) {
  const out = execFileSync(bin, ['org', 'create', '--name', name, '--data-dir', dataDir], { encoding: 'utf8' });
  const token = /token: (\S+)/.exec(out)?.[1];
  const org = /organisation: (\S+)/.exec(out)?.[1];
  if (!token || !org) throw new Error(`no token or id in: ${out}`);
  return { token, org };
}

/**
 * A running server with organisations `names` (each `{ org, token }`, in order) on a fresh
 * data directory: its base URL (ending in `/`), its logs, and `stop`.
 */
export async function startServerWithOrgs(names) {
  const { bin, widgetDir } = paths();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concerto-browser-'));
  const orgs = names.map((name) => createOrg(bin, dataDir, name));
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--widget-dir', widgetDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  let logs = '';
  child.stderr.on('data', (d) => {
    logs += d;
  });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${logs}`)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Concerto server: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
  return {
    base,
    orgs,
    logs: () => logs,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A running server with its base URL (ending in `/`) and an organisation token. */
export async function startServer() {
  const running = await startServerWithOrgs(['Conseil de quartier']);
  const { base } = running;
  const { token } = running.orgs[0];

  const api = async (method, route, body) => {
    const res = await fetch(new URL(route, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res;
  };

  return {
    base,
    token,
    logs: running.logs,
    /** Creates and opens a consultation; returns its id. */
    async openPoll(spec) {
      const poll = await (await api('POST', 'api/v1/org/polls', spec)).json();
      await api('POST', `api/v1/org/polls/${poll.id}/open`);
      return poll.id;
    },
    /** Closes an open consultation. */
    async closePoll(id) {
      await api('POST', `api/v1/org/polls/${id}/close`);
    },
    /** The CSV export of a consultation, as text. */
    async exportCsv(id) {
      return (await api('GET', `api/v1/org/polls/${id}/export.csv`)).text();
    },
    /** `count` new participation codes of a consultation (as printed, `K7M-3QX`). */
    async codes(id, count) {
      return (await (await api('POST', `api/v1/org/polls/${id}/codes`, { count })).json()).codes;
    },
    /** The organiser's results of a consultation. */
    async results(id) {
      return (await api('GET', `api/v1/org/polls/${id}/results`)).json();
    },
    stop: running.stop,
  };
}
