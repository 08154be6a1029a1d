// Support agents at work: the queue, a request with what the system knows and its documents
// inline, approving with their own code, rejecting with a reason; and what approval does to
// the person whose 2FA is reset (signed out everywhere, mailed, set up again at the next
// login, the old codes dead).
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as path from 'node:path';
import { lastMailTo } from './support/admin';
import { PASSWORD, newSignedInAgent, newSignedInOwner, newSignedInUser } from './support/passkeys';
import { freshCode, scanQr, totpFromUri } from './support/totp';
import { saveRecoveryCodes } from './support/recovery';

const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${page.url()} ${v.id}: ${v.help}`)).toEqual([]);
}

async function logIn(page: Page, email: string) {
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
}

async function openRequest(agent: Page, reference: string) {
  await agent.goto('/');
  await agent.getByRole('link', { name: 'Support console' }).click();
  await expect(agent).toHaveURL(/\/support\/console$/);
  await agent.getByRole('link', { name: 'New', exact: true }).click();
  await agent.getByRole('link', { name: reference }).click();
  await expect(agent.getByRole('heading', { name: `Request ${reference}` })).toBeVisible();
}

test('an agent approves an owner\'s request for a user; the user is signed out and sets up 2FA again', async ({ browser }) => {
  test.setTimeout(120_000);
  const [o, u, a] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ownerPage, userPage, agentPage] = await Promise.all([o.newPage(), u.newPage(), a.newPage()]);
  const owner = await newSignedInOwner(ownerPage);
  const user = await newSignedInUser(userPage, owner.account, 'member');
  const agent = await newSignedInAgent(agentPage);

  await ownerPage.goto(`/support/new?for=${encodeURIComponent(user.email)}`);
  await ownerPage.getByRole('button', { name: 'Send request' }).click();
  const reference = (await ownerPage.getByTestId('reference').textContent())!;

  // Not for owners: the console is the agents'.
  await ownerPage.goto('/support/console');
  await expect(ownerPage.getByRole('alert')).toHaveText('You do not have access to this.');

  await openRequest(agentPage, reference);
  await expect(agentPage.getByTestId('status')).toHaveText('New');
  await expect(agentPage.getByTestId('requester')).toHaveText(owner.email);
  await expect(agentPage.getByTestId('target')).toHaveText(user.email);
  const facts = agentPage.getByTestId('facts');
  await expect(facts).toContainText('The account owner of this account');
  await expect(facts).toContainText('A user of this account');
  await expect(facts).toContainText('Authenticator app set up');
  await expect(agentPage.getByTestId('approval-problem')).toHaveCount(0);
  await expectNoAxeViolations(agentPage);

  const { code } = await freshCode(agent.totp, agent.lastStep);
  await agentPage.getByLabel('Authentication code').fill(code);
  await agentPage.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(agentPage.getByTestId('status')).toHaveText('Approved');
  await expect(agentPage.getByTestId('decision')).toContainText('The authenticator was removed and every session ended.');
  await agentPage.goto('/support/console?status=approved');
  await expect(agentPage.getByRole('link', { name: reference })).toBeVisible();

  // The user: signed out at their next request, told what to do, set up again.
  await userPage.goto('/');
  await expect(userPage).toHaveURL(/\/Account\/Login$/);
  const reset = await lastMailTo(user.email, 'Two-factor authentication');
  expect(reset.subject).toContain('Two-factor authentication');
  for (const app of ['Authy', 'Google Authenticator', 'Microsoft Authenticator', 'LastPass', '1Password']) {
    expect(reset.text).toContain(app);
  }
  expect((await lastMailTo(owner.email, `${reference} approved`)).subject).toContain(`${reference} approved`);

  const { code: oldCode } = await freshCode(user.totp, user.lastStep);
  await logIn(userPage, user.email);
  await expect(userPage).toHaveURL(/\/Account\/SetupTwoFactor$/);
  const fresh = totpFromUri(await scanQr(userPage.getByTestId('qr')));
  expect(fresh.secret.base32).not.toBe(user.totp.secret.base32);
  await userPage.getByRole('button', { name: 'Next' }).click();
  await userPage.getByLabel('Authentication code').fill(oldCode);
  await userPage.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(userPage.getByRole('alert')).toContainText('code');
  const { code: newCode } = await freshCode(fresh);
  await userPage.getByLabel('Authentication code').fill(newCode);
  await userPage.getByRole('button', { name: 'Next', exact: true }).click();
  // A reset is a fresh start: a new set of recovery codes, the old ones gone.
  const codes = await saveRecoveryCodes(userPage);
  expect(codes.some((c) => user.recoveryCodes.includes(c))).toBe(false);
  await expect(userPage.getByTestId('email')).toHaveText(user.email);
  await Promise.all([o.close(), u.close(), a.close()]);
});

test('an owner\'s own reset: documents inline and checked off, a wrong code refused, then rejected with a reason', async ({ browser }) => {
  test.setTimeout(120_000);
  const [o, a] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [ownerPage, agentPage] = await Promise.all([o.newPage(), a.newPage()]);
  const owner = await newSignedInOwner(ownerPage);
  await newSignedInAgent(agentPage);

  // Locked out, signed out: the public form.
  const anonymous = await browser.newContext();
  const form = await anonymous.newPage();
  await form.goto('/support/new?reset=1');
  await expect(form.locator('.drop-zone.enhanced[data-zone=attachments]')).toBeVisible();
  await form.getByLabel('Your email address').fill(owner.email);
  await form.getByLabel('Account name').fill(owner.account);
  await form.getByLabel('I am the account owner and the reset is for me').check();
  await form.getByLabel('Legal ID').setInputFiles(fixture('passport.jpg'));
  await form.getByLabel('Proof of business registration').setInputFiles(fixture('registration.pdf'));
  await form.getByLabel('Letter on company letterhead').setInputFiles(fixture('letterhead.png'));
  await form.getByRole('button', { name: 'Send request' }).click();
  const reference = (await form.getByTestId('reference').textContent())!;
  await anonymous.close();

  await openRequest(agentPage, reference);
  await expect(agentPage.getByRole('list', { name: 'Owner documents' }).getByRole('listitem')).toHaveText([
    'Legal ID: received',
    'Proof of business registration: received',
    'Letter on company letterhead: received',
  ]);
  await expect(agentPage.getByTestId('document')).toHaveCount(3);
  const passport = agentPage.getByRole('img', { name: 'Legal ID, passport.jpg' });
  await expect.poll(() => passport.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(480);
  const pdf = agentPage.locator('iframe[title="Proof of business registration, registration.pdf"]');
  const served = await agentPage.request.get((await pdf.getAttribute('src'))!);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('application/pdf');
  expect(served.headers()['x-content-type-options']).toBe('nosniff');
  expect(served.headers()['content-security-policy']).toContain('sandbox');
  expect((await served.body()).subarray(0, 5).toString()).toBe('%PDF-');
  // Only agents: the owner's own session gets nothing.
  expect((await ownerPage.request.get((await pdf.getAttribute('src'))!)).status()).toBe(403);
  await expectNoAxeViolations(agentPage);

  await agentPage.getByLabel('Authentication code').fill('000000');
  await agentPage.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(agentPage.getByRole('alert').filter({ hasText: 'code' })).toBeVisible();
  await expect(agentPage.getByTestId('status')).toHaveText('New');

  await agentPage.getByLabel('Reason').fill('The letter on company letterhead is not signed.');
  await agentPage.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(agentPage.getByTestId('status')).toHaveText('Rejected');
  await expect(agentPage.getByTestId('decision')).toContainText('The letter on company letterhead is not signed.');
  const mail = await lastMailTo(owner.email, `${reference} rejected`);
  expect(mail.subject).toContain(reference);
  expect(mail.text).toContain('The letter on company letterhead is not signed.');
  await Promise.all([o.close(), a.close()]);
});
