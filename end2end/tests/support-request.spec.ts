// The support request form as people use it: reached from "Can't log in?" or from the Users
// page, real PDF, JPEG and PNG files dropped on the zones, picked with the keyboard or the
// picker, previewed, removed; refused files named; nothing lost when the server refuses;
// the same form without JavaScript.
import { test, expect, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastMailTo, uniqueEmail } from './support/admin';
import { newSignedInOwner, newSignedInUser } from './support/passkeys';
import { e2eEnv } from './support/server';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${page.url()} ${v.id}: ${v.help}`)).toEqual([]);
}

const zone = (page: Page, field: string) => page.locator(`.drop-zone[data-zone=${field}]`);

/** Drops files from disk on a zone, as a person dragging them from their file manager. */
async function dropFiles(target: Locator, names: string[]) {
  const types: Record<string, string> = { '.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.png': 'image/png' };
  const files = names.map((n) => ({
    name: n,
    type: types[path.extname(n)] ?? 'text/plain',
    data: fs.readFileSync(fixture(n)).toString('base64'),
  }));
  const dataTransfer = await target.page().evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, type, data } of items) {
      dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, { type }));
    }
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}

/** The documents stored with a request, as `kind:name` (read from the server's database). */
function storedDocuments(reference: string): string[] {
  const script = `
import sys
sys.path.insert(0, sys.argv[1])
from testdb import connect
con = connect(sys.argv[2])
rows = con.execute("""SELECT d.kind, d.display_name FROM support_documents d
  JOIN support_requests r ON r.id = d.request_id WHERE r.reference = ? ORDER BY d.kind, d.display_name""",
  (sys.argv[3],)).fetchall()
print("\\n".join(f"{k}:{n}" for k, n in rows))`;
  const support = path.join(__dirname, 'support');
  const out = execFileSync('python3', ['-c', script, support, e2eEnv().GATEHOUSE_DATABASE_URL, reference], {
    encoding: 'utf8',
  });
  return out.trim().split('\n').filter(Boolean);
}

/** Records every progress bar the page shows, with the highest value each reached. */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as any).progressSeen = seen;
    const record = () =>
      document.querySelectorAll('progress').forEach((p) => {
        const name = p.getAttribute('aria-label') ?? '';
        seen[name] = Math.max(seen[name] ?? 0, Number((p as HTMLProgressElement).value));
      });
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

test('an owner locked out files their own reset from "Can\'t log in?" with three real documents', async ({ page }) => {
  const me = uniqueEmail('locked-out');
  await page.goto('/Account/Login');
  await page.getByRole('link', { name: "Can't log in?" }).click();
  await expect(page).toHaveURL(/\/support\/new\?reset=1$/);
  await expect(page.getByRole('heading', { name: 'Contact support' })).toBeVisible();
  await expect(page.locator('.drop-zone.enhanced[data-zone=attachments]')).toBeVisible(); // hydrated
  await expect(page.getByLabel('Subject')).toHaveValue('Reset 2FA');
  await expect(page.getByLabel('Area')).toHaveValue('Account');
  const description = page.getByLabel('Description');
  await expect(description).toHaveValue("I, the [account owner / co-owner], ask for 2FA to be reset for [user's email].");
  // Only the general zone until the owner says the reset is their own.
  await expect(page.getByText('Legal ID', { exact: true })).toBeHidden();
  await expectNoAxeViolations(page);

  await page.getByLabel('Your email address').fill(me);
  await page.getByLabel('Account name').fill('Northwind Traders');
  await page.getByLabel('I am the account owner and the reset is for me').check();
  await expect(description).toHaveValue(`I, the account owner, ask for 2FA to be reset for ${me}.`);
  await expect(page.getByLabel('Email of the user to reset')).toBeHidden();
  await expect(page.getByText('Legal ID', { exact: true })).toBeVisible();

  // Legal ID: dragged and dropped.
  await dropFiles(zone(page, 'legal_id'), ['passport.jpg']);
  const passport = zone(page, 'legal_id').getByTestId('chosen-file');
  await expect(passport).toContainText('passport.jpg');
  await expect(passport).toContainText('KB');
  await expect(passport.locator('img.thumb')).toHaveAttribute('src', /^blob:/);
  expect(await passport.locator('img.thumb').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(480);

  // Proof of business registration: with the keyboard, Tab to the zone and Enter.
  await zone(page, 'legal_id').getByRole('button', { name: 'Remove passport.jpg' }).focus();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Proof of business registration')).toBeFocused();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(fixture('registration.pdf'));
  const registration = zone(page, 'business_registration').getByTestId('chosen-file');
  await expect(registration).toContainText('registration.pdf');
  await expect(registration.locator('.thumb.pdf')).toHaveText('PDF');

  // A file that is no document is named and refused at once; the zone keeps what it had.
  await dropFiles(zone(page, 'letterhead'), ['notes.txt']);
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt' })).toHaveText(
    '“notes.txt” was not accepted: only PDF, JPEG and PNG files can be sent.',
  );
  await expect(zone(page, 'letterhead').getByTestId('chosen-file')).toHaveCount(0);

  // Sending without the letter: the missing document is named, nothing is sent.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'needs' })).toHaveText(
    "An account owner's own reset needs the Letter on company letterhead: add it.",
  );

  // The letter through the picker; a wrong pick removed again before sending.
  await page.getByLabel('Letter on company letterhead').setInputFiles([fixture('letterhead.png'), fixture('passport.jpg')]);
  await expect(zone(page, 'letterhead').getByTestId('chosen-file')).toHaveCount(2);
  await zone(page, 'letterhead').getByRole('button', { name: 'Remove passport.jpg' }).click();
  await expect(zone(page, 'letterhead').getByTestId('chosen-file')).toHaveText([/letterhead\.png/]);
  await expectNoAxeViolations(page);

  await watchProgress(page);
  await page.getByRole('button', { name: 'Send request' }).click();
  // Signed out: the request waits until the address typed confirms it.
  await expect(page.getByRole('heading', { name: 'Confirm your request' })).toBeVisible();
  const reference = (await page.getByTestId('reference').textContent())!;
  expect(reference).toMatch(/^GH-[0-9A-HJKMNP-TV-Z]{6}$/);
  const progress = await page.evaluate(() => (window as any).progressSeen);
  expect(progress).toEqual({
    'Sending passport.jpg': 100,
    'Sending registration.pdf': 100,
    'Sending letterhead.png': 100,
  });
  expect(storedDocuments(reference)).toEqual([
    'business_registration:registration.pdf',
    'legal_id:passport.jpg',
    'letterhead:letterhead.png',
  ]);
  const confirmation = await lastMailTo(me, 'Confirm your');
  expect(confirmation.subject).toContain(reference);
  expect(confirmation.text).toContain('/support/confirm?token=');
  await expectNoAxeViolations(page);
});

test('a file the server refuses is named, and the form keeps everything for the next try', async ({ page }) => {
  const me = uniqueEmail('co-owner');
  await page.goto('/support/new');
  await expect(page.locator('.drop-zone.enhanced[data-zone=attachments]')).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveValue('');
  await page.getByLabel('Your email address').fill(me);
  await page.getByLabel('Account name').fill('Northwind Traders');
  await page.getByLabel('Subject').fill('Reset 2FA');
  await page.getByLabel('Email of the user to reset').fill('bob@northwind.example');
  await page.getByLabel('Area').selectOption('Billing');
  await page.getByLabel('Description').fill('I, the co-owner, ask for 2FA to be reset for bob@northwind.example.');
  // Named .pdf, really a PNG: the browser cannot tell, the server can.
  await dropFiles(zone(page, 'attachments'), ['disguised.pdf', 'registration.pdf']);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'disguised' })).toHaveText(
    '“disguised.pdf” was not accepted: its name says PDF but it is a PNG file: rename it or choose the right file.',
  );
  for (const [label, value] of [
    ['Your email address', me],
    ['Account name', 'Northwind Traders'],
    ['Email of the user to reset', 'bob@northwind.example'],
    ['Area', 'Billing'],
  ]) {
    await expect(page.getByLabel(label)).toHaveValue(value);
  }
  await expect(zone(page, 'attachments').getByTestId('chosen-file')).toHaveCount(2);

  await zone(page, 'attachments').getByRole('button', { name: 'Remove disguised.pdf' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  const reference = (await page.getByTestId('reference').textContent())!;
  expect(storedDocuments(reference)).toEqual(['attachment:registration.pdf']);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the form posts with its files and shows the reference, or the problem', async ({ page }) => {
    await page.goto('/support/new?reset=1');
    await page.getByLabel('Your email address').fill(uniqueEmail('nojs'));
    await page.getByLabel('Account name').fill('Northwind Traders');
    await page.getByLabel('Email of the user to reset').fill('bob@northwind.example');
    await page.getByLabel('Attachments').setInputFiles(fixture('disguised.pdf'));
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page).toHaveURL(/\/support\/new\?problem=file$/);
    await expect(page.getByRole('alert')).toHaveText(
      'A file was not accepted: send PDF, JPEG or PNG files whose content matches their name.',
    );

    await page.getByLabel('Your email address').fill(uniqueEmail('nojs'));
    await page.getByLabel('Account name').fill('Northwind Traders');
    await page.getByLabel('Subject').fill('Reset 2FA');
    await page.getByLabel('Email of the user to reset').fill('bob@northwind.example');
    await page.getByLabel('Attachments').setInputFiles(fixture('registration.pdf'));
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page).toHaveURL(/\/support\/new\?sent=GH-[0-9A-Z]{6}&confirm=1$/);
    await expect(page.getByRole('heading', { name: 'Confirm your request' })).toBeVisible();
    const reference = (await page.getByTestId('reference').textContent())!;
    expect(storedDocuments(reference)).toEqual(['attachment:registration.pdf']);
  });
});

test('an owner asks for a user\'s reset from the Users page; a plain user has no Users page', async ({ page, browser }) => {
  const owner = await newSignedInOwner(page);
  const other = await browser.newContext();
  const userPage = await other.newPage();
  const user = await newSignedInUser(userPage, owner.account, 'member');

  await page.goto('/');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/Account\/Users$/);
  const rows = page.locator('table.users tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(owner.email);
  await expect(rows.nth(0)).toContainText('account owner');
  await expect(rows.nth(1)).toContainText(user.email);
  await expect(rows.nth(1)).toContainText('Authenticator app');
  await expect(rows.nth(1).locator('[data-label="Last sign-in"]')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  await expectNoAxeViolations(page);

  await rows.nth(1).getByRole('link', { name: 'Request 2FA reset' }).click();
  await expect(page).toHaveURL(/\/support\/new\?for=/);
  await expect(page.getByLabel('Your email address')).toHaveValue(owner.email);
  await expect(page.getByLabel('Your email address')).toHaveAttribute('readonly', '');
  await expect(page.getByLabel('Account name')).toHaveValue(owner.account);
  await expect(page.getByLabel('Subject')).toHaveValue('Reset 2FA');
  await expect(page.getByLabel('Email of the user to reset')).toHaveValue(user.email);
  await expect(page.getByLabel('Description')).toHaveValue(`I, the account owner, ask for 2FA to be reset for ${user.email}.`);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('reference')).toHaveText(/^GH-/);

  await userPage.goto('/Account/Users');
  await expect(userPage.getByRole('alert')).toHaveText('You do not have access to this.');
  await expect(userPage.locator('table')).toHaveCount(0);
  await other.close();
});
