// Replace authenticator, as a person with a new phone does it: the current code first, then
// the new app scans the new QR code from the screen, a code from it confirms, and from then
// on the old app's codes are refused. Someone whose phone is gone proves it with a recovery
// code instead. The notice mail is read from the outbox.
import { test, expect, Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { lastMailTo } from './support/admin';
import { expectNoAxeViolations } from './support/axe';
import { logOut, newSignedInOwner, PASSWORD, SignedInUser } from './support/passkeys';
import { freshCode, nextCode, scanQr, totpFromUri } from './support/totp';

const WRONG_CODE = 'That code is not correct. Enter the current code from your authenticator app.';

async function openReplacement(page: Page) {
  await page.goto('/Account/Security');
  await expect(page.getByTestId('authenticator-facts')).toContainText('Set up ');
  await page.getByRole('link', { name: 'Replace authenticator' }).click();
  await expect(page).toHaveURL(/\/Account\/ReplaceAuthenticator$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Replace authenticator' })).toBeVisible();
}

/** The QR code of the new secret, scanned into a new app; then on to its code. */
async function scanNewApp(page: Page): Promise<OTPAuth.TOTP> {
  await expect(page).toHaveURL(/\/Account\/ReplaceAuthenticator\?step=scan$/);
  const app = totpFromUri(await scanQr(page.getByTestId('qr')));
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/\/Account\/ReplaceAuthenticator\?step=code$/);
  return app;
}

async function logInWithCode(page: Page, email: string, code: string) {
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
  await expect(page).toHaveURL(/step=code/);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

function wrongCodeFor(totp: OTPAuth.TOTP): string {
  const now = totp.generate();
  return now === '000000' ? '111111' : '000000';
}

test('replacing the authenticator: the current code, a new QR code, and the old app is refused after', async ({ page }) => {
  test.setTimeout(90_000); // codes are single-use: some steps wait for the next 30-second window
  const user: SignedInUser = await newSignedInOwner(page);
  await openReplacement(page);
  await expectNoAxeViolations(page);

  // A wrong code first: refused, and the page stays.
  await page.getByLabel('Authentication code').fill(wrongCodeFor(user.totp));
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(page.getByTestId('proof-error')).toHaveText(WRONG_CODE);
  const proof = await nextCode(user.totp, user.lastStep);
  user.lastStep = proof.step;
  await page.getByLabel('Authentication code').fill(proof.code);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();

  const newApp = await scanNewApp(page);
  expect(newApp.secret.base32).not.toBe(user.totp.secret.base32);
  // The old app's code does not confirm the new one (checked against the new secret, so
  // the old app's current code will do, used or not).
  await page.getByLabel('Authentication code').fill(user.totp.generate());
  await page.getByRole('button', { name: 'Replace authenticator' }).click();
  await expect(page.getByRole('alert').filter({ hasText: WRONG_CODE })).toBeVisible();
  await expect(page).toHaveURL(/step=code$/);
  await expectNoAxeViolations(page);
  const confirm = await freshCode(newApp);
  await page.getByLabel('Authentication code').fill(confirm.code);
  await page.getByRole('button', { name: 'Replace authenticator' }).click();

  await expect(page).toHaveURL(/\/Account\/Security\?authenticator=replaced$/);
  await expect(page.getByTestId('authenticator-notice')).toHaveText(
    'Your authenticator app was replaced. Codes from the old one no longer work.',
  );
  await expect(page.getByTestId('event').filter({ hasText: 'Authenticator app replaced' })).toHaveCount(1);
  await expectNoAxeViolations(page);

  const mail = await lastMailTo(user.email, 'authenticator app was replaced');
  expect(mail.subject).toBe('Your Gatehouse authenticator app was replaced');
  expect(mail.text).toContain('Codes from the previous app no longer work.');
  expect(mail.text).toContain("If this wasn't you");
  expect(mail.text).toContain('/Account/Security');
  expect(mail.text).toContain('/support/new?reset=1');

  // Signing in again: the old app's code is refused, the new app's works.
  await logOut(page);
  await logInWithCode(page, user.email, user.totp.generate());
  await expect(page.getByRole('alert')).toHaveText(WRONG_CODE);
  const fresh = await nextCode(newApp, confirm.step);
  await page.getByLabel('Authentication code').fill(fresh.code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('email')).toHaveText(user.email);
});

test('someone whose phone is gone replaces the authenticator with a recovery code', async ({ page }) => {
  const user = await newSignedInOwner(page);
  await openReplacement(page);
  await page.getByLabel('Recovery code').fill('abcde-12345');
  await page.getByRole('button', { name: 'Continue with a recovery code' }).click();
  await expect(page.getByTestId('recovery-proof-error')).toHaveText(
    'That recovery code is not right, or it was already used. Each code works once.',
  );
  await page.getByLabel('Recovery code').fill(user.recoveryCodes[2]);
  await page.getByRole('button', { name: 'Continue with a recovery code' }).click();
  const newApp = await scanNewApp(page);
  // Reloading shows the same QR code (the person may have scanned it already).
  await page.goto('/Account/ReplaceAuthenticator?step=scan');
  expect(totpFromUri(await scanQr(page.getByTestId('qr'))).secret.base32).toBe(newApp.secret.base32);
  await page.getByRole('button', { name: 'Next' }).click();
  const confirm = await freshCode(newApp);
  await page.getByLabel('Authentication code').fill(confirm.code);
  await page.getByRole('button', { name: 'Replace authenticator' }).click();
  await expect(page).toHaveURL(/\/Account\/Security\?authenticator=replaced$/);
  await expect(page.getByTestId('recovery-left')).toHaveText('You have 9 unused recovery codes left.');
  const used = await lastMailTo(user.email, 'A recovery code was used');
  expect(used.text).toContain('You have 9 recovery codes left.');

  // Done once: the page starts over, and the finished replacement cannot be confirmed again.
  await page.goto('/Account/ReplaceAuthenticator?step=code');
  await expect(page.getByRole('alert').filter({ hasText: 'This replacement has expired' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue', exact: true })).toBeVisible();
});

test('without JavaScript, a refused proof shows under the form that was sent, and the right one goes on', async ({ page, browser }) => {
  test.setTimeout(90_000); // the right code may wait for the next 30-second window
  const user = await newSignedInOwner(page);
  // The same session, in a browser that runs no script: both forms post as plain forms.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await plain.newPage();
  await noJs.goto('/Account/ReplaceAuthenticator');
  await noJs.getByLabel('Recovery code').fill('abcde-12345');
  await noJs.getByRole('button', { name: 'Continue with a recovery code' }).click();
  await expect(noJs.getByTestId('recovery-proof-error')).toHaveText(
    'That recovery code is not right, or it was already used. Each code works once.',
  );
  await expect(noJs.getByTestId('proof-error')).toBeEmpty();

  await noJs.getByLabel('Authentication code').fill(wrongCodeFor(user.totp));
  await noJs.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(noJs.getByTestId('proof-error')).toHaveText(WRONG_CODE);
  await expect(noJs.getByTestId('recovery-proof-error')).toBeEmpty();

  const proof = await nextCode(user.totp, user.lastStep);
  await noJs.getByLabel('Authentication code').fill(proof.code);
  await noJs.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(noJs).toHaveURL(/\/Account\/ReplaceAuthenticator\?step=scan$/);
  expect(totpFromUri(await scanQr(noJs.getByTestId('qr'))).secret.base32).not.toBe(user.totp.secret.base32);
  await plain.close();
});
