import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { admin, lastMailTo, uniqueEmail } from './support/admin';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE_URL, ROOT } from './support/server';

/** Collects console errors and uncaught exceptions, which include CSP violations. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('signed-out visitors of / are redirected to the login page by the server', async ({ page, request }) => {
  const res = await request.get('/', { maxRedirects: 0, headers: { accept: 'text/html' } });
  expect(res.status()).toBe(302);
  expect(res.headers()['location']).toBe('/Account/Login');

  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('the login page carries a nonce-based CSP and the other security headers', async ({ page }) => {
  const res = await page.goto('/Account/Login');
  const h = res!.headers();
  const csp = h['content-security-policy'];
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  expect(scriptSrc).toContain("'wasm-unsafe-eval'");
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('same-origin');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['cache-control']).toBe('no-store');
  expect(h['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  // The hydration loader runs because it carries this response's nonce.
  const scriptNonces = await page.locator('script[type=module]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces).toContain(nonce);
});

test('the login page comes alive: Show password works only once its client runs', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/Account/Login');
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('hunter2 hunter2');
  await expect(password).toHaveAttribute('type', 'password');
  // Before its script runs the button does nothing; retry until the client has taken over.
  await expect(async () => {
    await page.getByRole('button', { name: 'Show password' }).click({ timeout: 1000 });
    await expect(password).toHaveAttribute('type', 'text', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Hide password' })).toHaveAttribute('aria-pressed', 'true');
  await expect(password).toHaveValue('hunter2 hunter2');
  expect(errors, errors.join('\n')).toEqual([]);
});

test('the login page has no accessibility violations (axe)', async ({ page }) => {
  await page.goto('/Account/Login');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('state-changing requests from another origin are refused', async ({ request }) => {
  const res = await request.post('/api/anything', {
    headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    data: 'x=1',
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain('did not come from a Gatehouse page');
});

const PKG = path.join(ROOT, 'target', 'site', 'pkg');
/** The lazily loaded WASM parts, as the build's split manifest lists them. */
function lazyParts(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PKG, '__wasm_split_manifest.json'), 'utf8')) as Record<string, string[]>;
  return [...new Set(Object.values(manifest).flat())].map((name) => `${name}.wasm`);
}

test('the client files are served as compressed at build time, never compressed per request', async ({ request }) => {
  const files: [string, string][] = [['gatehouse.wasm', 'application/wasm'], ['gatehouse.js', 'javascript'], ['gatehouse.css', 'text/css'],
    ...lazyParts().map((f): [string, string] => [f, 'application/wasm'])];
  expect(files.length).toBeGreaterThan(5);
  for (const [file, type] of files) {
    for (const encoding of ['br', 'gzip']) {
      const res = await request.get(`/pkg/${file}`, { headers: { 'accept-encoding': encoding } });
      expect(res.status(), file).toBe(200);
      expect(res.headers()['content-type'], file).toContain(type);
      expect(res.headers()['content-encoding'], file).toBe(encoding);
      // The very bytes compressed at build time: a per-request compressor streams without a length.
      const suffix = encoding === 'br' ? 'br' : 'gz';
      expect(Number(res.headers()['content-length']), file).toBe(fs.statSync(path.join(PKG, `${file}.${suffix}`)).size);
    }
  }
  const plain = await request.get('/pkg/gatehouse.wasm', { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  // The decoded body is the real module either way.
  expect((await plain.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
});

test('the login page loads its own client, not the app; a lazy page loads its own part without errors', async ({ page }) => {
  const errors = watchErrors(page);
  const fetched: string[] = [];
  page.on('request', (r) => r.url().includes('/pkg/') && fetched.push(new URL(r.url()).pathname.slice('/pkg/'.length)));
  await page.goto('/Account/Login');
  await expect(async () => {
    await page.getByRole('button', { name: 'Show password' }).click({ timeout: 1000 });
    await expect(page.getByRole('button', { name: 'Hide password' })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  const parts = lazyParts();
  expect(fetched).toContain('login_bg.wasm');
  expect(fetched, 'the whole app fetched by the login page').not.toContain('gatehouse.wasm');
  expect(fetched.filter((f) => parts.includes(f)), 'lazy parts fetched by the login page').toEqual([]);

  // The support form is a lazy route: served whole by the server, then hydrated once its part arrives.
  fetched.length = 0;
  await page.goto('/support/new');
  await expect(page.getByRole('heading', { name: 'Contact support' })).toBeVisible();
  await expect.poll(() => fetched.filter((f) => parts.includes(f)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  expect(errors, errors.join('\n')).toEqual([]);
});

test('health and metrics endpoints answer', async ({ request }) => {
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.text()).toBe('ok\n');
  const metrics = await request.get('/metrics');
  expect(metrics.status()).toBe(200);
  expect(await metrics.text()).toContain('gatehouse_http_requests_total');
});

test('create-account prints the invitation link last and mails the same link', async () => {
  const owner = uniqueEmail('owner');
  const account = `Acme ${Date.now()}`;
  const lines = admin('create-account', '--name', account, '--owner-email', owner);
  const link = lines[lines.length - 1];
  expect(link).toMatch(new RegExp(`^${BASE_URL}/Account/AcceptInvitation\\?token=[A-Za-z0-9_-]{43}$`));
  const mail = await lastMailTo(owner);
  expect(mail.subject).toBe('Your invitation to Gatehouse');
  expect(mail.text).toContain(link);
  expect(mail.text).toContain(`as the account owner of “${account}”`);
  expect(mail.html).toContain(`href="${link}"`);
});
