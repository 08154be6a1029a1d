// The test OpenID provider's pages (panva `oidc-provider` development login and consent), and
// a way to hold the provider's answer before it reaches Gatehouse, for the tests that replay,
// tamper with or move a callback.
import { Page, expect } from '@playwright/test';
import { BASE_URL, OIDC_ISSUER } from './server';

export const PROVIDER = 'Test ID';
export const CALLBACK = `${BASE_URL}/auth/sso/testid/callback`;

/** Presses **Sign in with Test ID** on the login page. */
export async function startSso(page: Page) {
  await page.goto('/Account/Login');
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
}

/**
 * Signs in at the provider as `login` (any name is accepted; it becomes the email address)
 * and consents when asked. The provider's pages are submitted as a person would.
 */
export async function signInAtProvider(page: Page, login: string) {
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password works here');
  await page.locator('button[type="submit"]').click();
  // Consent is asked once per browser; afterwards the provider returns at once.
  await page.waitForURL((u) => u.origin !== OIDC_ISSUER || u.pathname.includes('/interaction/'));
  if (new URL(page.url()).origin === OIDC_ISSUER) {
    await page.locator('button[type="submit"]').click();
  }
}

/**
 * From now on, when a form at the provider is submitted, follows the provider's redirects
 * itself and stops at the one that would bring the browser back to Gatehouse: that callback
 * URL is resolved instead of being visited. (Playwright cannot intercept redirects.)
 */
export function holdCallback(page: Page): Promise<string> {
  return new Promise((resolve) => {
    void page.route(`${OIDC_ISSUER}/interaction/**`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      let response = await route.fetch({ maxRedirects: 0 });
      let location = response.headers()['location'];
      while (location && new URL(location, OIDC_ISSUER).origin === OIDC_ISSUER && !location.includes('/interaction/')) {
        response = await page.context().request.get(new URL(location, OIDC_ISSUER).href, { maxRedirects: 0 });
        location = response.headers()['location'];
      }
      if (location?.startsWith(CALLBACK)) {
        await route.fulfill({ status: 200, contentType: 'text/plain', body: 'held by the test' });
        resolve(location);
      } else if (location) {
        await route.fulfill({ status: 303, headers: { location } });
      } else {
        await route.fulfill({ response });
      }
    });
  });
}
