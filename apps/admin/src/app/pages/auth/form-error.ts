import { ChangeDetectionStrategy, Component, input } from '@angular/core';

@Component({
  selector: 'lf-form-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@if (message()) { <div class="error" role="alert">{{ message() }}</div> }`,
  styles: `.error { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; border-radius: 8px; padding: 10px 12px; margin-bottom: 16px; font-size: 13px; }`,
})
export class FormError {
  readonly message = input<string | null>(null);
}
