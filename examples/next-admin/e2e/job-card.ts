import type { Page } from 'playwright-core';

/** What the submission page's progress card shows, read from the DOM. */
export interface CardState {
  jobId: string;
  status: string;
  /** aria-valuenow of the card's progress bar. */
  progress: number;
  completed: number;
  failed: number;
  /** Reviews listed in the card (succeeded items). */
  reviews: number;
  /** Items listed in the card, failed ones included. */
  listed: number;
}

const CARD = '[data-testid="current-job"] .rj-job-progress';

export async function readCard(page: Page): Promise<CardState> {
  await page.locator(`${CARD}[data-status]:not([data-status="loading"])`).waitFor();
  return page.locator(CARD).evaluate((card) => {
    const stat = (name: string) => Number(card.querySelector(`[data-stat="${name}"] dd`)?.textContent ?? NaN);
    return {
      jobId: card.getAttribute('data-job-id') ?? '',
      status: card.getAttribute('data-status') ?? '',
      progress: Number(card.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? NaN),
      completed: stat('completed'),
      failed: stat('failed'),
      reviews: card.querySelectorAll('.rj-job-progress__item[data-status="succeeded"]').length,
      listed: card.querySelectorAll('.rj-job-progress__item').length,
    };
  });
}

/**
 * Reads the card every `everyMs` until `until` holds, and returns every reading: the
 * history shows the bar moving on its own (no reload) and never going back.
 */
export async function watchCard(page: Page, until: (state: CardState) => boolean, { timeoutMs = 60_000, everyMs = 200 } = {}): Promise<CardState[]> {
  const readings: CardState[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await readCard(page);
    readings.push(state);
    if (until(state)) return readings;
    if (Date.now() > deadline) {
      throw new Error(`card never reached the expected state in ${timeoutMs} ms; last: ${JSON.stringify(state)}`);
    }
    await page.waitForTimeout(everyMs);
  }
}

export async function clickGenerate(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'AI 리뷰 일괄 생성' }).click();
  const panel = page.locator('[data-testid="current-job"]');
  await panel.waitFor();
  return (await panel.getAttribute('data-job-id')) ?? '';
}

/** Marks the document; a reload or a full navigation would lose the mark. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { __e2eMark: true }));
}

export async function documentIsMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark === true);
}
