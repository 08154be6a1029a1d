// The Users page as an account owner and a co-owner use it: the owner invites a co-owner (the
// mail read from the outbox), the co-owner invites a user and cannot touch the owner (not in
// the page, and not by calling the server directly), roles change, ownership moves after
// the owner's code with a mail to both, and a removed person is signed out at once.
import { expect, Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { lastMailTo, newSignedInOwner, signUp, SignedInUser } from './support/passkeys';
import { uniqueEmail } from './support/admin';
import { nextCode } from './support/totp';

/** Invites `email` from the Users page and waits for the page to say so. */
async function invite(page: Page, email: string, role: 'User' | 'Co-owner') {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Role').selectOption({ label: role });
  await page.getByRole('button', { name: 'Invite user' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`Invitation sent to ${email}. The link works once, for 7 days.`);
}

/** Follows the invitation mailed to `email` in `page`, to signed in. */
async function acceptMailedInvitation(page: Page, email: string): Promise<SignedInUser> {
  const mail = await lastMailTo(email, 'Your invitation to');
  return signUp(page, email, [mail.text ?? '']);
}

function row(page: Page, email: string) {
  return page.locator('tr[data-testid="member"]', { hasText: email });
}

/** Calls a server function from the page as its own script would (same origin, its cookie). */
async function callFromPage(page: Page, fn: string, form: Record<string, string>) {
  return page.evaluate(
    async ([fn, form]) => {
      const res = await fetch(`/api/${fn}`, { method: 'POST', body: new URLSearchParams(form) });
      return { status: res.status, body: await res.text() };
    },
    [fn, form] as const,
  );
}

test('the owner invites a co-owner, the co-owner invites a user and is refused changing the owner', async ({ page, browser }) => {
  const owner = await newSignedInOwner(page);
  await page.goto('/Account/Users');
  const coEmail = uniqueEmail('co');
  await invite(page, coEmail, 'Co-owner');
  await expect(row(page, coEmail)).toContainText('Invitation pending');
  await expect(row(page, coEmail)).toContainText('co-owner');
  await expect(page.getByLabel('Email address')).toHaveValue('');
  await expectNoAxeViolations(page);

  const coContext = await browser.newContext();
  const coPage = await coContext.newPage();
  const co = await acceptMailedInvitation(coPage, coEmail);
  await coPage.goto('/Account/Users');
  // A co-owner invites users only.
  await expect(coPage.getByLabel('Role').locator('option')).toHaveText(['User']);
  const userEmail = uniqueEmail('member');
  await invite(coPage, userEmail, 'User');
  await expect(row(coPage, userEmail)).toContainText('Invitation pending');
  await expect(row(coPage, userEmail).getByRole('button', { name: 'Revoke invitation' })).toBeVisible();
  // Nothing on the owner's row (nor on the co-owner's own) but the reset request.
  for (const email of [owner.email, co.email]) {
    await expect(row(coPage, email).getByRole('button')).toHaveCount(0);
    await expect(row(coPage, email).getByText('Remove', { exact: true })).toHaveCount(0);
  }
  await expect(coPage.getByRole('heading', { name: 'Transfer ownership' })).toHaveCount(0);
  await expectNoAxeViolations(coPage);
  // And the server refuses what the page does not offer.
  const demote = await callFromPage(coPage, 'change_role', { email: owner.email, role: 'user' });
  expect(demote).toEqual({ status: 400, body: JSON.stringify({ Invalid: 'Only the account owner can do that.' }) });
  const remove = await callFromPage(coPage, 'remove_user', { email: owner.email });
  expect(remove.status).toBe(400);
  expect(remove.body).toContain('only the account owner can change co-owners or the owner');

  // The owner sees both, and the owner is still the owner.
  await page.reload();
  await expect(row(page, owner.email)).toContainText('account owner');
  await expect(row(page, userEmail)).toContainText('Invitation pending');

  // The owner revokes the user's invitation, then removes the co-owner: signed out at once.
  await row(page, userEmail).getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`The invitation of ${userEmail} was revoked.`);
  await expect(row(page, userEmail)).toHaveCount(0);
  await row(page, co.email).getByText('Remove', { exact: true }).click();
  await row(page, co.email).getByRole('button', { name: 'Remove user' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`${co.email} was removed and signed out everywhere.`);
  await expect(row(page, co.email)).toHaveCount(0);
  await coPage.goto('/Account/Users');
  await expect(coPage).toHaveURL(/\/Account\/Login$/);
  await coContext.close();
});

test('the owner makes a user a co-owner, then hands the account over with a code; both are mailed', async ({ page, browser }) => {
  const owner = await newSignedInOwner(page);
  await page.goto('/Account/Users');
  const heirEmail = uniqueEmail('heir');
  await invite(page, heirEmail, 'User');
  const heirContext = await browser.newContext();
  const heirPage = await heirContext.newPage();
  await acceptMailedInvitation(heirPage, heirEmail);

  await page.reload();
  await row(page, heirEmail).getByRole('button', { name: 'Make co-owner' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`${heirEmail} is a co-owner now.`);
  await expect(row(page, heirEmail)).toContainText('co-owner');
  expect((await lastMailTo(heirEmail, 'changed')).text).toContain('made you a co-owner');

  // A wrong code: refused, nothing moves, what was chosen stays.
  await page.getByLabel('New owner').selectOption(heirEmail);
  const { code, step } = await nextCode(owner.totp, owner.lastStep);
  await page.getByLabel('Authentication code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(page.getByTestId('users-error')).not.toBeEmpty();
  await expect(page.getByLabel('New owner')).toHaveValue(heirEmail);
  await expect(row(page, owner.email)).toContainText('account owner');

  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(page.getByTestId('users-notice')).toHaveText(`${heirEmail} is the account owner now; you are a co-owner.`);
  owner.lastStep = step;
  await expect(row(page, heirEmail)).toContainText('account owner');
  await expect(row(page, owner.email)).toContainText('co-owner');
  await expect(page.getByRole('heading', { name: 'Transfer ownership' })).toHaveCount(0);
  await expect(row(page, heirEmail).getByRole('button')).toHaveCount(0);
  expect((await lastMailTo(heirEmail, 'has a new account owner')).text).toContain('over to you');
  expect((await lastMailTo(owner.email, 'has a new account owner')).text).toContain('you are a co-owner now');

  // The new owner has the owner's controls over the former one.
  await heirPage.goto('/Account/Users');
  await expect(row(heirPage, owner.email).getByRole('button', { name: 'Make user' })).toBeVisible();
  await expect(heirPage.getByRole('heading', { name: 'Transfer ownership' })).toBeVisible();
  await heirContext.close();
});

test.describe('without JavaScript', () => {
  test('an invitation and its revocation are plain form posts, and the page says what happened', async ({ page, browser }) => {
    const owner = await newSignedInOwner(page);
    const email = uniqueEmail('plain');
    // The owner's signed-in session, in a browser that runs no script.
    const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const noJs = await plain.newPage();
    await noJs.goto('/Account/Users');
    await noJs.getByLabel('Email address').fill(email);
    await noJs.getByRole('button', { name: 'Invite user' }).click();
    // Back on the page (the server answers a plain post with a redirect to it).
    await expect(noJs).toHaveURL(/\/Account\/Users\??$/);
    await expect(row(noJs, email)).toContainText('Invitation pending');
    // What happened is said on the page the post came back to, once.
    await expect(noJs.getByTestId('users-notice')).toHaveText(`Invitation sent to ${email}. The link works once, for 7 days.`);
    expect((await lastMailTo(email, 'Your invitation to')).text).toContain('AcceptInvitation?token=');
    await noJs.reload();
    await expect(noJs.getByTestId('users-notice')).toBeEmpty();

    // A refusal is said too, and nothing changes.
    await noJs.getByLabel('Email address').fill(owner.email);
    await noJs.getByRole('button', { name: 'Invite user' }).click();
    await expect(noJs.getByTestId('users-error')).toHaveText(`${owner.email} already has a user, in this account or another.`);
    await expect(noJs.getByTestId('users-notice')).toBeEmpty();
    await expect(row(noJs, owner.email)).toContainText('account owner');

    await row(noJs, email).getByRole('button', { name: 'Revoke invitation' }).click();
    await expect(noJs).toHaveURL(/\/Account\/Users\??$/);
    await expect(row(noJs, email)).toHaveCount(0);
    await expect(noJs.getByTestId('users-notice')).toHaveText(`The invitation of ${email} was revoked.`);
    await expect(noJs.getByTestId('users-error')).toBeEmpty();
    await expect(row(noJs, owner.email)).toContainText('account owner');
    await plain.close();
  });
});
