// Passkey tests' helpers: Chromium's virtual authenticator (over CDP), a freshly invited
// user who is signed in with password and code, ageing that sign-in in the database, and
// reading every mail a person got (not only the newest).
import { execFileSync } from 'node:child_process';
import { CDPSession, Page, expect } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { admin, lastMailTo, mailsTo, uniqueEmail } from './admin';
import { saveRecoveryCodes } from './recovery';
import { e2eEnv } from './server';
import { freshCode, scanQr, totpFromUri } from './totp';

export const PASSWORD = 'harbour quill meadow lantern';

export interface Authenticator {
  cdp: CDPSession;
  authenticatorId: string;
}

/**
 * Adds a platform authenticator that holds discoverable credentials and verifies the user
 * at once. Must come before any `navigator.credentials` call: without one, `get()` hangs.
 */
export async function addVirtualAuthenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The credentials the virtual authenticator holds. */
export async function storedCredentials(a: Authenticator) {
  const { credentials } = await a.cdp.send('WebAuthn.getCredentials', { authenticatorId: a.authenticatorId });
  return credentials;
}

export interface SignedInUser {
  email: string;
  totp: OTPAuth.TOTP;
  /** The TOTP step of the last code used (a code works once). */
  lastStep: number;
  /** The recovery codes shown once after setup. */
  recoveryCodes: string[];
}

/** An account for the test file; each test invites its own user into it. */
export function createAccount(): string {
  const name = `Passkeys ${Date.now()} ${Math.floor(Math.random() * 1e6)}`;
  admin('create-account', '--name', name, '--owner-email', uniqueEmail('pk-owner'));
  return name;
}

/**
 * Invites a new user with the admin CLI, accepts the invitation (password), sets up 2FA by
 * scanning the QR code, and ends signed in on `/`.
 */
export async function newSignedInUser(
  page: Page,
  account: string,
  prefix = 'pk',
  role: 'user' | 'co-owner' = 'user',
): Promise<SignedInUser> {
  const email = uniqueEmail(prefix);
  return signUp(page, email, admin('invite', '--account', account, '--email', email, '--role', role));
}

/** A new account whose owner has accepted the invitation, set up 2FA and is signed in. */
export async function newSignedInOwner(page: Page): Promise<SignedInUser & { account: string }> {
  const account = `Northwind ${Date.now()} ${Math.floor(Math.random() * 1e6)}`;
  const email = uniqueEmail('owner');
  const owner = await signUp(page, email, admin('create-account', '--name', account, '--owner-email', email));
  return { ...owner, account };
}

/** A support agent who has accepted the invitation, set up 2FA and is signed in. */
export async function newSignedInAgent(page: Page): Promise<SignedInUser> {
  const email = uniqueEmail('agent');
  return signUp(page, email, admin('create-support-agent', '--email', email));
}

/** Follows the invitation link the admin command printed, to signed in on `/` (past the recovery codes). */
export async function signUp(page: Page, email: string, printed: string[]): Promise<SignedInUser> {
  const link = /https?:\/\/\S+AcceptInvitation\?token=[A-Za-z0-9_-]+/.exec(printed.join('\n'))![0];
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create password' }).click();
  await expect(page).toHaveURL(/\/Account\/SetupTwoFactor$/);
  const totp = totpFromUri(await scanQr(page.getByTestId('qr')));
  await page.getByRole('button', { name: 'Next' }).click();
  const { code, step } = await freshCode(totp);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  const recoveryCodes = await saveRecoveryCodes(page);
  await expect(page.getByTestId('email')).toHaveText(email);
  return { email, totp, lastStep: step, recoveryCodes };
}

// Python (sqlite3, or psycopg under `make test-cluster`), so the tests need no native npm
// module. Rewrites `gh.auth_at` in every session of the user; returns how many sessions were
// changed.
const AGE_SCRIPT = `
import json, sys
sys.path.insert(0, sys.argv[1])
from testdb import connect, text
url, email, at = sys.argv[2], sys.argv[3], int(sys.argv[4])
con = connect(url)
(uid,) = con.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
changed = 0
for sid, data in con.execute("SELECT id, data FROM sessions").fetchall():
    raw = text(data)
    d = json.loads(raw)
    signed_in = d.get("gh.signed_in")  # the layout is app/src/auth.rs's
    if not signed_in or signed_in.get("user") != uid:
        continue
    signed_in["authenticated_at"] = at
    out = json.dumps(d, separators=(",", ":"))
    con.execute("UPDATE sessions SET data = ? WHERE id = ?",
                (out.encode() if isinstance(data, (bytes, bytearray, memoryview)) else out, sid))
    changed += 1
con.commit()
print(changed)
`;

/** Makes the user's full sign-in look `secondsAgo` old, as if they signed in long ago. */
export function ageSignIn(email: string, secondsAgo = 3600): number {
  const at = Math.floor(Date.now() / 1000) - secondsAgo;
  const out = execFileSync('python3', ['-c', AGE_SCRIPT, __dirname, e2eEnv().GATEHOUSE_DATABASE_URL, email, String(at)], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

/** **Log out** from the start page; ends on the plain login page. */
export async function logOut(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/Account\/Login$/);
}

export { lastMailTo, mailsTo };
