import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import { orgsAccept } from '@leadforge/sdk';
import { describeError } from '../../core/problem';
import { SessionService } from '../../core/session.service';
import { AuthCard } from './auth-card';
import { FormError } from './form-error';

@Component({
  selector: 'lf-accept-invitation',
  imports: [RouterLink, MatButtonModule, MatProgressSpinnerModule, AuthCard, FormError],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-auth-card title="Join the team" subtitle="Invitations are for the address they were sent to.">
      @switch (state()) {
        @case ('working') { <div class="center"><mat-spinner diameter="32" /></div> }
        @case ('signin') {
          <p>Sign in (or create an account) with the invited address to accept.</p>
          <div class="actions">
            <a mat-flat-button [routerLink]="['/login']" [queryParams]="{ next: returnUrl() }">Sign in</a>
            <a mat-stroked-button routerLink="/register">Create account</a>
          </div>
        }
        @case ('done') {
          <p role="status">You joined the organization. It is now your current workspace.</p>
          <a mat-flat-button class="lf-full" routerLink="/">Open the dashboard</a>
        }
        @case ('failed') { <lf-form-error [message]="error()" /> <a mat-stroked-button routerLink="/">Go to the console</a> }
      }
    </lf-auth-card>
  `,
  styles: `.center { display: grid; place-items: center; padding: 16px; } .actions { display: flex; gap: 8px; }`,
})
export class AcceptInvitation implements OnInit {
  private readonly session = inject(SessionService);
  readonly token = input<string>();
  protected readonly state = signal<'working' | 'signin' | 'done' | 'failed'>('working');
  protected readonly error = signal<string | null>(null);
  protected readonly returnUrl = () => `/accept-invitation?token=${encodeURIComponent(this.token() ?? '')}`;

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.error.set('This invitation link is incomplete.');
      this.state.set('failed');
      return;
    }
    if (!(this.session.signedIn() || (await this.session.restore()))) {
      this.state.set('signin');
      return;
    }
    try {
      await orgsAccept({ body: { token }, throwOnError: true });
      // The session switches organization at its next refresh.
      await this.session.refresh();
      await this.session.loadMe();
      this.state.set('done');
    } catch (error) {
      this.error.set(describeError(error));
      this.state.set('failed');
    }
  }
}
