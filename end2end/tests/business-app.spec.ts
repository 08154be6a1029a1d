import { test, expect } from '@playwright/test';
import { newSignedInOwner, logOut } from './support/passkeys';
import { nextCode } from './support/totp';

// The example business application (examples/business-app) behind Gatehouse: a person signs in
// to it through Gatehouse and it shows who they are, their account and role; when their
// Gatehouse session ends (Log out at Gatehouse), the application's session ends too, through
// back-channel logout; its own Log out ends the Gatehouse session as well.

const APP = 'http://127.0.0.1:3114';

test('the example application signs people in through Gatehouse and honours both logouts', async ({ page }) => {
  test.setTimeout(90_000); // fresh codes: up to 30 s of waiting for the next time step
  const owner = await newSignedInOwner(page);
  // Signed in at Gatehouse already: straight through (single sign-on).
  await page.goto(`${APP}/`);
  await expect(page.getByTestId('who')).toHaveText('Not signed in');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByTestId('who')).toHaveText(`Signed in as ${owner.email} in account ${owner.account} (owner)`);

  // Log out at Gatehouse: the application hears of it within seconds.
  await logOut(page);
  await expect(async () => {
    await page.goto(`${APP}/`);
    await expect(page.getByTestId('who')).toHaveText('Not signed in', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // Signing in again goes through Gatehouse's sign-in, and back.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await page.getByLabel('User name').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill('harbour quill meadow lantern');
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
  const { code } = await nextCode(owner.totp, owner.lastStep);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.getByTestId('who')).toHaveText(`Signed in as ${owner.email} in account ${owner.account} (owner)`);

  // The application's Log out ends the Gatehouse session too (RP-initiated logout).
  await page.getByRole('link', { name: 'Log out' }).click();
  await expect(page).toHaveURL(`${APP}/`);
  await expect(page.getByTestId('who')).toHaveText('Not signed in');
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login/);
});
