import { defineConfig, devices } from '@playwright/test';

// The release server is started by scripts/test, which passes its address here.
const baseURL = process.env.ROUNDS_E2E_URL ?? 'http://127.0.0.1:3100';

// Debian's chromium, with the network chatter a closed sandbox refuses turned off.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  // Whole flows (sign in, several pages, emails) on a shared 2-core machine; a hang still fails.
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: chromium,
    locale: 'en-CA',
    timezoneId: 'America/Toronto',
    trace: 'off',
  },
  projects: [
    // The hydrated site, as most people get it at a desk.
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions: chromium }, grepInvert: /@nojs/ },
    // Every flow again on a phone, as physicians use it between shifts (touch, small screen).
    // Tests about the browser rather than the screen (@once) run on the desktop only.
    { name: 'pixel-7', use: { ...devices['Pixel 7'], launchOptions: chromium }, grepInvert: /@nojs|@once/ },
    // A narrower phone re-checks the layout only (axe, touch targets, contrast): the flows
    // are the same Chromium code as on the Pixel 7, so running them twice proves nothing more.
    {
      name: 'iphone-14',
      use: { ...devices['iPhone 14'], browserName: 'chromium', launchOptions: chromium },
      testMatch: /accessibility\.spec\.ts/,
      grepInvert: /@nojs|@once/,
    },
    // The same server-rendered pages with JavaScript off: they must read and work on their own.
    {
      name: 'no-javascript',
      use: { ...devices['Desktop Chrome'], launchOptions: chromium, javaScriptEnabled: false },
      grep: /@ssr|@nojs/,
    },
  ],
});
