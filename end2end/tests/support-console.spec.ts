// Support agents at work: the queue, a request with how its requester was proved and what the
// system knows, its documents inline, approving with their own code, rejecting with a reason;
// and what approval does to the person whose 2FA is reset (signed out everywhere, mailed a
// single-use link that, with their password, sets up a new authenticator; the password alone
// does not; the old codes dead).
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as path from 'node:path';
import { lastMailTo } from './support/admin';
import { PASSWORD, newSignedInAgent, newSignedInOwner, newSignedInUser } from './support/passkeys';
import * as OTPAuth from 'otpauth';
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

/** The setup link in the newest mail to `to` about `subject`. */
async function setupLink(to: string, subject: string): Promise<string> {
  const mail = await lastMailTo(to, subject);
  return /https?:\/\/\S+\/Account\/Login\?setup=[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')![0];
}

/** On the login page a setup link opened: the password, then a new QR code scanned and confirmed. */
async function setUpAgain(page: Page, email: string, old: { totp: OTPAuth.TOTP; lastStep: number; recoveryCodes: string[] }) {
  await expect(page.getByTestId('setup-link')).toContainText('to set up two-factor authentication');
  await page.getByLabel('User name').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
  await expect(page).toHaveURL(/\/Account\/SetupTwoFactor$/);
  const fresh = totpFromUri(await scanQr(page.getByTestId('qr')));
  expect(fresh.secret.base32).not.toBe(old.totp.secret.base32);
  const { code: oldCode } = await freshCode(old.totp, old.lastStep);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Authentication code').fill(oldCode);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('code');
  const { code: newCode } = await freshCode(fresh);
  await page.getByLabel('Authentication code').fill(newCode);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  // A reset is a fresh start: a new set of recovery codes, the old ones gone.
  const codes = await saveRecoveryCodes(page);
  expect(codes.some((c) => old.recoveryCodes.includes(c))).toBe(false);
  await expect(page.getByTestId('email')).toHaveText(email);
}

test('a co-owner asks from the Users page; approved, the user needs the mailed link and their password to set up again', async ({ browser }) => {
  test.setTimeout(120_000);
  const [o, c, u, a] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ownerPage, coPage, userPage, agentPage] = await Promise.all([o.newPage(), c.newPage(), u.newPage(), a.newPage()]);
  const owner = await newSignedInOwner(ownerPage);
  const co = await newSignedInUser(coPage, owner.account, 'co', 'co-owner');
  const user = await newSignedInUser(userPage, owner.account, 'member');
  const agent = await newSignedInAgent(agentPage);

  await coPage.goto('/Account/Users');
  await coPage.locator('table.users tbody tr').filter({ hasText: user.email }).getByRole('link', { name: 'Request 2FA reset' }).click();
  await expect(coPage.getByLabel('Your email address')).toHaveValue(co.email);
  await coPage.getByRole('button', { name: 'Send request' }).click();
  await expect(coPage.getByRole('heading', { name: 'Request received' })).toBeVisible();
  const reference = (await coPage.getByTestId('reference').textContent())!;

  // Not for owners: the console is the agents'.
  await ownerPage.goto('/support/console');
  await expect(ownerPage.getByRole('alert')).toHaveText('You do not have access to this.');

  await openRequest(agentPage, reference);
  await expect(agentPage.getByTestId('status')).toHaveText('New');
  await expect(agentPage.getByTestId('requester')).toHaveText(co.email);
  await expect(agentPage.getByTestId('target')).toHaveText(user.email);
  await expect(agentPage.getByTestId('verified')).toContainText(`Signed in as ${co.email} when filing`);
  const facts = agentPage.getByTestId('facts');
  await expect(facts).toContainText('The co-owner of this account');
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
  expect((await lastMailTo(co.email, `${reference} approved`)).subject).toContain(`${reference} approved`);

  // The user: signed out at their next request; the password alone sets nothing up.
  await userPage.goto('/');
  await expect(userPage).toHaveURL(/\/Account\/Login$/);
  const reset = await lastMailTo(user.email, 'Two-factor authentication');
  for (const app of ['Authy', 'Google Authenticator', 'Microsoft Authenticator', 'LastPass', '1Password']) {
    expect(reset.text).toContain(app);
  }
  expect(reset.text).toContain('your password alone is not enough');
  await logIn(userPage, user.email);
  await expect(userPage.getByRole('alert')).toContainText('we have sent it to your email address');
  await expect(userPage).toHaveURL(/\/Account\/Login$/);
  // The link from the mail, then the password: a new QR code.
  await userPage.goto(await setupLink(user.email, 'Two-factor authentication'));
  await setUpAgain(userPage, user.email, user);
  await Promise.all([o.close(), c.close(), u.close(), a.close()]);
});

test('an owner\'s own reset from the public form: confirmed from their mailbox, documents inline, a wrong code refused, approved, set up with the mailed link', async ({ browser }) => {
  test.setTimeout(150_000);
  const [o, a] = await Promise.all([browser.newContext(), browser.newContext()]);
  const [ownerPage, agentPage] = await Promise.all([o.newPage(), a.newPage()]);
  const owner = await newSignedInOwner(ownerPage);
  const agent = await newSignedInAgent(agentPage);

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
  await expect(form.getByRole('heading', { name: 'Confirm your request' })).toBeVisible();
  const reference = (await form.getByTestId('reference').textContent())!;
  await anonymous.close();

  // Not in the queue until the owner confirms it from their mailbox.
  await agentPage.goto('/support/console');
  await expect(agentPage.getByRole('link', { name: reference })).toHaveCount(0);
  const mail = await lastMailTo(owner.email, `Confirm your`);
  expect(mail.subject).toContain(reference);
  const confirm = /https?:\/\/\S+\/support\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')![0];
  const mailbox = await browser.newContext();
  const inbox = await mailbox.newPage();
  await inbox.goto(confirm);
  await expect(inbox.getByTestId('awaiting')).toContainText(reference);
  await expect(inbox.getByTestId('awaiting')).toContainText('3 files');
  await expectNoAxeViolations(inbox);
  await inbox.getByRole('button', { name: 'Confirm request' }).click();
  await expect(inbox.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await expect(inbox.getByTestId('reference')).toHaveText(reference);
  await inbox.goto(confirm);
  await expect(inbox.getByRole('alert')).toContainText('does not work any more');
  await mailbox.close();

  await openRequest(agentPage, reference);
  await expect(agentPage.getByTestId('verified')).toContainText(`Confirmed from the mailbox of ${owner.email}`);
  await expect(agentPage.getByTestId('facts')).toContainText('The requester (account owner)');
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
  const { code } = await freshCode(agent.totp, agent.lastStep);
  await agentPage.getByLabel('Authentication code').fill(code);
  await agentPage.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(agentPage.getByTestId('status')).toHaveText('Approved');

  await ownerPage.goto(await setupLink(owner.email, 'Two-factor authentication'));
  await setUpAgain(ownerPage, owner.email, owner);
  await Promise.all([o.close(), a.close()]);
});

test('an agent rejects with a reason, mailed to the requester', async ({ browser }) => {
  const [o, u, a] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ownerPage, userPage, agentPage] = await Promise.all([o.newPage(), u.newPage(), a.newPage()]);
  const owner = await newSignedInOwner(ownerPage);
  const user = await newSignedInUser(userPage, owner.account, 'member');
  await newSignedInAgent(agentPage);
  await ownerPage.goto(`/support/new?for=${encodeURIComponent(user.email)}`);
  await ownerPage.getByRole('button', { name: 'Send request' }).click();
  const reference = (await ownerPage.getByTestId('reference').textContent())!;

  await openRequest(agentPage, reference);
  await agentPage.getByLabel('Reason').fill('Please call us from the number on file first.');
  await agentPage.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(agentPage.getByTestId('status')).toHaveText('Rejected');
  await expect(agentPage.getByTestId('decision')).toContainText('Please call us from the number on file first.');
  const mail = await lastMailTo(owner.email, `${reference} rejected`);
  expect(mail.subject).toContain(reference);
  expect(mail.text).toContain('Please call us from the number on file first.');
  await Promise.all([o.close(), u.close(), a.close()]);
});
