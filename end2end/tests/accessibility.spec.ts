import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const pages = ['', '/week', '/month', '/about', '/faq', '/rules', '/support'];

for (const lang of ['en', 'fr']) {
  for (const path of pages) {
    test(`no WCAG 2.1 AA violation on /${lang}${path}`, async ({ page }) => {
      await page.goto(`/${lang}${path}`);
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    });
  }

  test(`no WCAG 2.1 AA violation on a session page in ${lang}`, async ({ page }) => {
    await page.goto(`/${lang}`);
    await page.locator('article h3 a').first().click();
    await expect(page).toHaveURL(/\/sessions\/\d+$/);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
}
