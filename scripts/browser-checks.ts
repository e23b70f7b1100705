// The browser test's harness: named checks and their results, a watched page, a tiny training run.
import type { Browser, Page } from 'playwright-core';

// A run small enough to finish in a second or two, with every class still in the test split.
export const TINY = { n: '600', epochs: '4', loss: 'focal', alpha: 'effective' };
export const TRAIN_TIMEOUT_MS = 60_000;
export const EXPECTED_CLASSES = 3;

export const results: { name: string; error?: string }[] = [];

export async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    results.push({ name });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    results.push({ name, error: message });
    console.log(`  ✗ ${name}\n      ${message}`);
  }
}

export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

// A new page whose console errors and uncaught page errors are collected in problems.
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, problems };
}

export async function trainAndWait(page: Page): Promise<string> {
  await page.click('#train');
  const status = page.locator('#status:not([data-state="training"])');
  await status.waitFor({ timeout: TRAIN_TIMEOUT_MS });
  return `${await status.getAttribute('data-state')}: ${await status.textContent()}`;
}
