import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { TaskResponse } from '@leadforge/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventsSocketService } from '../../core/events-socket.service';
import { TaskList } from './task-list';
import { json, loadMoreButton, removeOverlays, settle } from '../../testing/page-testing';

const task = (id: string, name: string, status: TaskResponse['status'] = 'completed'): TaskResponse => ({
  id, name, status, platform: 'website', seeds: ['https://example.com'], leadObjective: 'contacts', options: {},
  creditsCharged: 10, creditsReserved: 20, startedAt: null, finishedAt: null, createdAt: '2026-03-01T10:00:00Z',
  progress: { duplicates: 0, etaSeconds: null, leadsFound: 0, leadsStored: 3, pagesFailed: 0, pagesFetched: 10, pagesPerSecond: 0, pagesQueued: 0, percent: 100, suppressed: 0 },
});

describe('Task list page', () => {
  const realFetch = globalThis.fetch;
  let cursors: Array<string | null>;
  let answer: (cursor: string | null) => Response | Promise<Response>;
  let stopped: unknown[];
  let tasksChanged: () => void;

  beforeEach(() => {
    cursors = [];
    stopped = [];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const url = new URL(request.url, 'http://localhost');
      if (url.pathname === '/api/v1/tasks' && request.method === 'GET') {
        cursors.push(url.searchParams.get('cursor'));
        return answer(url.searchParams.get('cursor'));
      }
      if (url.pathname === '/api/v1/tasks/bulk/stop' && request.method === 'POST') {
        const body = (await request.json()) as { taskIds: string[] };
        stopped.push(body);
        return json({ stopped: body.taskIds, notStopped: [] });
      }
      return json({ status: 404, title: 'Not Found', code: 'not_found', detail: 'No route', requestId: 'req-1' }, 404);
    }) as typeof fetch;
    const socket: Pick<EventsSocketService, 'onTasksChanged'> = {
      onTasksChanged: (listener) => {
        tasksChanged = () => listener({ orgId: 'o1', taskId: 't1', status: 'running', at: '2026-03-01T10:00:00Z' });
        return () => undefined;
      },
    };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: EventsSocketService, useValue: socket }] });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    removeOverlays();
  });


  const names = (page: HTMLElement) => Array.from(page.querySelectorAll('table[aria-label="Tasks"] td a')).map((link) => link.textContent?.trim());
  const loadMore = loadMoreButton;
  const buttonNamed = (page: HTMLElement, text: string) => Array.from(page.querySelectorAll('button')).find((button) => button.textContent?.includes(text));
  const checkboxOf = (page: HTMLElement, name: string) =>
    Array.from(page.querySelectorAll('table[aria-label="Tasks"] tr')).find((row) => row.querySelector('td a')?.textContent?.trim() === name)!.querySelector<HTMLInputElement>('input[type="checkbox"]')!;

  it('shows only the error with "Try again" when the first load fails, and the empty state only once a load answered no tasks', async () => {
    let fail = true;
    answer = () => (fail ? json({ status: 403, title: 'Forbidden', code: 'forbidden', detail: 'Your organization is suspended.', requestId: 'req-3' }, 403) : json({ items: [], nextCursor: null }));
    const fixture = TestBed.createComponent(TaskList);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('Your organization is suspended. — request req-3');
    expect(page.textContent).not.toContain('No scrapes yet');
    expect(page.querySelector('mat-progress-bar')).toBeNull();

    fail = false;
    buttonNamed(page, 'Try again')!.click();
    await settle(fixture);
    expect(cursors).toEqual([null, null]);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(buttonNamed(page, 'Try again')).toBeUndefined();
    expect(page.textContent).toContain('No scrapes yet');
  });

  it('drops from the selection the tasks a refresh no longer lists as running, so "Stop selected" only stops tasks on screen', async () => {
    let round = 0;
    answer = () =>
      round === 0
        ? json({ items: [task('t1', 'Alpha', 'running'), task('t2', 'Beta', 'running'), task('t3', 'Gamma', 'queued')], nextCursor: null })
        : json({ items: [task('t4', 'Delta', 'running'), task('t2', 'Beta', 'running'), task('t3', 'Gamma', 'completed')], nextCursor: null });
    const fixture = TestBed.createComponent(TaskList);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    for (const name of ['Alpha', 'Beta', 'Gamma']) checkboxOf(page, name).click();
    await settle(fixture);
    expect(buttonNamed(page, 'selected')!.textContent).toContain('Stop 3 selected');

    round = 1;
    tasksChanged();
    await settle(fixture);
    expect(names(page)).toEqual(['Delta', 'Beta', 'Gamma']);
    expect(buttonNamed(page, 'selected')!.textContent).toContain('Stop 1 selected');
    expect(checkboxOf(page, 'Beta').checked).toBe(true);
    expect(checkboxOf(page, 'Gamma').checked).toBe(false);
    expect(checkboxOf(page, 'Delta').checked).toBe(false);

    buttonNamed(page, 'selected')!.click();
    await settle(fixture);
    expect(stopped).toEqual([{ taskIds: ['t2'] }]);
    expect(buttonNamed(page, 'selected')).toBeUndefined();
  });

  it('appends the next page, shows a failed "Load more" above the list it keeps, and clears it once a retry works', async () => {
    let failMore = false;
    answer = (cursor) => {
      if (cursor === null) return json({ items: [task('t1', 'First')], nextCursor: 'c1' });
      if (cursor === 'c1') return json({ items: [task('t2', 'Second')], nextCursor: 'c2' });
      if (failMore) return json({ status: 400, title: 'Bad Request', code: 'invalid_cursor', detail: 'The cursor is no longer valid.', requestId: 'req-7' }, 400);
      return json({ items: [task('t3', 'Third')], nextCursor: null });
    };
    const fixture = TestBed.createComponent(TaskList);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(names(page)).toEqual(['First']);

    loadMore(page)!.click();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1']);
    expect(names(page)).toEqual(['First', 'Second']);

    failMore = true;
    loadMore(page)!.click();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2']);
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('The cursor is no longer valid. — request req-7');
    expect(names(page)).toEqual(['First', 'Second']);
    expect(loadMore(page)!.disabled).toBe(false);

    failMore = false;
    loadMore(page)!.click();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2', 'c2']);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(names(page)).toEqual(['First', 'Second', 'Third']);
    expect(loadMore(page)).toBeUndefined();
  });

  it('keeps the rows "Load more" brought when the tasks change, swapping them in at once, and keeps their selection', async () => {
    let round = 0;
    let release: (() => void) | null = null;
    answer = (cursor) => {
      const status = round === 0 ? 'running' : 'completed';
      if (cursor === null) return json({ items: [task('t1', 'First', status)], nextCursor: 'c1' });
      if (cursor === 'c1') {
        const page = json({ items: [task('t2', 'Second', status)], nextCursor: 'c2' });
        return round === 0 ? page : new Promise((resolve) => (release = () => resolve(page)));
      }
      return json({ items: [task('t3', 'Third', 'running')], nextCursor: null });
    };
    const fixture = TestBed.createComponent(TaskList);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    loadMore(page)!.click();
    await settle(fixture);
    loadMore(page)!.click();
    await settle(fixture);
    expect(names(page)).toEqual(['First', 'Second', 'Third']);
    checkboxOf(page, 'Third').click();
    await settle(fixture);

    round = 1;
    tasksChanged();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2', null, 'c1']);
    expect(names(page)).toEqual(['First', 'Second', 'Third']);
    expect(checkboxOf(page, 'First').disabled).toBe(false);
    expect(page.querySelector('mat-progress-bar[mode="indeterminate"]')).toBeNull();

    release!();
    await settle(fixture);
    expect(cursors).toEqual([null, 'c1', 'c2', null, 'c1', 'c2']);
    expect(names(page)).toEqual(['First', 'Second', 'Third']);
    expect(checkboxOf(page, 'First').disabled).toBe(true);
    expect(checkboxOf(page, 'Second').disabled).toBe(true);
    expect(checkboxOf(page, 'Third').checked).toBe(true);
    expect(buttonNamed(page, 'selected')!.textContent).toContain('Stop 1 selected');
    expect(loadMore(page)).toBeUndefined();
  });

  it('refetches the first page when the tasks change', async () => {
    let round = 0;
    answer = () => (round === 0 ? json({ items: [task('t1', 'First', 'queued')], nextCursor: null }) : json({ items: [task('t9', 'Newest', 'running'), task('t1', 'First', 'running')], nextCursor: null }));
    const fixture = TestBed.createComponent(TaskList);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(names(page)).toEqual(['First']);

    round = 1;
    tasksChanged();
    await settle(fixture);
    expect(cursors).toEqual([null, null]);
    expect(names(page)).toEqual(['Newest', 'First']);
  });
});
