import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { admin, uniqueEmail } from './support/admin';
import { createAccount, newSignedInUser, SignedInUser } from './support/passkeys';
import { freshCode, scanQr, totpFromUri } from './support/totp';
import { holdCallback, PROVIDER, signInAtProvider, startSso } from './support/sso';
import { saveRecoveryCodes } from './support/recovery';

// Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1, started by the
// Playwright config). The provider only ever replaces the password: the code is still asked.

let account: string;
test.beforeAll(() => {
  account = createAccount();
});

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${page.url()} ${v.id}: ${v.help}`)).toEqual([]);
}

async function expectSignedOut(page: Page) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login/);
}

async function expectRefused(page: Page, message: string | RegExp) {
  await expect(page).toHaveURL(/\/Account\/Login\?sso=/);
  await expect(page.getByTestId('sso-error')).toContainText(message);
  await expectSignedOut(page);
}

/** A user with password and authenticator, in a browser of their own (closed afterwards). */
async function userWith2fa(browser: Browser): Promise<SignedInUser> {
  const context = await browser.newContext();
  const user = await newSignedInUser(await context.newPage(), account, 'sso');
  await context.close();
  return user;
}

test('the login page offers each provider whose discovery worked', async ({ page }) => {
  await page.goto('/Account/Login');
  const button = page.getByRole('button', { name: `Sign in with ${PROVIDER}` });
  await expect(button).toHaveAttribute('href', '/auth/sso/testid/start');
  // `down` is configured too, but its issuer never answered at start-up.
  await expect(page.getByRole('button', { name: /Unreachable ID/ })).toHaveCount(0);
  // A button answers Space as well as Enter (once the page is interactive).
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeEnabled();
  await button.focus();
  await page.keyboard.press('Space');
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:3112\/interaction\//);
  await page.goto('/auth/sso/down/start');
  await expect(page.getByTestId('sso-error')).toHaveText(
    'That sign-in option is not available. Log in with your user name and password.',
  );
  await expectNoAxeViolations(page);
});

test('SSO links a user by verified email, then still asks for the code', async ({ browser, page }) => {
  test.setTimeout(90_000); // a fresh code: up to 30 s of waiting for the next time step
  const user = await userWith2fa(browser);
  await startSso(page);
  await signInAtProvider(page, user.email);
  await expect(page).toHaveURL(/\/Account\/Login\?step=code$/);
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  await expectNoAxeViolations(page);

  // Not signed in before the code: the start page still sends this browser to log in.
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login/);
  await page.goto('/Account/Login?step=code');

  // The code used at the last sign-in is refused (replay rule), a fresh one works.
  await page.getByLabel('Authentication code').fill(user.totp.generate({ timestamp: user.lastStep * 30_000 }));
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('alert').first()).toContainText(/already used|not correct/);
  await expect(page).toHaveURL(/\/Account\/Login\?step=code$/);
  const { code } = await freshCode(user.totp, user.lastStep);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('email')).toHaveText(user.email);

  // Signing out and in again with SSO asks for the code again.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await startSso(page);
  await expect(page).toHaveURL(/\/Account\/Login\?step=code$/);
});

test('an invited user accepts through SSO from the invitation, and sets up 2FA, with no password', async ({ page }) => {
  const email = uniqueEmail('sso-invited');
  const lines = admin('invite', '--account', account, '--email', email);
  const link = /https?:\/\/\S+AcceptInvitation\?token=[A-Za-z0-9_-]+/.exec(lines.join('\n'))![0];

  // From the login page, the invitation merely waiting is accepted by no one's say.
  await startSso(page);
  await signInAtProvider(page, email);
  await expectRefused(page, 'Open the invitation mail and accept it there');

  // From the invitation's own page.
  await page.goto(link);
  await expect(page.getByTestId('invited-email')).toHaveText(email);
  // Signed in at the provider a moment ago, the browser comes straight back.
  await page.getByRole('button', { name: `Sign in with ${PROVIDER}` }).click();
  await expect(page).toHaveURL(/\/Account\/SetupTwoFactor$/);
  const totp = totpFromUri(await scanQr(page.getByTestId('qr')));
  await page.getByRole('button', { name: 'Next' }).click();
  const { code } = await freshCode(totp);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await saveRecoveryCodes(page);
  await expect(page.getByTestId('email')).toHaveText(email);

  // The invitation was used up by the SSO sign-in.
  await page.goto(link);
  await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
});

test('an unverified email at the provider is refused', async ({ browser, page }) => {
  const user = await userWith2fa(browser);
  await startSso(page);
  await signInAtProvider(page, `unverified.${user.email}`);
  await expectRefused(page, `${PROVIDER} did not confirm your email address`);
  await expectNoAxeViolations(page);
});

test('someone with no account here is refused, and no account is made', async ({ page }) => {
  const email = uniqueEmail('sso-stranger');
  await startSso(page);
  await signInAtProvider(page, email);
  await expectRefused(page, `There is no account here for the email address ${PROVIDER} gave.`);
  // Trying again (the provider remembers the login and answers at once) changes nothing.
  await startSso(page);
  await expectRefused(page, 'There is no account here');
});

test('cancelling at the provider comes back with a plain message', async ({ page }) => {
  await startSso(page);
  await page.getByRole('link', { name: '[ Cancel ]' }).click();
  await expectRefused(page, `${PROVIDER} did not sign you in.`);
});

test('a tampered state is refused; a replayed callback is refused', async ({ browser, page }) => {
  const user = await userWith2fa(browser);
  const held = holdCallback(page);
  await startSso(page);
  await signInAtProvider(page, user.email);
  const callback = new URL(await held);
  await page.unrouteAll();

  const tampered = new URL(callback);
  tampered.searchParams.set('state', callback.searchParams.get('state')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
  await page.goto(tampered.href);
  await expectRefused(page, 'This sign-in has expired or was already completed.');

  // The genuine answer still works once...
  await page.goto(callback.href);
  await expect(page).toHaveURL(/\/Account\/Login\?step=code$/);
  // ...and only once.
  await page.goto(callback.href);
  await expectRefused(page, 'This sign-in has expired or was already completed.');
});

test('a callback carried into another browser is refused (login CSRF), and then gone', async ({ browser, page }) => {
  const user = await userWith2fa(browser);
  const held = holdCallback(page);
  await startSso(page);
  await signInAtProvider(page, user.email);
  const callback = await held;
  await page.unrouteAll();

  const victim = await browser.newContext();
  const victimPage = await victim.newPage();
  await victimPage.goto(callback);
  await expectRefused(victimPage, 'started in another browser or window');
  await victim.close();

  await page.goto(callback);
  await expectRefused(page, 'This sign-in has expired or was already completed.');
});
