import { defineConfig } from '@playwright/test';
import { CHROMIUM, e2eEnv, BASE_URL, DATA_DIR, OIDC_ISSUER, OIDC_PORT, ROOT } from './tests/support/server';

// One release server with its own throwaway data folder (SQLite and mail outbox), started
// fresh for every run; Debian's Chromium, never a downloaded browser.
export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM,
  },
  webServer: [
    {
      // The OpenID provider first: Gatehouse discovers it at start-up.
      command: 'exec node oidc/provider.mjs',
      env: { ...process.env, OIDC_PORT: String(OIDC_PORT), APP_URL: BASE_URL },
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'ignore',
    },
    {
      // Every run begins with an empty database and outbox.
      command: `rm -rf '${DATA_DIR}' && mkdir -p '${DATA_DIR}' && exec '${ROOT}/target/release/gatehouse' serve`,
      cwd: ROOT,
      env: e2eEnv(),
      url: `${BASE_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The example business application behind Gatehouse (examples/business-app).
      command: `exec '${ROOT}/target/debug/business-app'`,
      env: {
        ...process.env,
        GATEHOUSE_URL: BASE_URL,
        APP_URL: 'http://127.0.0.1:3114',
        CLIENT_ID: 'business-app',
        CLIENT_SECRET: 'business-app-secret-0123456789',
        BIND: '127.0.0.1:3114',
      },
      url: 'http://127.0.0.1:3114/',
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
