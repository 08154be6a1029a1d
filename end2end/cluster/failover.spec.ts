// `make test-cluster`, after the sign-in paths ran through both nodes: one node is killed
// (SIGKILL, mid-sign-in for one person), and people carry on through the proxy on the other,
// with their sessions and half-finished sign-ins intact; a code used on one node stays used;
// each mail went out once although both nodes ran the mail queue.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { newSignedInOwner, PASSWORD } from '../tests/support/passkeys';
import { CLUSTER_DIR, NODE_PORTS, OUTBOX } from '../tests/support/server';
import { nextCode } from '../tests/support/totp';

/** How many server function calls a node answered, from its own /metrics. */
async function apiCalls(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('gatehouse_http_requests_total{') && l.includes('route="/api/'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** A new browser, past the password step of `email`'s sign-in: the code step is next. */
async function atCodeStep(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/Account/Login');
  await page.getByLabel('User name').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log In', exact: true }).click();
  await expect(page).toHaveURL(/step=code/);
  return { context, page };
}

function killNode(i: number) {
  const pid = Number(fs.readFileSync(path.join(CLUSTER_DIR, `node${i}.pid`), 'utf8'));
  process.kill(pid, 'SIGKILL');
}

test('a node is killed mid-sign-in: sessions and the half-finished sign-in go on on the other', async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The proxy did alternate: both nodes answered a good share of the suite's calls.
  const calls = await Promise.all(NODE_PORTS.map(apiCalls));
  expect(Math.min(...calls), `server function calls per node: ${calls}`).toBeGreaterThan(Math.max(...calls) / 3);
  const owner = await newSignedInOwner(page);
  // Someone else's browser (the owner's phone, say) is between password and code.
  const { context: phone, page: half } = await atCodeStep(browser, owner.email);

  killNode(1);

  // Every request now lands on node 0 (the proxy passes refused connections on): the
  // signed-in session is still there, page after page.
  for (let i = 0; i < 4; i++) {
    await page.goto('/Account/Security');
    await expect(page.getByRole('heading', { name: 'Security', exact: true })).toBeVisible();
  }
  await page.goto('/');
  await expect(page.getByTestId('email')).toHaveText(owner.email);

  // The half-finished sign-in ends with a code on the surviving node.
  const { code, step } = await nextCode(owner.totp, owner.lastStep);
  await half.getByLabel('Authentication code').fill(code);
  await half.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(half.getByTestId('email')).toHaveText(owner.email);
  owner.lastStep = step;

  // The same code again, in a third browser: used is used, whichever node saw it.
  const { context: third, page: again } = await atCodeStep(browser, owner.email);
  await again.getByLabel('Authentication code').fill(code);
  await again.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(again.getByRole('alert')).not.toBeEmpty();
  await expect(again).toHaveURL(/step=code/);
  await phone.close();
  await third.close();
});

test('every mail of the run went out once, though both nodes sent from the queue', async () => {
  // A link with a single-use token is in exactly one mail, however often the same notice
  // goes out: two files with one token mean the queue sent a mail twice.
  const files = new Map<string, number>();
  for (const file of fs.readdirSync(OUTBOX).filter((f) => f.endsWith('.eml'))) {
    const text = fs.readFileSync(path.join(OUTBOX, file), 'utf8').replace(/=\r?\n/g, '');
    for (const token of new Set(text.match(/token=[A-Za-z0-9_-]{20,}/g) ?? [])) {
      files.set(token, (files.get(token) ?? 0) + 1);
    }
  }
  expect(files.size, 'mails with links in the run').toBeGreaterThan(10);
  expect([...files].filter(([, n]) => n > 1), 'mails delivered more than once').toEqual([]);
});
