// Passkeys in a real browser: Chromium's virtual authenticator stands in for the device's
// screen lock. Each test has its own user (invited with the admin CLI), its own browser
// context and so its own authenticator, so throttling and code replay rules never interact.
import { test, expect, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  addVirtualAuthenticator,
  ageSignIn,
  createAccount,
  logOut,
  mailsTo,
  newSignedInUser,
  storedCredentials,
  SignedInUser,
} from './support/passkeys';
import { freshCode } from './support/totp';

const ADDED = (name: string) => `Passkey “${name}” added. You can now sign in with it, without a password or code.`;
const NOT_REGISTERED =
  'This passkey is not registered here. Sign in with your password and code, or choose another passkey.';
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;

let account: string;
test.beforeAll(() => {
  account = createAccount();
});

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

/** Opens the Security page and waits until it has hydrated (the default name is filled in). */
async function openSecurity(page: Page) {
  await page.goto('/Account/Security');
  await expect(page.getByRole('heading', { level: 1, name: 'Security' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Passkeys' })).toBeVisible();
  await expect(page.getByLabel('Passkey name')).toHaveValue('Chrome on Linux');
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeEnabled();
}

/** Adds a passkey on the Security page with a recent sign-in (no step-up). */
async function addPasskey(page: Page, name: string) {
  await openSecurity(page);
  await page.getByLabel('Passkey name').fill(name);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByTestId('passkeys-notice')).toHaveText(ADDED(name));
  await expect(page.locator('tr[data-testid=passkey] .passkey-name')).toHaveText([name]);
}

/** The login page, hydrated (the passkey button is disabled until then). */
async function openLogin(page: Page) {
  await page.goto('/Account/Login');
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeEnabled();
}

async function expectSignedOut(page: Page) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
}

/** Read by screen readers, but takes no room on screen (the `visually-hidden` style). */
async function expectVisuallyHidden(locator: Locator) {
  await expect(locator).toHaveCount(1);
  const box = await locator.boundingBox();
  expect(box === null || (box.width <= 1 && box.height <= 1), JSON.stringify(box)).toBe(true);
}

function passkeyRow(page: Page, name: string) {
  return page.locator('tr[data-testid=passkey]').filter({ has: page.locator('.passkey-name', { hasText: name }) });
}

test.describe('passkeys', () => {
  test.setTimeout(120_000);

  test('adding a passkey after an old sign-in asks for a code first; rename; remove; notices mailed', async ({ page }) => {
    const auth = await addVirtualAuthenticator(page);
    const user = await newSignedInUser(page, account);
    await openSecurity(page);
    await expect(page.getByTestId('no-passkeys')).toHaveText('You have no passkeys yet.');

    // The sign-in is an hour old: adding asks who it is first, and nothing is added yet.
    expect(ageSignIn(user.email)).toBe(1);
    await page.getByLabel('Passkey name').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm it is you' });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByLabel('Authentication code')).toBeVisible();
    await expect(confirm.getByRole('button', { name: 'Use a passkey instead' })).toBeVisible();
    expect(await storedCredentials(auth)).toHaveLength(0);
    await expect(page.getByTestId('no-passkeys')).toBeVisible();

    // A wrong code is refused in words, and the request waits.
    await confirm.getByLabel('Authentication code').fill('000000');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect(confirm.getByRole('alert')).toContainText(/not correct/);
    expect(await storedCredentials(auth)).toHaveLength(0);

    // The sign-in code was used once already: the next step's code continues the add.
    const { code, step } = await freshCode(user.totp, user.lastStep);
    user.lastStep = step;
    await confirm.getByLabel('Authentication code').fill(code);
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByTestId('passkeys-notice')).toHaveText(ADDED('Work laptop'));
    await expect(confirm).toBeHidden();
    const rows = page.locator('tr[data-testid=passkey]');
    await expect(rows).toHaveCount(1);
    await expect(rows.locator('.passkey-name')).toHaveText('Work laptop');
    await expect(rows.locator('td').nth(1)).toHaveText(DATE);
    await expect(rows.locator('td').nth(2)).toHaveText('Never');
    const creds = await storedCredentials(auth);
    expect(creds).toHaveLength(1);
    expect(creds[0].isResidentCredential).toBe(true);
    expect(creds[0].rpId).toBe('localhost');

    // The same device cannot be added twice for the same person.
    await page.getByLabel('Passkey name').fill('Again');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // The passkeys' own alert, the first on the page (the Sessions section has its own).
    await expect(page.locator('section > p.error[role=alert]').first()).toHaveText('This device already has a passkey for your account.');
    await expect(rows).toHaveCount(1);

    // Rename: Cancel keeps the name; Save changes it, and it stays after a reload.
    await rows.getByRole('button', { name: 'Rename' }).click();
    await expect(rows.getByLabel('New name')).toHaveValue('Work laptop');
    await rows.getByLabel('New name').fill('Something else');
    await rows.getByRole('button', { name: 'Cancel' }).click();
    await expect(rows.locator('.passkey-name')).toHaveText('Work laptop');
    await rows.getByRole('button', { name: 'Rename' }).click();
    await rows.getByLabel('New name').fill('   ');
    await rows.getByRole('button', { name: 'Save' }).click();
    await expect(rows.getByRole('alert')).toHaveText('Give the passkey a name of 1 to 64 characters.');
    await rows.getByLabel('New name').fill('  Desk laptop  ');
    await rows.getByRole('button', { name: 'Save' }).click();
    await expect(rows.locator('.passkey-name')).toHaveText('Desk laptop');
    await expect(rows.getByLabel('New name')).toHaveCount(0);
    await openSecurity(page);
    await expect(rows.locator('.passkey-name')).toHaveText('Desk laptop');

    // Remove: Cancel keeps it. With an old sign-in again, Yes asks for confirmation, here
    // with the passkey itself; then the removal goes ahead on its own.
    await rows.getByRole('button', { name: 'Remove' }).click();
    await rows.getByRole('button', { name: 'Cancel' }).click();
    await expect(rows).toHaveCount(1);
    expect(ageSignIn(user.email)).toBe(1);
    await rows.getByRole('button', { name: 'Remove' }).click();
    await rows.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(confirm).toBeVisible();
    await expect(rows).toHaveCount(1);
    await confirm.getByRole('button', { name: 'Use a passkey instead' }).click();
    await expect(page.getByTestId('passkeys-notice')).toHaveText('Passkey “Desk laptop” removed.');
    await expect(confirm).toBeHidden();
    await expect(rows).toHaveCount(0);
    await expect(page.getByTestId('no-passkeys')).toBeVisible();
    // Still signed in as the same person.
    await page.goto('/');
    await expect(page.getByTestId('email')).toHaveText(user.email);

    // One notice per change, naming the passkey and pointing at the Security page.
    const passkeyNotices = async () => (await mailsTo(user.email)).filter((m) => /passkey/i.test(m.subject ?? ''));
    await expect.poll(async () => (await passkeyNotices()).length).toBe(2);
    const notices = await passkeyNotices();
    expect(notices.map((m) => m.subject)).toEqual([
      'A passkey was added to your Gatehouse sign-in',
      'A passkey was removed from your Gatehouse sign-in',
    ]);
    expect(notices[0].text).toContain(`The passkey “Work laptop” was added to your Gatehouse sign-in (${user.email}).`);
    expect(notices[1].text).toContain(`The passkey “Desk laptop” was removed from your Gatehouse sign-in (${user.email}).`);
    for (const notice of notices) {
      expect(notice.text).toContain("If this wasn't you");
      expect(notice.html).toContain("Can't log in?");
    }
    for (const m of notices) expect(m.text).toContain('/Account/Security');
  });

  test('Sign in with a passkey signs in with no password and no code', async ({ page }) => {
    await addVirtualAuthenticator(page);
    const user = await newSignedInUser(page, account);
    await addPasskey(page, 'Button key');
    await logOut(page);

    await openLogin(page);
    await expect(page.getByLabel('User name')).toHaveValue('');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('email')).toHaveText(user.email);

    // The start page leads to the Security page, whose list now shows when it was used.
    await page.getByRole('link', { name: 'Security: passkeys' }).click();
    await expect(page).toHaveURL(/\/Account\/Security$/);
    await expect(passkeyRow(page, 'Button key').locator('td').nth(2)).toHaveText(DATE);
  });

  test('the User name field offers the passkey (conditional mediation) and signs in', async ({ page }) => {
    await addVirtualAuthenticator(page);
    const user = await newSignedInUser(page, account);
    await addPasskey(page, 'Autofill key');
    await logOut(page);

    await openLogin(page);
    // The autofill request starts when the field gets focus; the virtual authenticator
    // answers it at once, as a person picking the passkey from the suggestions would.
    await page.getByLabel('User name').focus();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('email')).toHaveText(user.email);
  });

  test('a passkey sign-in is refused when the device does not verify the person', async ({ page }) => {
    const auth = await addVirtualAuthenticator(page);
    await newSignedInUser(page, account);
    await addPasskey(page, 'Unverified key');
    await logOut(page);

    await auth.cdp.send('WebAuthn.setUserVerified', { authenticatorId: auth.authenticatorId, isUserVerified: false });
    await openLogin(page);
    // Nothing to say yet: the password form's alert is the page's only one.
    await expect(page.getByTestId('passkey-error')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(1);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByTestId('passkey-error')).toHaveText(
      'The passkey dialog was closed or timed out, or no passkey was chosen. Try again when you are ready.',
    );
    await expect(page.getByTestId('passkey-error')).toHaveAttribute('role', 'alert');
    await expect(page).toHaveURL(/\/Account\/Login$/);
    // The button works again for another try.
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeEnabled();
    await expectSignedOut(page);
  });

  test('a passkey removed on the Security page no longer signs in', async ({ page }) => {
    const auth = await addVirtualAuthenticator(page);
    const user = await newSignedInUser(page, account);
    await addPasskey(page, 'Old phone');
    const row = passkeyRow(page, 'Old phone');
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    // A recent sign-in: no confirmation needed.
    await expect(page.getByTestId('passkeys-notice')).toHaveText('Passkey “Old phone” removed.');
    await expect(page.getByRole('group', { name: 'Confirm it is you' })).toHaveCount(0);
    await expect(page.getByTestId('no-passkeys')).toBeVisible();
    // The device still holds it.
    expect(await storedCredentials(auth)).toHaveLength(1);
    await logOut(page);

    await openLogin(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByTestId('passkey-error')).toHaveText(NOT_REGISTERED);
    await expect(page).toHaveURL(/\/Account\/Login$/);
    await expectSignedOut(page);

    // Offered by autofill, it is refused the same way; and the next time the field gets
    // focus, the passkeys are offered again (a new request), not silently gone.
    const starts: string[] = [];
    page.on('request', (r) => r.url().includes('/api/passkey_sign_in_start') && starts.push(r.url()));
    await openLogin(page);
    await page.getByLabel('User name').focus();
    await expect(page.getByTestId('passkey-error')).toHaveText(NOT_REGISTERED);
    await expect.poll(() => starts.length).toBe(1);
    await page.getByLabel('Password', { exact: true }).focus();
    await page.getByLabel('User name').focus();
    await expect.poll(() => starts.length).toBe(2);
    await expect(page.getByTestId('passkey-error')).toHaveText(NOT_REGISTERED);
    await expect(page).toHaveURL(/\/Account\/Login$/);
    await expectSignedOut(page);
    await expect
      .poll(async () => (await mailsTo(user.email)).map((m) => m.subject))
      .toContain('A passkey was removed from your Gatehouse sign-in');
  });

  test('the Security page, with passkeys listed and while confirming, has no axe violations', async ({ page }) => {
    await addVirtualAuthenticator(page);
    const user: SignedInUser = await newSignedInUser(page, account);
    await addPasskey(page, 'Axe key');
    await openSecurity(page);
    await expect(page.locator('tr[data-testid=passkey]')).toHaveCount(1);
    await expectNoAxeViolations(page);
    // The actions column's header is for screen readers only.
    await expectVisuallyHidden(page.getByRole('table', { name: 'Passkeys' }).getByRole('columnheader', { name: 'Actions' }).locator('span'));

    // Renaming and the confirmation step are checked too. (While renaming, the name is
    // in the field, so the row is found by position.)
    const row = page.locator('tr[data-testid=passkey]').first();
    await row.getByRole('button', { name: 'Rename' }).click();
    await expect(row.getByLabel('New name')).toBeVisible();
    await expectVisuallyHidden(row.locator('label', { hasText: 'New name' }));
    await expectNoAxeViolations(page);
    await row.getByRole('button', { name: 'Cancel' }).click();
    expect(ageSignIn(user.email)).toBe(1);
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(page.getByRole('group', { name: 'Confirm it is you' })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('the Security page reflows on a 320 px wide screen, also while renaming', async ({ page }) => {
    await addVirtualAuthenticator(page);
    await newSignedInUser(page, account);
    await addPasskey(page, 'A passkey with a rather long name for a phone');
    await page.setViewportSize({ width: 320, height: 700 });
    await openSecurity(page);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    const row = page.locator('tr[data-testid=passkey]').first();
    // Each button, brought onto the screen (the page is long), fits across it whole.
    const fits = async (names: string[]) => {
      for (const name of names) {
        const button = row.getByRole('button', { name });
        await button.scrollIntoViewIfNeeded();
        await expect(button).toBeInViewport({ ratio: 1 });
      }
    };
    await fits(['Rename', 'Remove']);
    await row.getByRole('button', { name: 'Remove' }).click();
    await fits(['Yes, remove', 'Cancel']);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Rename' }).click();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await fits(['Save', 'Cancel']);
    // While renaming, only the rename form's own buttons are offered.
    await expect(row.getByRole('button')).toHaveText(['Save', 'Cancel']);
  });

  test('a passkey name the server would refuse stops before the device makes a passkey', async ({ page }) => {
    const auth = await addVirtualAuthenticator(page);
    await newSignedInUser(page, account);
    await openSecurity(page);
    await page.getByLabel('Passkey name').fill('    ');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect(page.locator('section > p.error[role=alert]').first()).toHaveText('Give the passkey a name of 1 to 64 characters.');
    await expect(page.getByTestId('passkeys-notice')).toHaveText('');
    await expect(page.getByTestId('no-passkeys')).toBeVisible();
    // Nothing was left behind on the device, and a good name works right after.
    expect(await storedCredentials(auth)).toHaveLength(0);
    await page.getByLabel('Passkey name').fill('Tablet');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect(page.getByTestId('passkeys-notice')).toHaveText(ADDED('Tablet'));
    expect(await storedCredentials(auth)).toHaveLength(1);
  });

  test("confirming with someone else's passkey is refused and does not switch the session", async ({ page, browser }) => {
    // A has a passkey; B's computer holds a copy of it (a shared or borrowed device).
    const authA = await addVirtualAuthenticator(page);
    await newSignedInUser(page, account, 'pk-a');
    await addPasskey(page, 'Shared key');
    const [shared] = await storedCredentials(authA);

    const other = await browser.newContext();
    const pageB = await other.newPage();
    const authB = await addVirtualAuthenticator(pageB);
    await authB.cdp.send('WebAuthn.addCredential', { authenticatorId: authB.authenticatorId, credential: shared });
    const b = await newSignedInUser(pageB, account, 'pk-b');
    await openSecurity(pageB);
    expect(ageSignIn(b.email)).toBe(1);
    await pageB.getByLabel('Passkey name').fill("B's laptop");
    await pageB.getByRole('button', { name: 'Add a passkey' }).click();
    const confirm = pageB.getByRole('group', { name: 'Confirm it is you' });
    await confirm.getByRole('button', { name: 'Use a passkey instead' }).click();
    await expect(confirm.getByRole('alert')).toHaveText(
      'That passkey is not one of yours. Use one of your own passkeys, or enter the code from your authenticator app.',
    );
    await expect(confirm).toBeVisible();
    await expect(pageB.getByTestId('passkeys-notice')).toHaveText('');
    await expect(pageB.getByTestId('no-passkeys')).toBeVisible();
    await pageB.goto('/');
    await expect(pageB.getByTestId('email')).toHaveText(b.email);
    await other.close();

    // A's passkey was not used for anything.
    await openSecurity(page);
    await expect(passkeyRow(page, 'Shared key').locator('td').nth(2)).toHaveText('Never');
  });

  test('the Security page sends signed-out visitors to the login page', async ({ page }) => {
    await page.goto('/Account/Security');
    await expect(page).toHaveURL(/\/Account\/Login$/);
  });
});
