import { test, expect, Page, Browser } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { admin, lastMailTo, uniqueEmail } from './support/admin';
import { freshCode, scanQr, totpFromUri } from './support/totp';
import { saveRecoveryCodes } from './support/recovery';
import * as OTPAuth from 'otpauth';

const PASSWORD = 'lantern orbit velvet cascade';


async function logIn(page: Page, email: string, password: string) {
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
}

async function enterCode(page: Page, code: string, button: 'Log in' | 'Next' = 'Log in') {
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: button, exact: true }).click();
}

// One person's whole story, in order: the steps share the account and its secret.
test.describe.serial('invitation, 2FA setup, log in with a code, replay refused', () => {
  test.setTimeout(120_000);
  const email = uniqueEmail('owner');
  const account = `Northwind ${Date.now()}`;
  let totp: OTPAuth.TOTP;
  let lastStep = -1;

  test('an invited owner sets a password and sets up 2FA by scanning the QR code', async ({ page }) => {
    const lines = admin('create-account', '--name', account, '--owner-email', email);
    const mail = await lastMailTo(email);
    const link = /https?:\/\/\S+AcceptInvitation\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0];
    expect(link).toBe(lines[lines.length - 1]);

    await page.goto(link);
    await expect(page.getByTestId('invited-email')).toHaveText(email);
    await expect(page.getByText(`You are joining “${account}” as an account owner.`)).toBeVisible();
    await expectNoAxeViolations(page);

    // A common password is refused with a reason, and nothing is lost.
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Confirm password', { exact: true }).fill('password1234');
    await page.getByRole('button', { name: 'Create password' }).click();
    await expect(page.getByRole('alert')).toContainText('too common or easy to guess');
    await page.getByLabel('New password', { exact: true }).fill('too short');
    await page.getByLabel('Confirm password', { exact: true }).fill('too short');
    await page.getByRole('button', { name: 'Create password' }).click();
    await expect(page.getByRole('alert')).toContainText('Use at least 12 characters');

    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create password' }).click();
    await expect(page).toHaveURL(/\/Account\/SetupTwoFactor$/);
    await expect(page.getByRole('table')).toContainText('Google Authenticator');
    await expectNoAxeViolations(page);

    const uri = await scanQr(page.getByTestId('qr'));
    expect(uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:/);
    totp = totpFromUri(uri);
    expect(totp.issuer).toBe('Gatehouse');
    expect(totp.label).toBe(email);
    expect([totp.algorithm, totp.digits, totp.period]).toEqual(['SHA1', 6, 30]);

    await expect(page.getByTestId('manual-key')).toBeHidden();
    await expect(async () => {
      await page.getByRole('button', { name: 'Enter your key manually' }).click({ timeout: 1000 });
      await expect(page.getByTestId('manual-key')).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    const manual = (await page.getByTestId('manual-key').innerText()).trim();
    expect(manual).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    expect(manual.replace(/ /g, '')).toBe(totp.secret.base32);

    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Authentication code')).toBeVisible();
    await expectNoAxeViolations(page);
    await enterCode(page, '000000', 'Next');
    await expect(page.getByRole('alert')).toContainText(/not correct|clock/);
    const { code, step } = await freshCode(totp);
    await enterCode(page, code, 'Next');
    lastStep = step;
    // The recovery codes, shown once; the page is accessible like every other.
    await expect(page).toHaveURL(/\/Account\/RecoveryCodes$/);
    await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
    await expectNoAxeViolations(page);
    await saveRecoveryCodes(page);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('email')).toHaveText(email);
    await expect(page.getByTestId('role')).toHaveText('account owner');
    await expect(page.getByTestId('account')).toHaveText(account);
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/Account\/Login$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/Account\/Login$/);
  });

  test('logging in again takes a fresh code; the same code is refused afterwards', async ({ page, browser }) => {
    await logIn(page, email, PASSWORD);
    await expect(page).toHaveURL(/step=code/);
    await expectNoAxeViolations(page);
    const { code, step } = await freshCode(totp, lastStep);
    await enterCode(page, code);
    lastStep = step;
    await expect(page.getByTestId('email')).toHaveText(email);

    // Someone who saw that code tries it in another sign-in: refused.
    const other = await browser.newContext();
    const thief = await other.newPage();
    await logIn(thief, email, PASSWORD);
    await expect(thief).toHaveURL(/step=code/);
    await enterCode(thief, code);
    await expect(thief.getByRole('alert')).toHaveText('That code was already used. Wait for the next code in your authenticator app.');
    await expect(thief).toHaveURL(/step=code/);
    await other.close();
  });

  test('after the password, the setup page refuses someone who has an authenticator', async ({ page }) => {
    await logIn(page, email, PASSWORD);
    await expect(page).toHaveURL(/step=code/);
    // Going to the setup page by hand: no new QR code, only the way back to the code.
    await page.goto('/Account/SetupTwoFactor');
    await expect(page.getByRole('alert')).toHaveText('Your account already has an authenticator app. Log in with the code it shows.');
    await expect(page.getByTestId('qr')).toHaveCount(0);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Go to the sign-in page' }).click();
    await expect(page).toHaveURL(/\/Account\/Login$/);
  });

  test('an unknown user and a wrong password get exactly the same message', async ({ page }) => {
    const message = 'The user name or password is incorrect.';
    await logIn(page, uniqueEmail('nobody'), PASSWORD);
    await expect(page.getByRole('alert')).toHaveText(message);
    await logIn(page, email, 'not the right password at all');
    await expect(page.getByRole('alert')).toHaveText(message);
    // Nothing typed is lost: the user name stays for the next try.
    await expect(page.getByLabel('User name')).toHaveValue(email);
  });

  test('the login page sends a form once: pressed twice, a code is spent once', async ({ page }) => {
    const sent: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && sent.push(new URL(r.url()).pathname));
    await logIn(page, email, PASSWORD);
    await expect(page).toHaveURL(/step=code/);
    // The page's own client has taken the form over (before that, a press is a plain post).
    await expect(page.locator('form[data-enhanced]')).toHaveCount(1);
    const { code, step } = await freshCode(totp, lastStep);
    await page.getByLabel('Authentication code').fill(code);
    await page.getByRole('button', { name: 'Log in', exact: true }).dblclick();
    lastStep = step;
    await expect(page.getByTestId('email')).toHaveText(email);
    expect(sent.filter((path) => path === '/api/verify_code')).toEqual(['/api/verify_code']);
  });

  test('the login page drawn by the app after Log out (no page load) signs in as well', async ({ page }) => {
    await logIn(page, email, PASSWORD);
    const first = await freshCode(totp, lastStep);
    // The start page asks how long its session has left once the app's client runs there.
    const hydrated = page.waitForRequest('**/api/session_clock');
    await enterCode(page, first.code);
    lastStep = first.step;
    await expect(page.getByTestId('email')).toHaveText(email);
    await hydrated;
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/Account\/Login$/);
    // Still the same document: the app's router drew the page, with the app's own client.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.getByLabel('User name').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not the right password at all');
    await page.getByRole('button', { name: 'Log In', exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText('The user name or password is incorrect.');
    await expect(page.getByLabel('User name')).toHaveValue(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log In', exact: true }).click();
    await expect(page).toHaveURL(/step=code/);
    const second = await freshCode(totp, lastStep);
    await enterCode(page, second.code);
    lastStep = second.step;
    await expect(page.getByTestId('email')).toHaveText(email);
  });

  test('password and code sign-in works with JavaScript disabled', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // A refusal comes back as the page with its message, not as the server's raw answer.
    await logIn(page, email, 'not the right password at all');
    await expect(page.getByRole('alert')).toHaveText('The user name or password is incorrect.');
    await logIn(page, email, PASSWORD);
    await expect(page).toHaveURL(/step=code/);
    // The same for a wrong code.
    await enterCode(page, '000000' === (await freshCode(totp, lastStep)).code ? '111111' : '000000');
    await expect(page.getByRole('alert')).not.toBeEmpty();
    await expect(page).toHaveURL(/step=code/);
    const { code, step } = await freshCode(totp, lastStep);
    await enterCode(page, code);
    lastStep = step;
    await expect(page.getByTestId('email')).toHaveText(email);
    await context.close();
  });
});

test('an invitation link works once; a broken one explains itself', async ({ page }) => {
  const email = uniqueEmail('user');
  admin('create-account', '--name', `Once ${Date.now()}`, '--owner-email', email);
  const link = /https?:\/\/\S+AcceptInvitation\?token=[A-Za-z0-9_-]+/.exec((await lastMailTo(email)).text ?? '')![0];
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create password' }).click();
  await expect(page).toHaveURL(/SetupTwoFactor/);
  await page.goto(link);
  await expect(page.getByRole('alert')).toHaveText('This invitation was already accepted. Sign in with your user name and password instead.');
  await page.goto(link.slice(0, -3) + 'AAA');
  await expect(page.getByRole('alert')).toContainText('This invitation link is not valid.');
});
