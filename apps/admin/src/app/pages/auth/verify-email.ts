import { ChangeDetectionStrategy, Component, OnInit, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import { authVerifyEmail } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-verify-email',
  imports: [RouterLink, MatButtonModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Confirm your email">
      @switch (state()) {
        @case ('working') { <div class="center"><mat-spinner diameter="32" /><p>Confirming…</p></div> }
        @case ('done') {
          <p role="status" data-testid="verified">Your email address is confirmed. You can sign in now.</p>
          <a mat-flat-button class="lf-full" routerLink="/login">Sign in</a>
        }
        @case ('failed') {
          <lf-form-error [message]="error()" />
          <a mat-stroked-button class="lf-full" routerLink="/login">Back to sign in</a>
        }
      }
    </lf-auth-card>
  `,
  styles: `.center { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 16px 0; }`,
})
export class VerifyEmail implements OnInit {
  readonly token = input<string>();
  protected readonly state = signal<'working' | 'done' | 'failed'>('working');
  protected readonly error = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.error.set('This link is incomplete. Sign in and ask for a new confirmation link.');
      this.state.set('failed');
      return;
    }
    try {
      await authVerifyEmail({ body: { token }, throwOnError: true });
      this.state.set('done');
    } catch (error) {
      this.error.set(describeError(error));
      this.state.set('failed');
    }
  }
}
