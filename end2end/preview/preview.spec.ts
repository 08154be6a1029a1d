import { test, expect } from '@playwright/test';

test('the preview renders the login page in the browser and reaches the server through the proxy', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Trunk serves an empty page: whatever shows up was drawn by the client.
  const shell = await request.get('/Account/Login');
  expect(shell.status()).toBe(200);
  expect(await shell.text()).not.toContain('User name');

  await page.goto('/Account/Login');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page).toHaveTitle('Log in · Gatehouse');
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('not the right password at all');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(password).toHaveAttribute('type', 'text');

  // A server function through Trunk's proxy: the real server's answer, shown in the page.
  await page.getByLabel('User name').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Log In' }).click();
  await expect(page.getByRole('alert')).toHaveText('The user name or password is incorrect.');
  expect(errors, errors.join('\n')).toEqual([]);
});
