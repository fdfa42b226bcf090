// A real SMTP server on loopback for the end-to-end tests: it accepts every message and
// writes it, as received, to MAIL_DIR (one .eml file per message), where the tests read it.
import { SMTPServer } from 'smtp-server';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const port = Number(process.env.SMTP_PORT ?? 2525);
const dir = process.env.MAIL_DIR ?? 'end2end/.mail';
mkdirSync(dir, { recursive: true });
let received = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      received += 1;
      writeFileSync(join(dir, `${Date.now()}-${received}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`mail sink on 127.0.0.1:${port}, writing to ${dir}`));
