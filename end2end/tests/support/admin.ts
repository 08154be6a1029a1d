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

/** The newest mail in the outbox addressed to `to`, parsed as MIME. */
export async function lastMailTo(to: string): Promise<ParsedMail> {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith('.eml')) : [];
  const mails = await Promise.all(
    files.map(async (f) => {
      const full = path.join(OUTBOX, f);
      return { mtime: fs.statSync(full).mtimeMs, mail: await simpleParser(fs.readFileSync(full)) };
    }),
  );
  const mine = mails
    .filter(({ mail }) => (Array.isArray(mail.to) ? mail.to : [mail.to]).some((a) => a?.text.includes(to)))
    .sort((a, b) => b.mtime - a.mtime);
  if (mine.length === 0) throw new Error(`no mail to ${to} in ${OUTBOX}`);
  return mine[0].mail;
}
