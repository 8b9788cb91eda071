import type { ApiClient } from './api-client';

/** Polls a task until it has fetched at least `pages` pages (or the time is up); returns the last count seen. */
export async function waitForPagesFetched(api: ApiClient, token: string, taskId: string, pages: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let fetched = 0;
  while (fetched < pages && Date.now() < deadline) {
    fetched = (await api.json<{ progress: { pagesFetched: number } }>('GET', `tasks/${taskId}`, 200, { token })).progress.pagesFetched;
    if (fetched < pages) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return fetched;
}
