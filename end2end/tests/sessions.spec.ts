// Sessions on the Security page: each browser the person signed in with is listed, and can be
// signed out from another; that browser finds itself signed out on its next request. Each
// test has its own owner; the other browsers are new browser contexts (their own cookies).
import { test, expect, Browser, Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { newSignedInOwner, PASSWORD, SignedInUser } from './support/passkeys';
import { nextCode } from './support/totp';

/** Signs the person in with password and code in a new browser context; its page, on `/`. */
async function signInElsewhere(browser: Browser, user: SignedInUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
  await expect(page).toHaveURL(/step=code/);
  const { code, step } = await nextCode(user.totp, user.lastStep);
  user.lastStep = step;
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('email')).toHaveText(user.email);
  return page;
}

async function openSessions(page: Page) {
  await page.goto('/Account/Security');
  await expect(page.getByRole('heading', { level: 2, name: 'Sessions' })).toBeVisible();
  // Hydrated (the page fills in the passkey name): the buttons then act in place.
  await expect(page.getByLabel('Passkey name')).toHaveValue('Chrome on Linux');
  return page.getByRole('table', { name: 'Sessions' }).getByTestId('session');
}

/** The next request of a signed-out browser lands on the login page. */
async function expectSignedOut(page: Page) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await expect(page.getByRole('button', { name: 'Log In' })).toBeVisible();
}

test.describe('sessions', () => {
  test('a session is signed out from another browser, which is signed out on its next request', async ({ page, browser }) => {
    test.setTimeout(90_000);
    const owner = await newSignedInOwner(page);
    const laptop = await signInElsewhere(browser, owner);

    const rows = await openSessions(page);
    await expect(rows).toHaveCount(2);
    const mine = rows.filter({ has: page.getByText('This browser') });
    await expect(mine).toHaveCount(1);
    await expect(mine).toHaveAttribute('data-current', 'true');
    const other = rows.filter({ hasNot: page.getByText('This browser') });
    await expect(other).toContainText('Chrome on Linux');
    await expect(other.locator('td[data-label="From"]')).toHaveText('127.0.0.1');
    await expect(other.locator('td[data-label="Last active"]')).toHaveText('Active now');
    await expect(other.locator('td[data-label="Signed in"]')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await expect(mine.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expectNoAxeViolations(page);

    await other.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByTestId('sessions-notice')).toHaveText('Session signed out.');
    await expect(rows).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Sign out all other sessions' })).toHaveCount(0);

    await expectSignedOut(laptop);
    await page.reload();
    await expect(rows).toHaveCount(1);
    // Recent security events, newest first, in the person's words.
    const events = page.getByRole('table', { name: 'Recent security events' }).getByTestId('event');
    await expect(events.first()).toContainText('Signed out another session');
    await expect(events.filter({ hasText: 'Signed in with password and code from Chrome on Linux' })).toHaveCount(1);
    await expect(events.filter({ hasText: 'Authenticator app set up' })).toHaveCount(1);
    await expectNoAxeViolations(page);
  });

  test('Sign out all other sessions ends every other browser at once', async ({ page, browser }) => {
    test.setTimeout(120_000);
    const owner = await newSignedInOwner(page);
    const others = [await signInElsewhere(browser, owner), await signInElsewhere(browser, owner)];
    const rows = await openSessions(page);
    await expect(rows).toHaveCount(3);
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await expect(page.getByTestId('sessions-notice')).toHaveText('2 other sessions signed out.');
    await expect(rows).toHaveCount(1);
    for (const other of others) await expectSignedOut(other);
    await expect(page.getByTestId('email')).toHaveCount(0);
    await page.goto('/');
    await expect(page.getByTestId('email')).toHaveText(owner.email);
  });
});
