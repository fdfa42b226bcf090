import { expect, projectSlot, test } from './fixtures';
import type { Page } from '@playwright/test';
import { waitForMail } from './mail';

// Each test registers for sessions of its own format, and each project for its own session of
// that format, so tests running side by side never share seats.
async function openFirstSession(page: Page, format: string) {
  await page.goto(`/en?format=${format}`);
  await page.locator('article h3 a').nth(projectSlot(test.info())).click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+$/);
}

function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.ca`;
}

async function fillRegistration(page: Page, email: string) {
  await page.getByLabel('Full name').fill('Dr. Test Participant');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Career stage').selectOption('practising_physician');
  await page.getByLabel('Province or territory').selectOption('NS');
  await page.getByLabel('I have read and accept the community rules.').check();
}

function seatsLeft(text: string | null): number {
  const match = text?.match(/(\d+) seats? left/);
  if (!match) throw new Error(`no seat count in ${text}`);
  return Number(match[1]);
}

test('registering lowers the count on every open page within a second, mails the invitation, and the cancel link gives the seat back', async ({
  browser,
}) => {
  const watcher = await (await browser.newContext()).newPage();
  const registrant = await (await browser.newContext()).newPage();
  await openFirstSession(watcher, 'mindful-parenting');
  const sessionUrl = watcher.url();
  await registrant.goto(sessionUrl);

  const count = watcher.locator('dd [data-seats]');
  // Wait for the watcher's page to be live before anything changes.
  await expect(watcher.locator('html')).toHaveAttribute('data-live', 'connected');
  const before = seatsLeft(await count.textContent());

  const email = uniqueEmail('live');
  await fillRegistration(registrant, email);
  await registrant.getByRole('button', { name: 'Register' }).click();
  // The answer never says more than "check your email": it is the same for an address
  // already registered.
  await expect(registrant).toHaveURL(/\/en\/sessions\/\d+\?registered=1$/);
  await expect(registrant.getByRole('status')).toContainText('We have emailed the address you gave');

  await expect(count).toHaveText(`${before - 1} seats left`, { timeout: 1_000 });

  const [confirmation] = await waitForMail(email);
  expect(confirmation.subject).toMatch(/^You’re registered: /);
  expect(confirmation.text).toContain('https://meet.example.invalid/');
  const invitation = confirmation.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(invitation?.content.toString()).toContain('BEGIN:VEVENT');
  const cancelLink = confirmation.text?.match(/https?:\/\/\S+\/en\/registrations\/\S+/)?.[0];
  expect(cancelLink).toBeTruthy();

  await registrant.goto(cancelLink!);
  await registrant.getByRole('button', { name: 'Cancel my registration' }).click();
  await expect(registrant.getByRole('status')).toContainText('your registration is cancelled');
  await expect(count).toHaveText(`${before} seats left`, { timeout: 1_000 });
  const mail = await waitForMail(email, 2);
  expect(mail.map((m) => m.subject)).toContainEqual(expect.stringMatching(/^Registration cancelled: /));
});

test('a seat count far down the calendar shows the latest count once scrolled to', async ({ browser }) => {
  // Away from Eastern Time, so each card shows a second time once awake.
  const watcher = await (await browser.newContext({ timezoneId: 'America/Vancouver' })).newPage();
  // Sessions open to every career stage, so the registrant below is eligible for any of them.
  await watcher.goto('/en?audience=all');
  // Session cards, each with its seat count (cohort programs are listed after them).
  const cards = watcher.locator('article:has([data-seats])');
  // The page's stream opens with the first count that wakes; on a phone that is the first
  // card, below the introduction.
  await cards.first().scrollIntoViewIfNeeded();
  await expect(watcher.locator('html')).toHaveAttribute('data-live', 'connected');
  // Each project takes a card of its own from the end of the list, well off the screen.
  const card = cards.nth((await cards.count()) - 1 - projectSlot(test.info()));
  // Cards off the screen wait to wake: no time in the viewer's zone yet.
  await expect(card.locator('.viewer-time')).toHaveCount(0);
  const before = seatsLeft(await card.locator('[data-seats]').textContent());

  const registrant = await (await browser.newContext()).newPage();
  await registrant.goto((await card.locator('h3 a').getAttribute('href'))!);
  await fillRegistration(registrant, uniqueEmail('far'));
  await registrant.getByRole('button', { name: 'Register' }).click();
  await expect(registrant.getByRole('status')).toContainText('We have emailed the address you gave');

  // The update reached the page before the card woke; the card starts from it.
  await card.scrollIntoViewIfNeeded();
  await expect(card.locator('.viewer-time')).toHaveCount(1);
  await expect(card.locator('[data-seats]')).toHaveText(`${before - 1} seats left`);
});

test('the form explains what is missing and keeps what was typed', async ({ page }) => {
  await openFirstSession(page, 'psychological-first-aid');
  await page.getByLabel('Full name').fill('Dr. Keep Me');
  await page.getByLabel('Email', { exact: true }).fill('not-an-address');
  await page.getByRole('button', { name: 'Register' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Enter a valid email address');
  await expect(summary).toContainText('Accept the community rules to register.');
  await expect(page.getByLabel('Full name')).toHaveValue('Dr. Keep Me');
  await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
});

test('without JavaScript the form posts, answers with its errors and keeps what was typed @nojs', async ({ page }) => {
  await openFirstSession(page, 'psychological-first-aid');
  const email = uniqueEmail('nojs');
  await page.getByLabel('Full name').fill('Dr. No Script');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose your career stage.');
  await expect(page.getByLabel('Full name')).toHaveValue('Dr. No Script');
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);

  await fillRegistration(page, email);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+\?registered=1$/);
  await expect(page.getByRole('status')).toContainText('We have emailed the address you gave');
});
