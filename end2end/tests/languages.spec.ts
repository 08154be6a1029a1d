// Gatehouse in German: a browser that asks for it signs up and signs in in German, a person
// who chose German gets German mails whatever browser the request came from, and the login
// page speaks German and switches language without JavaScript.
import { test, expect, Browser } from '@playwright/test';
import { admin, lastMailTo, uniqueEmail } from './support/admin';
import { expectNoAxeViolations } from './support/axe';
import { newSignedInOwner, PASSWORD } from './support/passkeys';
import { freshCode, nextCode, scanQr, totpFromUri } from './support/totp';

/** A browser whose only language is Swiss German: `de-CH` is served by `de`. */
async function germanPage(browser: Browser, javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: 'de-CH', javaScriptEnabled });
  return { context, page: await context.newPage() };
}

test('a browser asking for German signs up from the invitation and signs in, all in German', async ({ browser }) => {
  const { context, page } = await germanPage(browser);
  const email = uniqueEmail('de-owner');
  const account = `Bäckerei ${Date.now()}`;
  const printed = admin('create-account', '--name', account, '--owner-email', email);
  const link = /https?:\/\/\S+AcceptInvitation\?token=[A-Za-z0-9_-]+/.exec(printed.join('\n'))![0];

  await page.goto(link);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('heading', { level: 1, name: 'Einladung annehmen' })).toBeVisible();
  await expect(page.getByText(`Sie treten „${account}“ als Kontoinhaber bei.`)).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Neues Passwort', { exact: true }).fill('kurz');
  await page.getByLabel('Passwort bestätigen', { exact: true }).fill('kurz');
  await page.getByRole('button', { name: 'Passwort erstellen' }).click();
  // The core's rule, said in German with its numbers.
  await expect(page.getByRole('alert')).toContainText('12');
  await expect(page.getByRole('alert')).not.toContainText('characters');
  await page.getByLabel('Neues Passwort', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Passwort bestätigen', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Passwort erstellen' }).click();

  await expect(page).toHaveURL(/\/Account\/SetupTwoFactor$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Zwei-Faktor-Authentifizierung einrichten' })).toBeVisible();
  const guide = page.getByRole('table', { name: 'Authenticator auswählen' });
  await expect(guide.getByRole('columnheader', { name: 'Kostenloser Tarif' })).toBeVisible();
  await expect(guide.getByRole('row', { name: /Google Authenticator/ }).getByText('Ja').first()).toBeVisible();
  await expectNoAxeViolations(page);
  const totp = totpFromUri(await scanQr(page.getByTestId('qr')));
  await page.getByRole('button', { name: 'Weiter' }).click();
  const first = await freshCode(totp);
  await page.getByLabel('Authentifizierungscode').fill(first.code);
  await page.getByRole('button', { name: 'Weiter', exact: true }).click();

  await expect(page).toHaveURL(/\/Account\/RecoveryCodes$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Wiederherstellungscodes' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Ich habe meine Codes gespeichert, weiter' }).click();
  await expect(page.getByTestId('email')).toHaveText(email);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: 'Abmelden' }).click();
  await expect(page).toHaveURL(/\/Account\/Login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Anmelden' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Benutzername').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill('nicht das richtige Passwort');
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Benutzername oder Passwort ist falsch.');
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await expect(page).toHaveURL(/step=code/);
  const second = await nextCode(totp, first.step);
  await page.getByLabel('Authentifizierungscode').fill(second.code);
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await expect(page.getByTestId('email')).toHaveText(email);
  await context.close();
});

test('a person who chose German gets German mails, even when an English browser signs in', async ({ page, browser }) => {
  const owner = await newSignedInOwner(page);
  await page.goto('/Account/Security#language');
  await page.getByLabel('Language', { exact: true }).selectOption('de');
  await page.getByRole('button', { name: 'Save language' }).click();
  await expect(page.getByTestId('language-notice')).toHaveText('Sprache gespeichert.');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');

  // A new browser, in English: the sign-in's pages follow the browser until the person is
  // known; the mails follow the person.
  const english = await browser.newContext({ locale: 'en-GB' });
  const elsewhere = await english.newPage();
  await elsewhere.goto('/Account/Login');
  await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'en');
  await elsewhere.getByLabel('User name').fill(owner.email);
  await elsewhere.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await elsewhere.getByRole('button', { name: 'Log In' }).click();
  await elsewhere.getByRole('link', { name: 'Use a recovery code' }).click();
  await elsewhere.getByLabel('Recovery code').fill(owner.recoveryCodes[0]);
  await elsewhere.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(elsewhere).toHaveURL(/\/Account\/Security\?recovery_codes_left=9$/);
  // Signed in, the person's own choice holds in this browser too.
  await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'de');

  const used = await lastMailTo(owner.email, 'Ein Wiederherstellungscode');
  expect(used.subject).toBe('Ein Wiederherstellungscode wurde für Ihre Anmeldung bei Gatehouse verwendet');
  expect(used.text).toContain('Sie haben noch 9 Wiederherstellungscodes.');
  expect(used.text).toContain('Guten Tag,');
  const newBrowser = await lastMailTo(owner.email, 'Neue Anmeldung');
  expect(newBrowser.text).toContain('in einem neuen Browser');
  await english.close();
});

test('the login page in German without JavaScript: labels, a refusal, and the language switch', async ({ browser }) => {
  const { context, page } = await germanPage(browser, false);
  await page.goto('/Account/Login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page).toHaveTitle(/^Anmelden/);
  await page.getByLabel('Benutzername').fill(uniqueEmail('nobody'));
  await page.getByLabel('Passwort', { exact: true }).fill('irgendein Passwort');
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  // (axe needs script in the page: the German login page is scanned in the first test.)
  await expect(page.getByRole('alert')).toHaveText('Benutzername oder Passwort ist falsch.');

  const languages = page.getByRole('navigation', { name: 'Sprache' });
  await languages.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'English' })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await context.close();
});
