import { TestBed } from '@angular/core/testing';
import { describe, expect, it } from 'vitest';
import { TaskProgress, type ProgressView } from './task-progress';

function render(progress: ProgressView, active: boolean): HTMLElement {
  const fixture = TestBed.createComponent(TaskProgress);
  fixture.componentRef.setInput('progress', progress);
  fixture.componentRef.setInput('active', active);
  fixture.detectChanges();
  return fixture.nativeElement as HTMLElement;
}

const text = (root: HTMLElement, id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

describe('TaskProgress', () => {
  it('shows percent, pages/s and ETA of a running task', () => {
    const root = render({ pagesQueued: 40, pagesFetched: 13, pagesFailed: 0, leadsStored: 5, percent: 32.5, pagesPerSecond: 2.25, etaSeconds: 75 }, true);
    expect(text(root, 'progress-percent')).toBe('32%');
    expect(text(root, 'progress-rate')).toBe('2.3 pages/s');
    expect(text(root, 'progress-eta')).toBe('1 min 15 s');
    expect(root.textContent).toContain('13 of 40 pages');
  });

  it('shows no ETA once the task has ended', () => {
    const root = render({ pagesQueued: 40, pagesFetched: 40, pagesFailed: 2, leadsStored: 9, percent: 100, pagesPerSecond: 3, etaSeconds: 0 }, false);
    expect(text(root, 'progress-percent')).toBe('100%');
    expect(text(root, 'progress-eta')).toBe('—');
    expect(root.textContent).toContain('2 failed');
  });
});
