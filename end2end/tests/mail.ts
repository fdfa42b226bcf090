// Reads what the mail sink received (see ../mail-sink.mjs).
import { simpleParser, type ParsedMail } from 'mailparser';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.MAIL_DIR ?? 'end2end/.mail';

async function messagesTo(address: string): Promise<ParsedMail[]> {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
  return parsed.filter((mail) => {
    const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
    return to.some((t) => t.value.some((v) => v.address === address));
  });
}

/** Waits until `count` messages to `address` have arrived, and returns them. */
export async function waitForMail(address: string, count = 1, timeoutMs = 15_000): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await messagesTo(address);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s) to ${address}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
