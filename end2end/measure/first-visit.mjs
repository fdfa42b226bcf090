// Bytes on the wire for a first visit of the calendar: a fresh profile, nothing cached.
// Usage: node end2end/measure/first-visit.mjs http://127.0.0.1:3300/en
import { chromium } from '@playwright/test';

const url = process.argv[2];
if (!url) throw new Error('usage: first-visit.mjs <url>');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

const requests = new Map();
cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
  requests.set(requestId, { type, url: response.url, encoding: response.headers['content-encoding'] ?? 'identity' });
});
cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
  const request = requests.get(requestId);
  if (request) request.bytes = encodedDataLength;
});

await page.goto(url);
// Hydrated: the zone picker only exists once the wasm has run.
await page.locator('#viewer-zone').waitFor();
await page.waitForLoadState('networkidle');
await browser.close();

const kind = ({ type, url }) =>
  type === 'Document' ? 'html' : url.endsWith('.css') ? 'css' : url.endsWith('.js') ? 'js' : url.endsWith('.wasm') ? 'wasm' : 'other';
const totals = {};
for (const request of requests.values()) {
  const name = kind(request);
  totals[name] = (totals[name] ?? 0) + (request.bytes ?? 0);
  console.log(`${String(request.bytes ?? 0).padStart(8)} B  ${request.encoding.padEnd(8)} ${request.url}`);
}
const budgeted = ['html', 'css', 'js', 'wasm'].reduce((sum, name) => sum + (totals[name] ?? 0), 0);
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
console.log(Object.entries(totals).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', '));
console.log(`first visit, HTML + CSS + JS + wasm on the wire: ${kb(budgeted)} (budget 200 KB)`);
process.exitCode = budgeted <= 200_000 ? 0 : 1;
