// Operator commands and the mail outbox, as the tests use them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simpleParser, ParsedMail } from 'mailparser';
import { e2eEnv, OUTBOX, ROOT } from './server';

/** Runs `gatehouse admin ...` against the test server's database; returns stdout lines. */
export function admin(...args: string[]): string[] {
  const out = execFileSync(path.join(ROOT, 'target/release/gatehouse'), ['admin', ...args], {
    cwd: ROOT,
    env: e2eEnv(),
    encoding: 'utf8',
  });
  return out.trimEnd().split('\n');
}

/** A unique address per test run, so tests never collide on the shared server. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Every mail in the outbox addressed to `to`, oldest first, parsed as MIME. */
export async function mailsTo(to: string): Promise<ParsedMail[]> {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith('.eml')) : [];
  const mails = await Promise.all(
    files.map(async (f) => {
      const full = path.join(OUTBOX, f);
      return { mtime: fs.statSync(full).mtimeMs, name: f, mail: await simpleParser(fs.readFileSync(full)) };
    }),
  );
  return mails
    .filter(({ mail }) => (Array.isArray(mail.to) ? mail.to : [mail.to]).some((a) => a?.text.includes(to)))
    .sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name))
    .map(({ mail }) => mail);
}

/**
 * The newest mail to `to` (whose subject contains `subject`, if given), waiting up to 15 s
 * for it: the server queues mail and sends it a moment after the request.
 */
export async function lastMailTo(to: string, subject?: string): Promise<ParsedMail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mine = (await mailsTo(to)).filter((m) => subject === undefined || (m.subject ?? '').includes(subject));
    if (mine.length > 0) return mine[mine.length - 1];
    if (Date.now() > deadline) throw new Error(`no mail to ${to}${subject ? ` about “${subject}”` : ''} in ${OUTBOX}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
