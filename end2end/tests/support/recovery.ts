// The page that shows a new set of recovery codes once, as a person goes through it.
import { Page, expect } from '@playwright/test';

/** On `/Account/RecoveryCodes`: reads the ten codes, then continues to the start page. */
export async function saveRecoveryCodes(page: Page): Promise<string[]> {
  await expect(page).toHaveURL(/\/Account\/RecoveryCodes$/);
  const list = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(list).toHaveCount(10);
  const codes = (await list.allInnerTexts()).map((c) => c.trim());
  for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  await page.getByRole('link', { name: 'I have saved my codes, continue' }).click();
  await expect(page).toHaveURL(/\/$/);
  return codes;
}
