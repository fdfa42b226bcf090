import { expect, test } from './fixtures';

// The demo data holds a weekly "Peer support circle": Tuesdays, 7 PM ET, 90 minutes, in English.
const eveningCircle = '/en?format=peer-support&audience=all';

test('the calendar shows each time in Eastern Time @ssr', async ({ page }) => {
  await page.goto(eveningCircle);
  const firstTime = page.locator('article time').first();
  await expect(firstTime).toContainText('7–8:30 PM ET');
  await expect(firstTime).toContainText(/^Tue\., [A-Z][a-z]+\.? \d{1,2}, \d{4}, 7–8:30 PM ET$/);
});

test.describe('a viewer in Vancouver', () => {
  test.use({ timezoneId: 'America/Vancouver' });

  test('also sees the time in their own zone once the page has hydrated', async ({ page }) => {
    await page.goto(eveningCircle);
    const viewerTime = page.locator('article .viewer-time').first();
    // 7 PM ET is 4 PM in Vancouver on standard time, 5 PM where British Columbia keeps daylight
    // time all year (newer time-zone data); the island must agree with the browser's own clock.
    const start = await page.locator('article time').first().getAttribute('datetime');
    const hour = await page.evaluate(
      (iso) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Vancouver', hour: 'numeric', hour12: true }).formatToParts(new Date(iso!)).find((p) => p.type === 'hour')!.value,
      start,
    );
    expect(['4', '5']).toContain(hour);
    // The device's own clock is named by its distance from UTC. Cards' times appear as they
    // come near the screen; on a phone the first card starts below the filters.
    const offset = hour === '4' ? 8 : 7;
    await page.locator('article').first().scrollIntoViewIfNeeded();
    await expect(viewerTime).toContainText(new RegExp(`^Your time: Tue\\., .+, ${hour}–${Number(hour) + 1}:30 PM UTC\u2212${offset}$`));
  });

  test('can pick another zone, and the choice is remembered', async ({ page }) => {
    await page.goto(eveningCircle);
    const picker = page.getByLabel('Also show times in');
    await expect(picker).toBeVisible();
    // The zones are listed when the picker is reached, as a person would reach it.
    await picker.focus();
    await picker.selectOption('Asia/Tokyo');
    // 7 PM in Toronto is 9 AM the next morning in Tokyo, whatever the season in Canada.
    await page.locator('article').first().scrollIntoViewIfNeeded();
    const viewerTime = page.locator('article .viewer-time').first();
    await expect(viewerTime).toContainText(/Wed\., .+, (8|9)–(9|10):30 AM/);
    await page.reload();
    await expect(page.getByLabel('Also show times in')).toHaveValue('Asia/Tokyo');
    await page.locator('article').first().scrollIntoViewIfNeeded();
    await expect(page.locator('article .viewer-time').first()).toContainText(/Wed\., .+ AM/);
  });
});

test('the calendar loads the light bundle, and a session page with its form the full one', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path);
  });
  await page.goto(eveningCircle);
  // The zone picker appears once its island has woken, in the light build.
  await expect(page.getByLabel('Also show times in')).toBeVisible();
  expect(wasm).toEqual([expect.stringMatching(/^\/pkg\/rounds-light\.[0-9a-f]{32}\.wasm$/)]);
  const full = page.waitForRequest((request) => /^\/pkg\/rounds\.[0-9a-f]{32}\.wasm$/.test(new URL(request.url()).pathname));
  await page.locator('article h3 a').first().click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+$/);
  await full;
});

test('without JavaScript the page shows Eastern Time alone @nojs', async ({ page }) => {
  await page.goto(eveningCircle);
  await expect(page.locator('article time').first()).toContainText('7–8:30 PM ET');
  await expect(page.locator('.viewer-time')).toHaveCount(0);
  await expect(page.locator('#viewer-zone')).toHaveCount(0);
});

test('the language toggle keeps the page and its filters @ssr', async ({ page }) => {
  await page.goto('/en/week?format=compassion-rounds');
  await page.getByRole('link', { name: 'Next week →' }).click();
  await expect(page).toHaveURL(/\/en\/week\?date=[\d-]+&format=compassion-rounds$/);
  const english = new URL(page.url());
  await page.getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(`/fr/week${english.search}`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Semaine du');
  await expect(page.locator('article time').first()).toContainText('19 h – 20 h 30 HE');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(`/en/week${english.search}`);
});

test.describe('a browser that prefers French', () => {
  test.use({ locale: 'fr-CA' });

  test('opens the calendar in French on a first visit @ssr', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/fr$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Séances à venir');
    await expect(page.locator('article time').first()).toContainText(/ HE$/);
  });
});

test('filters narrow the calendar and live in the URL @ssr', async ({ page }) => {
  await page.goto('/en');
  await page.getByLabel('Language').selectOption('fr');
  await page.getByLabel('Audience').selectOption('all');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/language=fr/);
  await expect(page).toHaveURL(/audience=all/);
  await expect(page.getByLabel('Language')).toHaveValue('fr');
  const languages = page.locator('article p.text-sm', { hasText: '·' });
  await expect(languages.first()).toBeVisible();
  for (const text of await languages.allTextContents()) {
    expect(text).toMatch(/In French|Bilingual/);
    expect(text).toContain('Open to all');
  }
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/en$/);
});

test('a session page shows what to know before registering @ssr', async ({ page }) => {
  await page.goto(eveningCircle);
  await page.locator('article h3 a').first().click();
  await expect(page).toHaveURL(/\/en\/sessions\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Peer support circle');
  for (const label of ['When', 'Facilitator', 'Language', 'Who it is for', 'Seats']) {
    await expect(page.locator('dt', { hasText: label })).toBeVisible();
  }
  await expect(page.locator('dd', { hasText: 'seats left' })).toBeVisible();
});

test('week and month views move through time @ssr', async ({ page }) => {
  await page.goto('/en/week');
  const heading = page.getByRole('heading', { level: 1 });
  const thisWeek = await heading.textContent();
  await page.getByRole('link', { name: 'Next week →' }).click();
  await expect(heading).not.toHaveText(thisWeek ?? '');
  await expect(page).toHaveURL(/date=\d{4}-\d{2}-\d{2}/);
  await page.goto('/fr/month');
  const thisMonth = await heading.textContent();
  await page.getByRole('link', { name: 'Mois suivant →' }).click();
  await expect(page).toHaveURL(/month=\d{4}-\d{2}/);
  await expect(heading).not.toHaveText(thisMonth ?? '');
  // The grid holds the month's first day, whatever weekday it falls on (on phones, days
  // without sessions are left out of view, so this asks for the day, not for its visibility).
  const month = new URL(page.url()).searchParams.get('month');
  await expect(page.locator(`ol time[datetime="${month}-01"]`)).toHaveCount(1);
});
