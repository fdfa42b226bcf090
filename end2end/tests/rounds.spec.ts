import AxeBuilder from '@axe-core/playwright';
import { expect, test, watchContentSecurityPolicy } from './fixtures';
import { devices, type Page } from '@playwright/test';
import { waitForMail } from './mail';

const coordinator = { email: 'coordinator@rounds.test', password: 'rounds demo coordinator' };

async function signIn(page: Page) {
  await page.goto('/en/sign-in');
  await page.getByLabel('Email').fill(coordinator.email);
  await page.getByLabel('Password').fill(coordinator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/en\/workspace$/);
}

/** Tomorrow's date as YYYY-MM-DD. */
function tomorrow(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 2);
  return day.toISOString().slice(0, 10);
}

// One round, from the coordinator's desk to a phone and back: the draw and its published re-run.
test('a physician applies in French on a phone, the coordinator runs the draw, and the seed re-runs it @once', async ({ browser, page }) => {
  const title = `Entraide ${Date.now()}`;
  await signIn(page);
  await page.getByRole('link', { name: 'Application rounds' }).click();
  await page.getByLabel('Title in English').fill(`Mutual support ${title}`);
  await page.getByLabel('Title in French').fill(title);
  await page.getByLabel('Description in English').fill('Year-long peer groups, opened by the end-to-end test.');
  await page.getByLabel('Description in French').fill('Des groupes de pairs pour un an, ouverts par le test de bout en bout.');
  await page.getByLabel('Deadline (date)').fill(tomorrow());
  await page.getByLabel('Deadline (time)').fill('17:00');
  await page.getByRole('button', { name: 'Open the round' }).click();
  await expect(page.getByRole('status')).toContainText('The round is open');
  const adminUrl = page.url().replace(/\?.*$/, '');

  await page.getByLabel('Name (English)').fill('Virtual group');
  await page.getByLabel('Name (French)').fill('Groupe virtuel');
  await page.getByLabel('Meets').selectOption('virtual');
  await page.getByLabel('Places').fill('3');
  await page.getByRole('button', { name: 'Add a group' }).click();
  await expect(page.getByRole('heading', { name: 'Virtual group' })).toBeVisible();

  // On a phone, in French.
  const phone = await browser.newContext({ ...devices['Pixel 7'], locale: 'fr-CA' });
  const applicant = await phone.newPage();
  const refusals = watchContentSecurityPolicy(applicant);
  await applicant.goto('/fr/programs');
  await applicant.getByRole('link', { name: title }).click();
  await expect(applicant.getByText(/Les candidatures sont acceptées jusqu’au .+ HE\./)).toBeVisible();
  const email = `applicant-${Date.now()}@example.ca`;
  await applicant.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  // Nothing filled in: every problem is listed, and focus goes to the list.
  await expect(applicant.getByRole('alert')).toBeFocused();
  await expect(applicant.getByRole('alert')).toContainText('Indiquez votre spécialité.');
  await applicant.getByLabel('Nom complet').fill('Dre Léa Gagnon');
  await applicant.getByLabel('Spécialité').fill('Médecine familiale');
  await applicant.getByLabel('Ville ou localité').fill('Sudbury');
  await applicant.getByLabel('District').selectOption('other');
  await applicant.getByLabel('Courriel préféré').fill(email);
  await applicant.getByLabel('Numéro de téléphone préféré').fill('705 555-0199');
  await applicant.getByLabel('Pourquoi voulez-vous').fill('Pour parler avec des pairs qui vivent la même chose.');
  await applicant.getByLabel('Préférez-vous vous réunir').selectOption('virtual');
  await applicant.getByLabel('Qu’espérez-vous retirer').fill('Moins d’isolement.');
  await applicant.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  // The answer says an email is on its way, and nothing more: the private link goes only there.
  await expect(applicant).toHaveURL(/\/fr\/rounds\/\d+\?applied=1$/);
  await expect(applicant.getByRole('status')).toContainText('Merci de votre candidature.');
  const [acknowledgement] = await waitForMail(email);
  expect(acknowledgement.subject).toContain('Nous avons reçu votre candidature');
  const privateLink = acknowledgement.text?.match(/https?:\/\/\S+\/fr\/applications\/\S+/)?.[0] ?? '';
  await applicant.goto(new URL(privateLink).pathname);
  await expect(applicant.getByRole('status')).toContainText('Nous avons votre candidature, numéro');
  const number = (await applicant.getByRole('status').textContent())!.match(/numéro (\d+)/)![1];
  expect(refusals).toEqual([]);

  // The coordinator ends applications, then draws.
  await page.goto(adminUrl);
  await page.getByRole('button', { name: 'Stop taking applications now' }).click();
  await page.getByRole('button', { name: 'Run the draw' }).click();
  await expect(page.getByRole('status')).toContainText('The draw ran');
  await page.getByRole('link', { name: 'See the draw and check it' }).click();
  const seed = (await page.locator('#published-seed').textContent())!.trim();
  expect(seed).toMatch(/^[0-9a-f]{16}$/);
  await expect(page.getByText(number, { exact: true }).first()).toBeVisible();

  // Anyone re-runs it with the published seed and gets the same groups.
  await applicant.goto(page.url().replace('/en/', '/fr/'));
  await applicant.getByLabel('Graine avec laquelle refaire le tirage').fill(seed);
  await applicant.getByRole('button', { name: 'Refaire le tirage' }).click();
  await expect(applicant.getByRole('status')).toContainText(`Refait avec la graine ${seed}, le tirage donne exactement`);
  const axe = await new AxeBuilder({ page: applicant })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  const [, outcome] = await waitForMail(email, 2);
  expect(outcome.subject).toContain('Vous avez une place');
  expect(outcome.text).toContain(seed);
  await phone.close();
});
