// The `test` every spec uses: Playwright's, plus a check that no page broke its
// Content-Security-Policy (Chromium reports each refusal on the console) and that every island
// a page woke was in the build of the bundle it loaded (`island_start.js` says so otherwise).
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

export { expect };

export const test = base.extend({
  page: async ({ page }, use) => {
    const refusals = watchContentSecurityPolicy(page);
    const missingIslands: string[] = [];
    page.on('console', (message) => {
      if (message.text().startsWith('No island named')) missingIslands.push(message.text());
    });
    await use(page);
    expect(refusals, 'Content-Security-Policy refusals').toEqual([]);
    expect(missingIslands, 'islands missing from the bundle the page loaded').toEqual([]);
  },
});

/** Collects the page's Content-Security-Policy refusals as they happen. */
export function watchContentSecurityPolicy(page: Page): string[] {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
  });
  return refusals;
}

/**
 * Which of a list's items this project's tests should use. The projects run the same tests side
 * by side against one server, so a test that takes a seat picks a session no other project picks.
 */
export function projectSlot(info: TestInfo): number {
  const order = ['desktop', 'pixel-7', 'iphone-14', 'no-javascript'];
  return Math.max(0, order.indexOf(info.project.name));
}
