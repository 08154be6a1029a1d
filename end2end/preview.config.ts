import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { CHROMIUM, e2eEnv, ROOT } from './tests/support/server';

// The Trunk preview's smoke test (`make test-preview`): Trunk serves the client-side-rendered
// app on 8080 and passes /api to a release `gatehouse serve` on 3080 whose public URL is the
// preview's address. scripts/preview.sh has built the preview already; `trunk serve` only
// checks it is current.
const PREVIEW_URL = 'http://localhost:8080';
const DATA = path.join(ROOT, 'end2end', '.tmp', 'preview');
// No SSO providers here: the preview shows pages, it does not test sign-in paths.
const { GATEHOUSE_CONFIG: _sso, ...serverEnv } = e2eEnv();

export default defineConfig({
  testDir: './preview',
  timeout: 30_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: PREVIEW_URL,
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM,
  },
  webServer: [
    {
      command: `rm -rf '${DATA}' && mkdir -p '${DATA}' && exec '${ROOT}/target/release/gatehouse' serve`,
      cwd: ROOT,
      env: {
        ...serverEnv,
        GATEHOUSE_BIND: '127.0.0.1:3080',
        GATEHOUSE_PUBLIC_URL: PREVIEW_URL,
        GATEHOUSE_DATA_DIR: DATA,
        GATEHOUSE_DATABASE_URL: `sqlite://${path.join(DATA, 'gatehouse.db')}`,
        GATEHOUSE_MAIL_OUTBOX: path.join(DATA, 'outbox'),
      },
      url: 'http://127.0.0.1:3080/healthz',
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'exec trunk serve',
      cwd: ROOT,
      url: `${PREVIEW_URL}/`,
      reuseExistingServer: false,
      timeout: 600_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
