import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, projectSlot, test, watchContentSecurityPolicy } from './fixtures';

// Every project (desktop, Pixel 7, iPhone 14) runs these, so each page is checked at both sizes.
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const publicPages = [
  '',
  '/week',
  '/month',
  '/my-sessions',
  '/programs',
  // The demo data set's application round, with its form.
  '/rounds/1',
  // The demo cohorts: one taking registrations, and the next, not open yet.
  '/cohorts/1',
  '/cohorts/2',
  '/about',
  '/faq',
  '/rules',
  '/support',
  '/gratitude',
  '/gratitude/share',
  '/resources',
  // A search that finds a French summary from a query typed without its accents.
  '/resources?q=epuisement',
  '/sign-in',
  '/forgot-password',
  '/no-such-page',
];
const workspacePages = [
  '/workspace',
  '/workspace/sessions/new',
  '/workspace/facilitators',
  '/workspace/formats',
  '/workspace/rounds',
  '/workspace/rounds/1',
  '/workspace/rounds/2/survey',
  '/workspace/support',
  '/workspace/gratitude',
  '/workspace/resources',
  '/workspace/groups',
  '/workspace/cohorts',
  '/workspace/cohorts/1',
  '/workspace/reports',
];
const coordinator = { email: 'coordinator@rounds.test', password: 'rounds demo coordinator' };

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  return results.violations.map((v) => `${page.url()} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
}

/** Interactive elements a finger must hit that are smaller than 44 × 44 CSS pixels. */
async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // Links inside a sentence are exempt (WCAG 2.5.8): their size is the text's.
    const inSentence = (el: Element) => el.closest('p, li:not(nav li), dd, td, label') !== null && el.tagName === 'A';
    const candidates = document.querySelectorAll<HTMLElement>(
      'a[href], button, select, textarea, summary, input:not([type=hidden])',
    );
    const small: string[] = [];
    for (const el of candidates) {
      if (inSentence(el)) continue;
      // A checkbox or radio button is hit through its label, which wraps or sits beside it.
      const target =
        el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')
          ? (el.closest('label') ?? el.parentElement!)
          : el;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered (hidden, sr-only)
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.closest('.sr-only')) continue;
      if (box.height < 44 || box.width < 44) {
        const name = el.id || el.getAttribute('name') || (el.textContent ?? '').trim().slice(0, 40);
        small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

for (const lang of ['en', 'fr']) {
  for (const path of publicPages) {
    test(`/${lang}${path}: no WCAG 2.2 AA violation, and touch targets of 44 px`, async ({ page }) => {
      await page.goto(`/${lang}${path}`);
      expect(await violations(page)).toEqual([]);
      expect(await smallTouchTargets(page)).toEqual([]);
    });
  }

  test(`/${lang}: a session page and a registration page have no WCAG 2.2 AA violation`, async ({ page }) => {
    await page.goto(`/${lang}?format=compassion-rounds`);
    await page.locator('article h3 a').nth(projectSlot(test.info())).click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    expect(await violations(page)).toEqual([]);
    expect(await smallTouchTargets(page)).toEqual([]);

    await page.locator('#register-name').fill('Dr. Axe Check');
    await page.locator('#register-email').fill(`axe-${lang}-${Date.now()}-${Math.random()}@example.ca`);
    await page.locator('#register-career_stage').selectOption('resident');
    await page.locator('#register-province').selectOption('QC');
    await page.locator('#register-rules').check();
    await page.locator('form button[type=submit]').click();
    await expect(page).toHaveURL(/\/sessions\/\d+\?registered=1$/);
    // Measured once the page and its stylesheet have loaded: measured earlier, every link of
    // the header was once found smaller than its styled size.
    await page.waitForLoadState('load');
    await expect(page.getByRole('status').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);
    expect(await smallTouchTargets(page)).toEqual([]);
  });
}

for (const lang of ['en', 'fr']) {
  test(`/${lang}: the workspace pages have no WCAG 2.2 AA violation`, async ({ browser }) => {
    // Thirteen pages in one signed-in session, as a coordinator has; axe takes a few seconds each.
    test.setTimeout(120_000);
    const page = await (await browser.newContext(test.info().project.use)).newPage();
    const refusals = watchContentSecurityPolicy(page);
    await page.goto('/en/sign-in');
    await page.getByLabel('Email').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/en\/workspace$/);
    const editPage = await page.locator('a[href*="/workspace/sessions/"]:not([href$="/new"])').first().getAttribute('href');
    const found: string[] = [];
    for (const path of [...workspacePages, editPage!.replace(/^\/en/, '')]) {
      await page.goto(`/${lang}${path}`);
      found.push(...(await violations(page)), ...(await smallTouchTargets(page)));
    }
    expect(found).toEqual([]);
    expect(refusals).toEqual([]);
  });
}

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  for (const lang of ['en', 'fr']) {
    test(`/${lang}: the public pages keep their contrast in dark mode @once`, async ({ page }) => {
      test.setTimeout(120_000); // thirteen pages through axe
      const found: string[] = [];
      for (const path of publicPages) {
        await page.goto(`/${lang}${path}`);
        found.push(...(await violations(page)));
      }
      expect(found).toEqual([]);
    });
  }
});

test('motion stops when the system asks for less @once', async ({ page }) => {
  const motion = () =>
    page.evaluate(() => ({
      scrolling: getComputedStyle(document.documentElement).scrollBehavior,
      moving: [...document.querySelectorAll('*')].filter((el) => {
        const style = getComputedStyle(el);
        return parseFloat(style.transitionDuration) > 0.01 || parseFloat(style.animationDuration) > 0.01;
      }).length,
    }));
  await page.goto('/en');
  const usual = await motion();
  expect(usual.scrolling).toBe('smooth');
  expect(usual.moving).toBeGreaterThan(0);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await motion()).toEqual({ scrolling: 'auto', moving: 0 });
});
