import { ChangeDetectionStrategy, Component, OnInit, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import { optOutConfirm } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { AuthCard } from '../auth/auth-card';
import { FormError } from '../auth/form-error';

/** Where the link mailed for an email opt-out lands: the opt-out takes effect here. */
@Component({
  selector: 'lf-opt-out-confirm',
  imports: [RouterLink, MatButtonModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Confirm your opt-out">
      @switch (state()) {
        @case ('working') { <div class="center" role="status"><mat-spinner diameter="32" /><p>Confirming…</p></div> }
        @case ('done') { <p role="status" data-testid="opt-out-confirmed">{{ message() }}</p> }
        @case ('failed') {
          <lf-form-error [message]="error()" />
          <a mat-stroked-button class="lf-full" routerLink="/opt-out">Ask for a new link</a>
        }
      }
    </lf-auth-card>
  `,
  styles: `.center { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 16px 0; }`,
})
export class OptOutConfirm implements OnInit {
  readonly token = input<string>();
  protected readonly state = signal<'working' | 'done' | 'failed'>('working');
  protected readonly message = signal('');
  protected readonly error = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.error.set('This link is incomplete. Open the full link from the email, or ask for a new one.');
      this.state.set('failed');
      return;
    }
    try {
      const { data } = await optOutConfirm({ body: { token }, throwOnError: true });
      this.message.set(data.message);
      this.state.set('done');
    } catch (error) {
      this.error.set(describeError(error));
      this.state.set('failed');
    }
  }
}
