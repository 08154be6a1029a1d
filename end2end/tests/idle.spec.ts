// The idle timeout, on a server of its own configured with a short one (30 s; the warning
// comes 10 s before): the page warns, Stay signed in keeps the session, and left alone the
// session ends on the server and the page goes to the login page, which says why.
import { test, expect } from '@playwright/test';
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectNoAxeViolations } from './support/axe';
import { uniqueEmail } from './support/admin';
import { signUp } from './support/passkeys';
import { e2eEnv, ROOT } from './support/server';

const PORT = 3113;
const URL = `http://localhost:${PORT}`;
const DATA = path.join(ROOT, 'end2end', '.tmp', 'idle');
const BIN = path.join(ROOT, 'target/release/gatehouse');

function env(): Record<string, string> {
  const { GATEHOUSE_CONFIG: _, ...rest } = e2eEnv();
  return {
    ...rest,
    GATEHOUSE_BIND: `127.0.0.1:${PORT}`,
    GATEHOUSE_PUBLIC_URL: URL,
    GATEHOUSE_DATA_DIR: DATA,
    GATEHOUSE_DATABASE_URL: `sqlite://${path.join(DATA, 'gatehouse.db')}`,
    GATEHOUSE_MAIL_OUTBOX: path.join(DATA, 'outbox'),
    GATEHOUSE_SESSION_IDLE_SECS: '30',
  };
}

let server: ChildProcess;
test.beforeAll(async () => {
  fs.rmSync(DATA, { recursive: true, force: true });
  fs.mkdirSync(DATA, { recursive: true });
  server = spawn(BIN, ['serve'], { cwd: ROOT, env: env(), stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${URL}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the idle-timeout server never answered /healthz');
});
test.afterAll(() => {
  server?.kill();
});

test('the page warns before the idle timeout, Stay signed in keeps the session, and left alone it ends', async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail('idle');
  const name = `Idle ${Date.now()}`;
  const printed = execFileSync(BIN, ['admin', 'create-account', '--name', name, '--owner-email', email], {
    cwd: ROOT, env: env(), encoding: 'utf8',
  }).trimEnd().split('\n');
  await signUp(page, email, printed);
  await expect(page).toHaveURL(`${URL}/`);

  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(warning).toContainText('you will be signed out in less than a minute');
  await expectNoAxeViolations(page);
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(warning).toBeHidden();
  await expect(page.getByTestId('email')).toHaveText(email);

  // Left alone this time: the warning comes back, then the session ends.
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(`${URL}/Account/Login?signed_out=idle`, { timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: 'You were signed out because there was no activity' })).toBeVisible();
  await page.goto(`${URL}/`);
  await expect(page).toHaveURL(`${URL}/Account/Login`);
});

// The page's watch asks the server how long the session has left. When its question is
// answered after the person logged out, the session is gone, and the page must not claim
// they were signed out for being idle (CI once caught this race in another test).
test('logging out while the page checks its session goes to the plain login page', async ({ page }) => {
  const email = uniqueEmail('idle-logout');
  const printed = execFileSync(BIN, ['admin', 'create-account', '--name', `Logout ${Date.now()}`, '--owner-email', email], {
    cwd: ROOT, env: env(), encoding: 'utf8',
  }).trimEnd().split('\n');
  await signUp(page, email, printed);

  // Hold the page's first check until the log-out has been answered.
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let asked!: () => void;
  const checking = new Promise<void>((resolve) => { asked = resolve; });
  await page.route('**/api/session_clock', async (route) => {
    asked();
    await held;
    await route.continue();
  });
  await page.goto(`${URL}/`);
  await checking; // hydrated: the watch has started
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(`${URL}/Account/Login`);

  const answered = page.waitForResponse('**/api/session_clock');
  release();
  expect((await answered).status()).toBe(200); // the session is gone: no time left to tell
  // Whatever the page would do with that answer, it does at once; give it a moment.
  await page.waitForTimeout(1_000);
  await expect(page).toHaveURL(`${URL}/Account/Login`);
  await expect(page.getByText('You were signed out because there was no activity')).toHaveCount(0);
});
