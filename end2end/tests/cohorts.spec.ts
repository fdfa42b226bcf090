import { expect, test, watchContentSecurityPolicy } from './fixtures';
import { waitForMail } from './mail';

const facilitator = { email: 'samuel.okafor@rounds.test', password: 'rounds demo facilitator' };

/** Three Tuesdays, the first at least ten days away, as YYYY-MM-DD lines. */
function threeTuesdays(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 10);
  while (day.getUTCDay() !== 2) day.setUTCDate(day.getUTCDate() + 1);
  const dates: string[] = [];
  for (let week = 0; week < 3; week++) {
    dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 7);
  }
  return dates.join('\n');
}

// A facilitator creates a one-seat group; one person registers for all its meetings, another
// waits, the first withdraws and the second gets the seat. Plain forms: it works without JavaScript.
test('a cohort group: one registration for every meeting, the waitlist, withdrawal @ssr', async ({ browser, page }, info) => {
  const title = `Residents on leave ${info.project.name} ${Date.now()}`;
  const desk = await browser.newContext();
  const workspace = await desk.newPage();
  await workspace.goto('/en/sign-in');
  await workspace.getByLabel('Email').fill(facilitator.email);
  await workspace.getByLabel('Password').fill(facilitator.password);
  await workspace.getByRole('button', { name: 'Sign in' }).click();
  await expect(workspace).toHaveURL(/\/en\/workspace$/);
  await workspace.getByRole('link', { name: 'Cohort groups' }).click();
  await workspace.getByLabel('Program name for intakes').fill('e2e-leave');
  await workspace.getByLabel('Title in English').fill(title);
  await workspace.getByLabel('Title in French').fill(`Résidents en congé ${Date.now()}`);
  await workspace.getByLabel('Description in English').fill('Three mornings with the same small group.');
  await workspace.getByLabel('Description in French').fill('Trois matins avec le même petit groupe.');
  await workspace.getByLabel('Who it is for').selectOption('residents_on_leave');
  await workspace.getByLabel('Eligibility statement in English').fill('I am a resident on leave.');
  await workspace.getByLabel('Eligibility statement in French').fill('Je suis résident en congé.');
  await workspace.getByLabel('Confidentiality agreement in English').fill('What is shared in the group stays in the group.');
  await workspace.getByLabel('Confidentiality agreement in French').fill('Ce qui se dit dans le groupe y reste.');
  await workspace.getByLabel('Meeting dates').fill(threeTuesdays());
  await workspace.getByLabel('Start time (Eastern Time)').fill('09:30');
  await workspace.getByLabel('Seats').fill('1');
  await workspace.getByRole('button', { name: 'Create the group' }).click();
  await expect(workspace.getByRole('status')).toContainText('The group was created.');
  const adminUrl = workspace.url().replace(/\?.*$/, '');

  const refusals = watchContentSecurityPolicy(page);
  await page.goto('/en/programs');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: 'The 3 meetings' })).toBeVisible();
  await expect(page.locator('li time')).toHaveCount(3);
  const first = `first-${Date.now()}-${info.project.name}@example.ca`;
  await page.getByLabel('Full name').fill('Dr. Noor Haddad');
  await page.getByLabel('Email', { exact: true }).fill(first);
  await page.getByLabel('Career stage').selectOption('resident');
  await page.getByLabel('Province or territory').selectOption('ON');
  await page.getByLabel('I am a resident on leave.').check();
  await page.getByLabel('I have read and accept the community rules.').check();
  await page.getByRole('button', { name: 'Register for every meeting' }).click();
  // The agreement was not accepted: the answers stay, and the problem is named.
  await expect(page.getByRole('alert')).toContainText('Accept the confidentiality agreement');
  await expect(page.getByLabel('Full name')).toHaveValue('Dr. Noor Haddad');
  await page.getByLabel('I accept this confidentiality agreement.').check();
  await page.getByRole('button', { name: 'Register for every meeting' }).click();
  await expect(page).toHaveURL(/\/en\/cohorts\/\d+\?registered=1$/);
  await expect(page.getByRole('status')).toContainText('We have emailed the address you gave');
  const [confirmation] = await waitForMail(first);
  expect(confirmation.subject).toContain('You’re registered');
  const firstLink = confirmation.text?.match(/https?:\/\/\S+\/en\/cohort-registrations\/\S+/)?.[0] ?? '';
  await page.goto(firstLink);
  await expect(page.getByRole('status')).toContainText('You have a seat in every meeting');
  const invitation = confirmation.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(invitation?.content.toString().match(/BEGIN:VEVENT/g)).toHaveLength(3);

  // The one seat is taken: the next person joins the waitlist.
  await page.goto(adminUrl.replace('/workspace/cohorts/', '/cohorts/'));
  const second = `second-${Date.now()}-${info.project.name}@example.ca`;
  await page.getByLabel('Full name').fill('Dr. Émile Roy');
  await page.getByLabel('Email', { exact: true }).fill(second);
  await page.getByLabel('Career stage').selectOption('resident');
  await page.getByLabel('Province or territory').selectOption('QC');
  await page.getByLabel('I am a resident on leave.').check();
  await page.getByLabel('I accept this confidentiality agreement.').check();
  await page.getByLabel('I have read and accept the community rules.').check();
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(page.getByRole('status')).toContainText('We have emailed the address you gave');
  const [waiting] = await waitForMail(second);
  await page.goto(waiting.text?.match(/https?:\/\/\S+\/en\/cohort-registrations\/\S+/)?.[0] ?? '');
  await expect(page.getByRole('status')).toContainText('number 1 on the waitlist');

  // The first withdraws from every meeting; the second is given the seat.
  await page.goto(firstLink);
  await page.getByRole('button', { name: 'Withdraw from the group' }).click();
  await expect(page.getByRole('status')).toContainText('You withdrew from the group');
  const [, promotion] = await waitForMail(second, 2);
  expect(promotion.subject).toContain('A seat opened up');

  // Only the group's facilitator sees who is in it.
  await workspace.goto(adminUrl);
  await expect(workspace.getByRole('cell', { name: 'Dr. Émile Roy' })).toBeVisible();
  await expect(workspace.getByRole('cell', { name: 'Dr. Noor Haddad' })).toHaveCount(0);
  expect(refusals).toEqual([]);
  await desk.close();
});

// Live counts are the same for a group as for a session: a page open in one tab hears of a
// registration made in another. Desktop only (@once), so no other project takes a seat of the
// demo intake while the count is watched.
test('a cohort page’s seat count drops in a second tab when someone registers @once', async ({ browser }) => {
  const watcher = await (await browser.newContext()).newPage();
  const registrant = await (await browser.newContext()).newPage();
  await watcher.goto('/en/cohorts/1');
  const count = watcher.locator('#cohort-seats [data-seats]');
  await count.scrollIntoViewIfNeeded();
  await expect(watcher.locator('html')).toHaveAttribute('data-live', 'connected');
  const before = Number((await count.textContent())?.match(/(\d+) seats? left/)?.[1]);
  expect(before).toBeGreaterThan(1);

  await registrant.goto('/en/cohorts/1');
  await registrant.getByLabel('Full name').fill('Dr. Léa Tremblay');
  await registrant.getByLabel('Email', { exact: true }).fill(`live-cohort-${Date.now()}@example.ca`);
  await registrant.getByLabel('Career stage').selectOption('resident');
  await registrant.getByLabel('Province or territory').selectOption('QC');
  await registrant.getByLabel(/I am a resident currently on/).check();
  await registrant.getByLabel('I accept this confidentiality agreement.').check();
  await registrant.getByLabel('I have read and accept the community rules.').check();
  await registrant.getByRole('button', { name: 'Register for every meeting' }).click();
  await expect(registrant).toHaveURL(/\/en\/cohorts\/1\?registered=1$/);

  await expect(count).toHaveText(new RegExp(`^${before - 1} seats? left$`), { timeout: 1_000 });
});
