import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * A secret the server shows only once (API keys, webhook signing secrets): displayed with a copy
 * button until the user confirms they stored it; then it is gone from the page for good.
 */
@Component({
  selector: 'lf-secret-reveal',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="box" role="alert">
      <strong>{{ label() }}</strong>
      <p class="lf-muted">Copy it now: it is shown this once and cannot be displayed again.</p>
      <div class="lf-row">
        <code class="secret" data-testid="secret-value">{{ secret() }}</code>
        <button mat-stroked-button type="button" (click)="copy()" data-testid="secret-copy" [attr.aria-label]="'Copy ' + label()">{{ copied() ? 'Copied' : 'Copy' }}</button>
        <button mat-button type="button" (click)="dismissed.emit()" data-testid="secret-dismiss">I have stored it</button>
      </div>
      @if (copyFailed()) { <p class="lf-error-text">The browser refused the clipboard: select the text and copy it by hand.</p> }
    </div>
  `,
  styles: `
    .box { border: 1px solid #fde68a; background: #fffbeb; border-radius: 10px; padding: 12px 16px; margin: 12px 0; }
    .box p { margin: 2px 0 8px; }
    .secret { background: #fff; border: 1px solid var(--lf-border); padding: 6px 8px; border-radius: 6px; word-break: break-all; user-select: all; }
  `,
})
export class SecretReveal {
  readonly secret = input.required<string>();
  readonly label = input('Secret');
  readonly dismissed = output<void>();
  protected readonly copied = signal(false);
  protected readonly copyFailed = signal(false);

  async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.secret());
      this.copied.set(true);
      this.copyFailed.set(false);
    } catch {
      this.copyFailed.set(true);
    }
  }
}
