import { ChangeDetectionStrategy, Component, input } from '@angular/core';

@Component({
  selector: 'lf-page-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="text">
      <h1>{{ title() }}</h1>
      @if (subtitle()) { <p class="sub">{{ subtitle() }}</p> }
    </div>
    <div class="actions"><ng-content /></div>
  `,
  styles: `
    :host { display: flex; align-items: flex-end; gap: 16px; margin-bottom: 20px; flex-wrap: wrap; }
    .text { flex: 1 1 auto; min-width: 0; }
    h1 { font-size: 24px; line-height: 32px; }
    .sub { margin: 4px 0 0; color: var(--lf-muted); }
    .actions { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  `,
})
export class PageHeader {
  readonly title = input.required<string>();
  readonly subtitle = input<string>();
}
