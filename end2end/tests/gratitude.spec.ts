import AxeBuilder from '@axe-core/playwright';
import { devices } from '@playwright/test';
import { expect, test } from './fixtures';
import { waitForMail } from './mail';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// A story shared in French on a phone, confirmed from the emailed link, approved by the
// coordinator, then on the wall. Desktop only (@once): the author's address is used once.
test('a story shared in French on a phone reaches the wall once confirmed and approved @once', async ({ browser, page }) => {
  const author = `autrice-${Date.now()}@rounds.test`;
  const story = 'Merci à la résidente de nuit qui m’a appris à demander de l’aide sans avoir honte.';
  const phone = await (await browser.newContext({ ...devices['Pixel 7'] })).newPage();
  await phone.goto('/fr/gratitude');
  await phone.getByRole('link', { name: 'Partager un témoignage' }).click();
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Partager un témoignage');
  const axe = await new AxeBuilder({ page: phone }).withTags(WCAG_22_AA).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Sent without the two confirmations: translated errors, and the story is kept.
  await phone.getByLabel('Votre témoignage', { exact: true }).fill(story);
  await phone.getByRole('group', { name: 'Présenter mon témoignage comme écrit par' }).getByLabel('Mes initiales').check();
  await phone.getByLabel('Votre nom').fill('Camille Dubé');
  await phone.getByLabel('Adresse courriel').fill(author);
  await phone.getByRole('button', { name: 'Envoyer mon témoignage' }).click();
  await expect(phone.getByRole('alert')).toContainText('Confirmez que vous êtes médecin');
  await expect(phone.getByLabel('Votre témoignage', { exact: true })).toHaveValue(story);

  await phone.getByLabel('Je suis médecin, résident ou résidente, ou étudiant ou étudiante en médecine.').check();
  await phone.getByLabel('J’accepte les règles de la communauté.').check();
  await phone.getByRole('button', { name: 'Envoyer mon témoignage' }).click();
  await expect(phone.getByRole('status')).toContainText('Consultez vos courriels');

  // Confirmed from the email's private link.
  const [mail] = await waitForMail(author, 1, 30_000);
  expect(mail.subject).toBe('Confirmez votre témoignage pour le mur de gratitude');
  const link = mail.text?.match(/https?:\/\/\S+\/gratitude\/story\/[A-Za-z0-9_-]+/)?.[0];
  expect(link).toBeTruthy();
  await phone.goto(new URL(link!).pathname);
  await phone.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(phone.getByRole('status')).toContainText('votre adresse est confirmée');

  // Approved by the coordinator.
  await page.goto('/en/sign-in');
  await page.getByLabel('Email').fill('coordinator@rounds.test');
  await page.getByLabel('Password').fill('rounds demo coordinator');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/en/workspace/gratitude');
  await page.getByRole('listitem').filter({ hasText: story }).getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toHaveText('The story is on the wall.');

  // On the wall, first, signed with the initials; the author was told.
  await phone.goto('/fr/gratitude');
  const first = phone.getByRole('listitem').filter({ hasText: story });
  await expect(first).toContainText('— C. D.');
  await waitForMail(author, 2, 30_000);
});
