// Sessions on the Security page: each browser the person signed in with is listed, and can be
// signed out from another; that browser finds itself signed out on its next request. Each
// test has its own owner; the other browsers are new browser contexts (their own cookies).
import { test, expect, Browser, Locator, Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { lastMailTo, mailsTo, newSignedInOwner, PASSWORD, SignedInUser } from './support/passkeys';
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

const NEW = 'copper violin estuary thimble';

/** Fills in the Security page's Password form (the new password: NEW) and submits it. */
async function changePassword(form: Locator, current: string, code: string) {
  await form.getByLabel('Current password').fill(current);
  await form.getByLabel('New password', { exact: true }).fill(NEW);
  await form.getByLabel('Confirm new password').fill(NEW);
  await form.getByLabel('Authentication code').fill(code);
  await form.getByRole('button', { name: 'Change password' }).click();
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

    // Mailed: the setup, and the sign-in from a browser new to the person (not the first one).
    const setUp = await lastMailTo(owner.email, 'Two-factor authentication is set up');
    expect(setUp.text).toContain('An authenticator app was set up');
    expect(setUp.text).toContain("If this wasn't you");
    const newBrowser = await lastMailTo(owner.email, 'New sign-in');
    expect(newBrowser.subject).toBe('New sign-in to your Gatehouse account');
    expect(newBrowser.text).toContain('in a new browser or device from Chrome on Linux at 127.0.0.1.');
    expect(newBrowser.text).toContain('/Account/Security');
    expect((await mailsTo(owner.email)).filter((m) => m.subject?.startsWith('New sign-in'))).toHaveLength(1);
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

test('changing the password needs the current one and a code, and signs out every other browser', async ({ page, browser }) => {
  const user = await newSignedInOwner(page);
  const elsewhere = await signInElsewhere(browser, user);
  await openSessions(page);
  const form = page.getByRole('form', { name: 'Password' });

  // A wrong current password: said so, and nothing typed is lost.
  await changePassword(form, 'not my password at all', '123456');
  await expect(page.getByTestId('password-error')).toHaveText('Your current password is not correct.');
  await expect(form.getByLabel('New password', { exact: true })).toHaveValue(NEW);
  await expectNoAxeViolations(page);

  await form.getByLabel('Current password').fill(PASSWORD);
  const { code, step } = await nextCode(user.totp, user.lastStep);
  user.lastStep = step;
  await form.getByLabel('Authentication code').fill(code);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-notice')).toHaveText(
    'Your password was changed, and your 1 other session was signed out.',
  );
  await expect(form.getByLabel('Current password')).toHaveValue('');
  await expectSignedOut(elsewhere);

  const mail = await lastMailTo(user.email, 'password was changed');
  expect(mail.subject).toBe('Your Gatehouse password was changed');
  expect(mail.text).toContain('every other session was signed out');
  expect(mail.text).toContain("If this wasn't you");
  expect(mail.text).toContain('/support/new?reset=1');

  // The old password no longer signs in; the new one does.
  await expectSignedOut(elsewhere);
  await elsewhere.getByLabel('User name').fill(user.email);
  await elsewhere.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await elsewhere.getByRole('button', { name: 'Log In' }).click();
  await expect(elsewhere.getByRole('alert')).toHaveText('The user name or password is incorrect.');
  await elsewhere.getByLabel('Password', { exact: true }).fill(NEW);
  await elsewhere.getByRole('button', { name: 'Log In' }).click();
  await expect(elsewhere).toHaveURL(/step=code/);
});

test('without JavaScript, signing out sessions and changing the password say what happened', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const user = await newSignedInOwner(page);
  for (let i = 0; i < 3; i++) await signInElsewhere(browser, user);
  // The same session as `page`, in a browser that runs no script: every form posts as a
  // plain form and the server's redirect brings the page back.
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  const noJs = await plain.newPage();
  await noJs.goto('/Account/Security');
  const rows = noJs.getByRole('table', { name: 'Sessions' }).getByTestId('session');
  await expect(rows).toHaveCount(4);
  // Controls that only work through the script say so by being unavailable.
  await expect(noJs.getByRole('button', { name: 'Generate new recovery codes' })).toBeDisabled();
  await expect(noJs.getByRole('button', { name: 'Add a passkey' })).toBeDisabled();

  // A session someone else ended meanwhile (here the scripted page): refused, said so.
  const stale = rows.filter({ hasNot: noJs.getByText('This browser') }).first();
  const handle = await stale.locator('input[name="handle"]').getAttribute('value');
  const scripted = await openSessions(page);
  await scripted.filter({ has: page.locator(`input[name="handle"][value="${handle}"]`) }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('sessions-notice')).toHaveText('Session signed out.');
  await stale.getByRole('button', { name: 'Sign out' }).click();
  await expect(noJs.getByTestId('sessions-error')).toHaveText('That session has already ended.');
  await expect(noJs.getByTestId('sessions-notice')).toBeEmpty();
  await expect(rows).toHaveCount(3);

  await rows.filter({ hasNot: noJs.getByText('This browser') }).first().getByRole('button', { name: 'Sign out' }).click();
  await expect(noJs).toHaveURL(/\/Account\/Security\??$/);
  await expect(noJs.getByTestId('sessions-notice')).toHaveText('Session signed out.');
  await expect(noJs.getByTestId('sessions-error')).toBeEmpty();
  await expect(rows).toHaveCount(2);
  // Said once: not again on the next visit.
  await noJs.reload();
  await expect(noJs.getByTestId('sessions-notice')).toBeEmpty();

  await noJs.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await expect(noJs.getByTestId('sessions-notice')).toHaveText('1 other session signed out.');
  await expect(rows).toHaveCount(1);

  const form = noJs.getByRole('form', { name: 'Password' });
  await changePassword(form, 'not my password at all', '123456');
  await expect(noJs.getByTestId('password-error')).toHaveText('Your current password is not correct.');
  await expect(noJs.getByTestId('password-notice')).toBeEmpty();

  const { code, step } = await nextCode(user.totp, user.lastStep);
  user.lastStep = step;
  await changePassword(form, PASSWORD, code);
  await expect(noJs).toHaveURL(/\/Account\/Security\??$/);
  await expect(noJs.getByTestId('password-notice')).toHaveText('Your password was changed.');
  await expect(noJs.getByTestId('password-error')).toBeEmpty();
  await expect(noJs.getByTestId('sessions-notice')).toBeEmpty();
  await plain.close();
});
