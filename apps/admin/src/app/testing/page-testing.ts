import { vi } from 'vitest';

/** A faked fetch's answer: JSON, or problem+json from status 400 on. */
export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/**
 * Lets a page's pending requests answer and renders, a few rounds (a load may chain requests).
 * Under fake timers the first round advances the clock by `advanceMs` (a poll's delay).
 */
export async function settle(fixture: { whenStable(): Promise<unknown>; detectChanges(): void }, advanceMs = 0): Promise<void> {
  for (let round = 0; round < 6; round++) {
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(round === 0 ? advanceMs : 0);
    else await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
    fixture.detectChanges();
  }
}

/** The "Load more" button under a list, if the page shows one. */
export const loadMoreButton = (page: HTMLElement): HTMLButtonElement | undefined =>
  Array.from(page.querySelectorAll<HTMLButtonElement>('.more button')).find((button) => button.textContent?.includes('Load more'));

/** Snackbars and dialogs live outside the fixture; each test starts without the last one's. */
export function removeOverlays(): void {
  document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
}
