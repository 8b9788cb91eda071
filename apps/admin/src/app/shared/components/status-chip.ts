import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { labelOf } from '../format';

const TONES: Record<string, string> = {
  running: 'info', queued: 'neutral', paused: 'warn', completed: 'success', failed: 'danger', cancelled: 'neutral', timed_out: 'danger',
  new: 'info', contacted: 'warn', qualified: 'success', disqualified: 'neutral',
  pending: 'info', succeeded: 'success',
  suspended: 'danger',
};

@Component({
  selector: 'lf-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="dot"></span>{{ label() }}`,
  host: { '[attr.data-tone]': 'tone()', role: 'status' },
  styles: `
    :host { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 500; white-space: nowrap; background: #f1f5f9; color: #334155; }
    .dot { width: 6px; height: 6px; border-radius: 50%; background: currentColor; }
    :host([data-tone='info']) { background: #e0ecff; color: #1d4ed8; }
    :host([data-tone='success']) { background: #dcfce7; color: #166534; }
    :host([data-tone='warn']) { background: #fef3c7; color: #92400e; }
    :host([data-tone='danger']) { background: #fee2e2; color: #991b1b; }
  `,
})
export class StatusChip {
  readonly status = input.required<string>();
  protected readonly label = computed(() => labelOf(this.status()));
  protected readonly tone = computed(() => TONES[this.status()] ?? 'neutral');
}
