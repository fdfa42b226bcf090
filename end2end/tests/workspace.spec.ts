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
  await expect(facilitator).toHaveURL(/\/en\/workspace\/sessions\/\d+\?done=scheduled$/);
  await expect(facilitator.getByRole('status')).toContainText(', 7 PM ET; a series repeats weekly');
  await facilitator.goto('/en/workspace');
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
  // British Columbia stays on UTC−7 since 2026-11-01: 7 PM ET is 5 PM there in winter, 4 PM in summer.
  expect(['4', '5']).toContain(hour);
  // Times in the viewer's zone appear as their card comes near the screen.
  await card.scrollIntoViewIfNeeded();
  await expect(card.locator('.viewer-time')).toHaveText(new RegExp(`${hour}–${Number(hour) + 1} PM UTC\u22127$`));

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
  await expect(viewer.getByRole('status')).toContainText('We have emailed the address you gave');

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

/** How Eastern Time reads 17:00 in Vancouver (UTC−7 all year) on `date`: midnight UTC after it. */
function easternHourOfFivePmVancouver(date: string): string {
  const midnightUtc = new Date(`${date}T00:00:00Z`);
  midnightUtc.setUTCDate(midnightUtc.getUTCDate() + 1);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto', hour: 'numeric', hour12: true })
    .formatToParts(midnightUtc)
    .find((p) => p.type === 'hour')!.value;
}

async function scheduleInVancouver(page: Page, title: string, date: string) {
  await page.goto('/en/workspace/sessions/new');
  await page.getByLabel('Format').selectOption('peer-support');
  await page.getByLabel('Title in English').fill(title);
  await page.getByLabel('Description in English').fill('Scheduled from Vancouver by the end-to-end test.');
  await page.getByLabel('Date').fill(date);
  await page.getByLabel('Start time').fill('17:00');
  await page.getByLabel('Time zone').selectOption('America/Vancouver');
}

test('a facilitator in Vancouver is previewed the Eastern time that is then stored', async ({ browser }) => {
  const date = tuesdayAhead();
  const page = await (await browser.newContext({ timezoneId: 'America/Vancouver' })).newPage();
  await signIn(page, amelie);
  // The browser bundle is held back until everything is typed, as on a slow phone: the
  // preview must still appear once the page wakes up.
  let release = () => {};
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await typed;
    await route.continue();
  });
  await scheduleInVancouver(page, `Pacific circle ${Date.now()}`, date);
  release();
  const eastern = `${easternHourOfFivePmVancouver(date)} PM ET`;
  const preview = page.getByText(/^That is .+, or .+ UTC\.$/);
  await expect(preview).toContainText(`, ${eastern}, or `);
  const previewed = (await preview.textContent())!.match(/^That is (.+), or /)![1];
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `Scheduled. It starts ${previewed}; a series repeats weekly at that time.`,
  );
});

test('without JavaScript the page after Schedule states the Eastern time stored @nojs', async ({ page }) => {
  const date = tuesdayAhead();
  await signIn(page, amelie);
  await scheduleInVancouver(page, `Pacific circle, no script ${Date.now()}`, date);
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('status')).toContainText(`, ${easternHourOfFivePmVancouver(date)} PM ET;`);
});

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
