import AxeBuilder from '@axe-core/playwright';
import { devices } from '@playwright/test';
import { expect, test } from './fixtures';
import { waitForMail } from './mail';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// The demo's just-ended session emails its participant an evaluation link when the server
// starts. Answered once, on a phone, from that link; desktop only (@once), as the link works once.
test('an evaluation is answered from the emailed link on a phone, once @once', async ({ browser }) => {
  const [mail] = await waitForMail('evaluation@rounds.test', 1, 30_000);
  const link = mail.text?.match(/https?:\/\/\S+\/evaluations\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();
  const path = new URL(link!).pathname;

  const phone = await (await browser.newContext({ ...devices['Pixel 7'] })).newPage();
  await phone.goto(path);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Evaluation');
  const axe = await new AxeBuilder({ page: phone }).withTags(WCAG_22_AA).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Nothing answered: a translated error, and the form again.
  await phone.getByRole('button', { name: 'Send my answers' }).click();
  await expect(phone.getByRole('alert')).toContainText('Answer at least one question');

  await phone.getByLabel('What helped? (optional)').fill('Hearing the others');
  await phone.getByRole('group', { name: 'How supported did you feel?' }).getByLabel('4').check();
  await phone.getByRole('group', { name: 'Would you recommend it to a colleague?' }).getByLabel('Yes').check();
  await phone.getByRole('button', { name: 'Send my answers' }).click();
  await expect(phone.getByRole('status')).toContainText('Your answers were recorded');

  // The link answered once: opened again, it no longer works.
  await phone.goto(path);
  await expect(phone.getByRole('button', { name: 'Send my answers' })).toHaveCount(0);
});

test('the coordinator’s report shows charts and hides small groups @once', async ({ page }) => {
  await page.goto('/en/sign-in');
  await page.getByLabel('Email').fill('coordinator@rounds.test');
  await page.getByLabel('Password').fill('rounds demo coordinator');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/en/workspace/reports');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reports');
  await expect(page.locator('figure svg').first()).toBeVisible();
  await expect(page.getByText('fewer than 5').first()).toBeAttached();
  await expect(page.getByRole('heading', { name: 'What helped, in their words' }).first()).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

// The demo's second round is under way: of its ten members, seven answered the first survey.
test('the coordinator sees who completed the members’ survey, and the answers only combined @once', async ({ page }) => {
  await page.goto('/en/sign-in');
  await page.getByLabel('Email').fill('coordinator@rounds.test');
  await page.getByLabel('Password').fill('rounds demo coordinator');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/en/workspace/rounds/2');
  await page.getByRole('link', { name: 'Members’ survey' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Members’ survey');
  await expect(page.getByLabel('Follow-ups, in months after the start')).toHaveValue('6, 12');
  const completion = page.getByRole('table').filter({ hasText: 'As they started' });
  await expect(completion.getByRole('cell', { name: 'completed', exact: true })).toHaveCount(7);
  await expect(completion.getByRole('cell', { name: 'not answered', exact: true })).toHaveCount(3);
  await expect(page.getByText('Answers received: 7')).toBeVisible();
  await expect(page.locator('figure').filter({ hasText: 'How would you rate your wellbeing these days?' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});
