import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { admin, lastMailTo, uniqueEmail } from './support/admin';
import { BASE_URL } from './support/server';

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

test('the page hydrates: Show password works only in the reactive client', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/Account/Login');
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('hunter2 hunter2');
  await expect(password).toHaveAttribute('type', 'password');
  // Before hydration the button does nothing; retry until the client has taken over.
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

test('the WASM bundle, its glue and the stylesheet are served compressed', async ({ request }) => {
  for (const [path, type] of [['/pkg/gatehouse.wasm', 'application/wasm'], ['/pkg/gatehouse.js', 'javascript'], ['/pkg/gatehouse.css', 'text/css']]) {
    const res = await request.get(path, { headers: { 'accept-encoding': 'br' } });
    expect(res.status(), path).toBe(200);
    expect(res.headers()['content-type'], path).toContain(type);
    expect(res.headers()['content-encoding'], path).toBe('br');
  }
  const gzip = await request.get('/pkg/gatehouse.wasm', { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  const plain = await request.get('/pkg/gatehouse.wasm', { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  // The decoded body is the real module either way.
  expect((await plain.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
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
