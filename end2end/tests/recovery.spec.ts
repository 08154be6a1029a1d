// Recovery codes as a person uses them: one signs in once in place of the authenticator's code
// and is refused the second time; new codes (after confirming it is you) replace the old set;
// each use and each new set is mailed, and the mails are read from the outbox.
import { test, expect, Page } from '@playwright/test';
import { lastMailTo } from './support/admin';
import { expectNoAxeViolations } from './support/axe';
import { logOut, newSignedInOwner, PASSWORD, SignedInUser } from './support/passkeys';
import { saveRecoveryCodes } from './support/recovery';
import { nextCode } from './support/totp';

/** Password, then **Use a recovery code** with `code`; the page after. */
async function logInWithRecoveryCode(page: Page, user: SignedInUser, code: string) {
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
  await expect(page).toHaveURL(/step=code/);
  await page.getByRole('link', { name: 'Use a recovery code' }).click();
  await expect(page).toHaveURL(/step=recovery/);
  await page.getByLabel('Recovery code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

test('a recovery code signs in once, is mailed about, and is refused the second time', async ({ page }) => {
  const user = await newSignedInOwner(page);
  await logOut(page);

  // Typed as people type: upper case, without the hyphen.
  const code = user.recoveryCodes[4];
  await logInWithRecoveryCode(page, user, code.toUpperCase().replace('-', ' '));
  await expect(page).toHaveURL(/\/Account\/Security\?recovery_codes_left=9$/);
  await expect(page.getByTestId('recovery-notice')).toContainText('You signed in with a recovery code.');
  await expect(page.getByTestId('recovery-left')).toHaveText('You have 9 unused recovery codes left.');
  await expectNoAxeViolations(page);

  const mail = await lastMailTo(user.email, 'A recovery code was used');
  expect(mail.subject).toBe('A recovery code was used for your Gatehouse sign-in');
  expect(mail.text).toContain('You have 9 recovery codes left.');
  expect(mail.text).toContain("If this wasn't you");
  expect(mail.text).toContain('/Account/Security');
  expect(mail.text).toContain('/support/new?reset=1');
  expect(mail.html).toContain("Can't log in?");

  await logOut(page);
  await logInWithRecoveryCode(page, user, code);
  await expect(page.getByRole('alert')).toHaveText('That recovery code is not right, or it was already used. Each code works once.');
  await expect(page).toHaveURL(/step=recovery/);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Use your authenticator app instead' }).click();
  await expect(page.getByLabel('Authentication code')).toBeVisible();
});

test('new recovery codes, after confirming it is you, replace the old ones', async ({ page }) => {
  const user = await newSignedInOwner(page);
  // Signed in a moment ago: the code is asked for all the same (a borrowed browser has none).
  await page.goto('/Account/Security');
  await expect(page.getByTestId('recovery-left')).toHaveText('You have 10 unused recovery codes left.');
  await expect(page.getByLabel('Passkey name')).toHaveValue('Chrome on Linux'); // hydrated
  await page.getByRole('button', { name: 'Generate new recovery codes' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm it is you' });
  await expect(confirm).toContainText('however recently you signed in');
  await confirm.getByLabel('Authentication code').fill('000000');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm.getByRole('alert')).toContainText('code');
  await expect(page).toHaveURL(/\/Account\/Security$/);
  const { code, step } = await nextCode(user.totp, user.lastStep);
  user.lastStep = step;
  await confirm.getByLabel('Authentication code').fill(code);
  await confirm.getByRole('button', { name: 'Confirm' }).click();

  await expect(page).toHaveURL(/\/Account\/RecoveryCodes$/);
  await expectNoAxeViolations(page);
  const fresh = await saveRecoveryCodes(page);
  expect(fresh.some((c) => user.recoveryCodes.includes(c))).toBe(false);

  // Shown once: coming back shows none of them.
  await page.goto('/Account/RecoveryCodes');
  await expect(page.getByText('Recovery codes are shown only once')).toBeVisible();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);

  const mail = await lastMailTo(user.email, 'New recovery codes');
  expect(mail.text).toContain('Your previous recovery codes no longer work.');
  expect(mail.text).toContain("If this wasn't you");

  await logOut(page);
  await logInWithRecoveryCode(page, user, user.recoveryCodes[0]);
  await expect(page.getByRole('alert')).toContainText('not right, or it was already used');
  await page.getByLabel('Recovery code').fill(fresh[0]);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('recovery-left')).toHaveText('You have 9 unused recovery codes left.');

  // The new code, like any other, works once.
  await logOut(page);
  await logInWithRecoveryCode(page, user, fresh[0]);
  await expect(page.getByRole('alert')).toHaveText('That recovery code is not right, or it was already used. Each code works once.');
  await expect(page).toHaveURL(/step=recovery/);
});
