import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Icon } from './icon';

@Component({
  selector: 'lf-empty-state',
  imports: [Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="badge"><lf-icon [name]="icon()" [size]="28" /></div>
    <h3>{{ title() }}</h3>
    @if (message()) { <p>{{ message() }}</p> }
    <ng-content />
  `,
  styles: `
    :host { display: flex; flex-direction: column; align-items: center; text-align: center; padding: 40px 16px; color: var(--lf-muted); }
    .badge { width: 56px; height: 56px; border-radius: 50%; display: grid; place-items: center; background: #eef2ff; color: var(--lf-accent); margin-bottom: 12px; }
    h3 { color: var(--lf-text); font-size: 16px; margin-bottom: 4px; }
    p { margin: 0 0 12px; max-width: 28rem; }
  `,
})
export class EmptyState {
  readonly icon = input('leads');
  readonly title = input.required<string>();
  readonly message = input<string>();
}
