// Reading the QR code like a phone camera would, and computing codes with an independent
// TOTP library (npm `otpauth`), never with Gatehouse's own code.
import { Locator } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import * as OTPAuth from 'otpauth';

export async function scanQr(qr: Locator): Promise<string> {
  const png = PNG.sync.read(await qr.screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error('no QR code found in the screenshot');
  return found.data;
}

export function totpFromUri(uri: string): OTPAuth.TOTP {
  const parsed = OTPAuth.URI.parse(uri);
  if (!(parsed instanceof OTPAuth.TOTP)) throw new Error(`not a TOTP URI: ${uri}`);
  return parsed;
}

const stepOf = (ms: number) => Math.floor(ms / 30_000);

/**
 * A code for a time step later than `after` (codes are single-use per step), taken with at
 * least 3 seconds left in its window so it cannot expire while the test types it.
 */
export async function freshCode(totp: OTPAuth.TOTP, after = -1): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const left = 30_000 - (now % 30_000);
    if (stepOf(now) > after && left > 3_000) {
      return { code: totp.generate({ timestamp: now }), step: stepOf(now) };
    }
    await new Promise((r) => setTimeout(r, Math.min(left + 50, 1_000)));
  }
}

/**
 * A code for the step after `after`, without waiting when that step is the current one or
 * the next (the server accepts one step either side): a test can sign in a second time at
 * once. Waits only when even the next step was used.
 */
export async function nextCode(totp: OTPAuth.TOTP, after: number): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const want = Math.max(stepOf(now), after + 1);
    if (want <= stepOf(now) + 1) return { code: totp.generate({ timestamp: want * 30_000 }), step: want };
    await new Promise((r) => setTimeout(r, 30_000 - (now % 30_000) + 50));
  }
}
