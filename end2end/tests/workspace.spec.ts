import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { waitForMail } from './mail';

// The demo data set's facilitators (README): Amélie Tremblay leads formal peer support;
// Samuel Okafor leads "Facing today's challenges".
const amelie = { email: 'amelie.tremblay@rounds.test', password: 'rounds demo facilitator' };

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/en/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/en\/workspace$/);
}

/** A Tuesday about seven weeks ahead, as YYYY-MM-DD. */
function tuesdayAhead(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 49);
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

test('a facilitator schedules a weekly series, changes one, cancels another, and sees only their own', async ({ browser }) => {
  const title = `Evening circle ${Date.now()}`;
  const date = tuesdayAhead();
  const facilitator = await (await browser.newContext()).newPage();
  await signIn(facilitator, amelie);

  await facilitator.getByRole('link', { name: 'Schedule a session' }).first().click();
  await facilitator.getByLabel('Format').selectOption('peer-support');
  await facilitator.getByLabel('Title in English').fill(title);
  await facilitator.getByLabel('Description in English').fill('A weekly circle scheduled by the end-to-end test.');
  await facilitator.getByLabel('Date').fill(date);
  await facilitator.getByLabel('Start time').fill('19:00');
  await expect(facilitator.getByText(/That is .+, 7 PM ET, or .+ UTC\./)).toBeVisible();
  await facilitator.getByLabel('Duration (minutes)').fill('60');
  await facilitator.getByLabel('Number of weeks').fill('3');
  await facilitator.getByLabel('Video meeting link').fill('https://meet.example.invalid/e2e-series');
  await facilitator.getByRole('button', { name: 'Schedule' }).click();
  await expect(facilitator).toHaveURL(/\/en\/workspace\?done=scheduled$/);
  const series = facilitator.getByRole('link', { name: title, exact: true });
  await expect(series).toHaveCount(3);

  // A viewer in Vancouver sees the series in the public calendar at their own time.
  const viewer = await (await browser.newContext({ timezoneId: 'America/Vancouver' })).newPage();
  await viewer.goto(`/en/week?date=${date}&format=peer-support`);
  const card = viewer.locator('article', { hasText: title });
  await expect(card.locator('time')).toHaveText(/7–8 PM ET$/);
  const start = await card.locator('time').getAttribute('datetime');
  const hour = await viewer.evaluate(
    (iso) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Vancouver', hour: 'numeric', hour12: true }).formatToParts(new Date(iso!)).find((p) => p.type === 'hour')!.value,
    start,
  );
  expect(['4', '5']).toContain(hour);
  // Times in the viewer's zone appear as their card comes near the screen.
  await card.scrollIntoViewIfNeeded();
  await expect(card.locator('.viewer-time')).toHaveText(new RegExp(`${hour}–${Number(hour) + 1} PM UTC\u2212${hour === '4' ? 8 : 7}$`));

  // Someone registers for the second session of the series.
  const participant = uniqueEmail();
  const second = `/en/sessions/${(await series.nth(1).getAttribute('href'))!.split('/').pop()}`;
  await viewer.goto(second);
  await viewer.getByLabel('Full name').fill('Dr. Series Participant');
  await viewer.getByLabel('Email', { exact: true }).fill(participant);
  await viewer.getByLabel('Career stage').selectOption('resident');
  await viewer.getByLabel('Province or territory').selectOption('BC');
  await viewer.getByLabel('I have read and accept the community rules.').check();
  await viewer.getByRole('button', { name: 'Register' }).click();
  await expect(viewer.getByRole('status')).toContainText('You are registered.');

  // The facilitator changes the first session…
  await series.first().click();
  await facilitator.getByLabel('Title in English').fill(`${title} (moved)`);
  await facilitator.getByRole('button', { name: 'Save' }).click();
  await expect(facilitator.getByRole('status')).toHaveText('Saved.');
  await expect(facilitator.getByRole('heading', { level: 1 })).toHaveText(`${title} (moved)`);

  // …and cancels the second, whose registrant is told, with a file removing it from their calendar.
  await facilitator.goto(second.replace('/en/sessions/', '/en/workspace/sessions/'));
  await expect(facilitator.getByText(participant)).toBeVisible();
  await facilitator.getByLabel(/I understand that everyone registered will be told/).check();
  await facilitator.getByRole('button', { name: 'Cancel the session' }).click();
  await expect(facilitator).toHaveURL(/\/en\/workspace\?done=cancelled$/);
  const mail = await waitForMail(participant, 2);
  const cancellation = mail.find((m) => m.subject?.startsWith('Session cancelled'));
  expect(cancellation).toBeTruthy();
  const removal = cancellation!.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(removal?.content.toString()).toContain('METHOD:CANCEL');

  // Another facilitator's session stays closed to her, by address and by server function.
  await viewer.goto('/en?format=current-challenges');
  const othersId = (await viewer.locator('article h3 a').first().getAttribute('href'))!.split('/').pop();
  const page = await facilitator.goto(`/en/workspace/sessions/${othersId}`);
  expect(page?.status()).toBe(403);
  await expect(facilitator.getByRole('alert')).toHaveText('This is not yours to see or change.');
  const roster = await facilitator.request.post('/api/workspace/roster', { form: { id: othersId! } });
  expect(roster.ok()).toBe(false);
  expect(await roster.json()).toBe('Forbidden');
  const edit = await facilitator.request.post('/api/workspace/session', { form: { id: othersId! } });
  expect(await edit.json()).toBe('Forbidden');
});

function uniqueEmail() {
  return `series-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.ca`;
}

test('signing in works without JavaScript and a wrong password keeps the address @ssr', async ({ page }) => {
  await page.goto('/en/workspace');
  await expect(page).toHaveURL(/\/en\/sign-in\?next=/);
  await page.getByLabel('Email').fill(amelie.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('This email address and password do not match an active account.');
  await expect(page.getByLabel('Email')).toHaveValue(amelie.email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.getByLabel('Password').fill(amelie.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/en\/workspace$/);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
});
