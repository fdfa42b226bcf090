import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, projectSlot, test } from './fixtures';
import { waitForMail } from './mail';

/** Resolves once this page is controlled by the Rounds service worker. */
async function controlledByServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

async function register(page: Page, format: string, email: string) {
  await page.goto(`/en?format=${format}`);
  await page.locator('article h3 a').nth(projectSlot(test.info())).click();
  const title = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
  await page.getByLabel('Full name').fill('Dr. On The Go');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Career stage').selectOption('resident');
  await page.getByLabel('Province or territory').selectOption('MB');
  await page.getByLabel('I have read and accept the community rules.').check();
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+\?registered=1$/);
  // The private link comes by email only; opening it keeps the registration on the device.
  const [confirmation] = await waitForMail(email);
  const link = confirmation.text?.match(/https?:\/\/\S+\/en\/registrations\/\S+/)?.[0];
  await page.goto(link!);
  return title;
}

test('Chromium finds the app installable: manifest, icons, service worker @once', async ({ baseURL }, info) => {
  // Installability is only judged in a real profile, never in an incognito context.
  const profile = mkdtempSync(join(tmpdir(), 'rounds-profile-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { ...info.project.use, baseURL });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/en');
    await controlledByServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId))
      .toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ display: 'standalone', start_url: '/en' });
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('offline, the calendar reloads from what was seen last, and says so', async ({ page, context }) => {
  await page.goto('/en');
  await controlledByServiceWorker(page);
  const firstSession = await page.locator('article h3 a').first().textContent();
  await expect(page.getByText('You are offline')).toBeHidden();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('You are offline — showing what you saw last.')).toBeVisible();
  await expect(page.locator('article h3 a').first()).toHaveText(firstSession!);
  // The wasm came from the worker's copy too: the page still hydrates.
  await expect(page.getByLabel('Also show times in')).toBeVisible();

  await context.setOffline(false);
  await page.reload();
  await expect(page.getByText('You are offline')).toBeHidden();
  // Online, the notice is neither text of the page nor something a screen reader meets.
  expect(await page.locator('body').textContent()).not.toContain('You are offline');
  await expect(page.getByRole('status', { name: /offline/ })).toHaveCount(0);
});

test('the support page opens offline though never visited, with its links to call and text', async ({ page, context }) => {
  await page.goto('/fr');
  await controlledByServiceWorker(page);
  await context.setOffline(true);
  await page.goto('/fr/support');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Obtenir de l’aide maintenant');
  await expect(page.getByRole('link', { name: 'Composer le 911' })).toHaveAttribute('href', 'tel:911');
  await expect(page.getByRole('link', { name: 'Texter le 9-8-8' })).toHaveAttribute('href', 'sms:988');
  // Large enough for a thumb.
  const box = await page.getByRole('link', { name: 'Composer le 911' }).boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await context.setOffline(false);
});

test('live seat counts never come from the worker’s copy', async ({ page }) => {
  await page.goto('/en?format=peer-support');
  await controlledByServiceWorker(page);
  await page.locator('article h3 a').first().click();
  await expect(page.locator('html')).toHaveAttribute('data-live', 'connected');
  const stored = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(stored.length).toBeGreaterThan(0);
  expect(stored.filter((path) => path.startsWith('/live/') || path.startsWith('/api/'))).toEqual([]);
});

test.describe('a visitor in Halifax', () => {
  // Outside Eastern Time, so each entry shows the visitor's own time as well.
  test.use({ timezoneId: 'America/Halifax' });

  test('“My sessions” lists what this device registered for, with its links, also offline', async ({ page, context }) => {
    const email = `device-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.ca`;
    const title = await register(page, 'current-challenges', email);
    const managePath = new URL(page.url()).pathname;

    await page.getByRole('link', { name: 'My sessions' }).click();
    await expect(page).toHaveURL(/\/en\/my-sessions$/);
    const entry = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
    await expect(entry).toContainText('Registered');
    await expect(entry).toContainText(/Eastern Time: .+ ET/);
    await expect(entry.locator('.viewer-time')).toContainText(/^Your time: .+ UTC\u2212[34]$/);
    await expect(entry.getByRole('link', { name: 'Manage or cancel' })).toHaveAttribute('href', managePath);
    await expect(entry.getByRole('link', { name: 'Add to your calendar' })).toHaveAttribute('href', /\/calendar\.ics$/);

    await controlledByServiceWorker(page);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByText('You are offline — showing what you saw last.')).toBeVisible();
    await expect(entry).toContainText('Registered');
    await context.setOffline(false);

    // Cancelling through its link is reflected in the list; the list can then forget it.
    await entry.getByRole('link', { name: 'Manage or cancel' }).click();
    await page.getByRole('button', { name: 'Cancel my registration' }).click();
    await expect(page.getByRole('status')).toContainText('your registration is cancelled');
    // The page records the new standing on the device once its bundle has started.
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('rounds.my-sessions')))
      .toContain('"cancelled"');
    await page.goto('/en/my-sessions');
    await expect(entry).toContainText('Cancelled');
    await expect(entry.getByRole('link', { name: 'Add to your calendar' })).toHaveCount(0);
    await entry.getByRole('button', { name: 'Remove from this list' }).click();
    await expect(entry).toHaveCount(0);
  });
});

test('registering with the keyboard alone, focus lands on each message @ssr', async ({ page }) => {
  await page.goto('/en?format=psychological-first-aid');
  await page.locator('article h3 a').nth(projectSlot(test.info())).click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+$/);

  /** Presses Tab until the element matching `selector` has focus. */
  async function tabTo(selector: string) {
    for (let presses = 0; presses < 60; presses++) {
      if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  await tabTo('#register-name');
  await page.keyboard.type('Dr. Keys Only');
  await tabTo('#register-email');
  await page.keyboard.type(`keys-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.ca`);
  await tabTo('#register-career_stage');
  await page.keyboard.type('Resident');
  await tabTo('#register-province');
  await page.keyboard.type('Nova');
  await tabTo('form button[type=submit]');
  await page.keyboard.press('Enter');

  // The rules were not accepted: the summary takes focus and links to the checkbox.
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Accept the community rules to register.');
  await expect(page.locator('[role=alert], :has(> [role=alert])').first()).toBeFocused();
  await expect(page.locator('#register-career_stage')).toHaveValue('resident');
  await expect(page.locator('#register-province')).toHaveValue('NS');

  await tabTo('#register-rules');
  await page.keyboard.press('Space');
  await expect(page.locator('#register-rules')).toBeChecked();
  await tabTo('form button[type=submit]');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/en\/sessions\/\d+\?registered=1$/);
  const outcome = page.getByRole('status');
  await expect(outcome).toContainText('We have emailed the address you gave');
  await expect(outcome).toBeVisible();
  await expect(page.locator(':has(> [role=status])').filter({ has: outcome })).toBeFocused();
});
