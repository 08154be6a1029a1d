// Where the test server lives and how to reach its data: shared by the Playwright config
// (which starts the server) and the tests (which run admin commands and read its mail).
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const PORT = 3111;
export const BASE_URL = `http://localhost:${PORT}`;
/** Debian's Chromium, never a downloaded browser (shared by both Playwright configs). */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
export const DATA_DIR = path.join(ROOT, 'end2end', '.tmp', 'data');
export const OUTBOX = path.join(DATA_DIR, 'outbox');
/** The OpenID provider the SSO tests sign in at (see `oidc/provider.mjs`). */
export const OIDC_PORT = 3112;
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;

/**
 * `make test-cluster` (scripts/cluster.sh): two nodes on one PostgreSQL behind a round-robin
 * proxy that listens on PORT, so the tests reach them as they reach the one server.
 */
export const CLUSTER_DATABASE_URL = process.env.GATEHOUSE_E2E_DATABASE_URL;
export const NODE_PORTS = [3121, 3122];
export const CLUSTER_DIR = path.join(ROOT, 'end2end', '.tmp', 'cluster');

export function e2eEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('GATEHOUSE_')) env[k] = v;
  }
  return {
    ...env,
    GATEHOUSE_BIND: `127.0.0.1:${PORT}`,
    GATEHOUSE_PUBLIC_URL: BASE_URL,
    GATEHOUSE_DATA_DIR: DATA_DIR,
    GATEHOUSE_DATABASE_URL: CLUSTER_DATABASE_URL ?? `sqlite://${path.join(DATA_DIR, 'gatehouse.db')}`,
    GATEHOUSE_MAIL_OUTBOX: OUTBOX,
    GATEHOUSE_CONFIG: path.join(ROOT, 'end2end', 'oidc', 'gatehouse.toml'),
    GATEHOUSE_LOG: 'warn',
  };
}
