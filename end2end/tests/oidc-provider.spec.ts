import { test, expect, Page } from '@playwright/test';
import * as http from 'node:http';
import * as oidc from 'openid-client';
import { logOut, newSignedInOwner } from './support/passkeys';
import { nextCode } from './support/totp';
import { expectNoAxeViolations } from './support/axe';
import { BASE_URL } from './support/server';

// Gatehouse as an OpenID Provider, for an application using a client library nobody in this
// project wrote (openid-client): discovery, code + PKCE, the ID token checked against the
// published keys, userinfo. The person signs in in a real browser; the application's callback
// is answered here, where the browser arrives with the code.

const CLIENT_ID = 'e2e-app';
const SECRET = 'e2e-app-secret-0123456789';
const CALLBACK = 'http://127.0.0.1:3113/callback';

async function application() {
  // Gatehouse runs on plain http here, as in every browser test.
  return oidc.discovery(new URL(BASE_URL), CLIENT_ID, SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
}

// The application's own page, where the browser lands with the code: a real listener on the
// callback's port (a redirect from Gatehouse straight to it is a navigation of its own).
let listener: http.Server;
const arrivals: ((url: string) => void)[] = [];
test.beforeAll(async () => {
  listener = http.createServer((req, res) => {
    // Only the callback is an arrival: the browser asks for /favicon.ico on its own time.
    const waiting = req.url?.startsWith('/callback') ? arrivals.shift() : undefined;
    if (waiting) waiting(`http://127.0.0.1:3113${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>E2E App</title><p>Signed in.</p>');
  });
  await new Promise<void>((resolve) => listener.listen(3113, '127.0.0.1', resolve));
});
test.afterAll(() => listener.close());

/** The full address of the browser's next arrival at the application. */
function landing(_page: Page): Promise<string> {
  return new Promise((resolve) => arrivals.push(resolve));
}

test('a signed-out person signs in to the application with password and code, then single sign-on', async ({ page }) => {
  test.setTimeout(90_000); // fresh codes: up to 30 s of waiting for the next time step
  const owner = await newSignedInOwner(page);
  await logOut(page);
  const config = await application();
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: owner.email,
  });

  const arrived = landing(page);
  await page.goto(url.href);
  await expect(page).toHaveURL(/\/Account\/Login\?login_hint=/);
  await expect(page.getByLabel('User name')).toHaveValue(owner.email);
  await page.getByLabel('Password', { exact: true }).fill('harbour quill meadow lantern');
  await page.getByRole('button', { name: 'Log In' }).click();
  const { code, step } = await nextCode(owner.totp, owner.lastStep);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  const callback = new URL(await arrived);
  await expect(page).toHaveTitle('E2E App');

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  expect(claims.iss).toBe(BASE_URL);
  expect([claims.aud].flat()).toEqual([CLIENT_ID]);
  expect(claims.email).toBe(owner.email);
  expect(claims.sub).not.toContain('@');
  expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
  expect(claims.role).toBe('owner');
  expect(claims.account).toBe(owner.account);
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  expect(info.email).toBe(owner.email);
  expect(info.preferred_username).toBe(owner.email);

  // Signed in at Gatehouse now: the application's next request comes straight back.
  const again = landing(page);
  const verifier2 = oidc.randomPKCECodeVerifier();
  await page.goto(
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier2),
      code_challenge_method: 'S256',
      state: 'second',
    }).href,
  );
  const tokens2 = await oidc.authorizationCodeGrant(config, new URL(await again), {
    pkceCodeVerifier: verifier2,
    expectedState: 'second',
  });
  expect(tokens2.claims()!.sub).toBe(claims.sub);
  expect(tokens2.claims()!.sid).toBe(claims.sid);

  // max_age=0: the second factor again, on Confirm it's you, before the application gets a code.
  const third = landing(page);
  const verifier3 = oidc.randomPKCECodeVerifier();
  await page.goto(
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier3),
      code_challenge_method: 'S256',
      state: 'third',
      max_age: '0',
    }).href,
  );
  await expect(page).toHaveURL(/\/Account\/Confirm$/);
  await expect(page.getByRole('heading', { name: "Confirm it's you" })).toBeVisible();
  await expectNoAxeViolations(page);
  const fresh = await nextCode(owner.totp, step);
  await page.getByLabel('Authentication code').fill(fresh.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  const tokens3 = await oidc.authorizationCodeGrant(config, new URL(await third), {
    pkceCodeVerifier: verifier3,
    expectedState: 'third',
    maxAge: 0,
  });
  expect(tokens3.claims()!.auth_time).toBeGreaterThan(claims.auth_time as number);

  // The application's Log out (RP-initiated logout with the ID token it holds): the Gatehouse
  // session ends, and the browser comes back to the application's registered address.
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:3113\/callback/);
  await page.goto(
    oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens3.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:3113/signed-out',
      state: 'bye',
    }).href,
  );
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:3113\/signed-out/);
  const back = new URL(page.url());
  expect(back.pathname).toBe('/signed-out');
  expect(back.searchParams.get('state')).toBe('bye');
  await page.goto('/');
  await expect(page).toHaveURL(/\/Account\/Login/);
});

test('an address not registered for the application is shown an error, never sent there', async ({ page }) => {
  await page.goto(`/oidc/authorize?response_type=code&client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=openid`);
  await expect(page).toHaveURL(/\/Account\/ApplicationError\?problem=redirect$/);
  await expect(page.getByTestId('application-error')).toContainText('not registered');
  await expectNoAxeViolations(page);
});
