import { ChangeDetectionStrategy, Component, OnInit, inject, signal, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { Router, RouterLink } from '@angular/router';
import { webhooksCreate, webhooksList, webhooksPing, webhooksRemove, webhooksRotateSecret, webhooksUpdate, type WebhookResponse } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { EmptyState } from '../../shared/components/empty-state';
import { PageHeader } from '../../shared/components/page-header';
import { SecretReveal } from '../../shared/components/secret-reveal';
import { CursorList } from '../../shared/cursor-list';
import { formatDateTime } from '../../shared/format';
import { WEBHOOK_EVENTS, type WebhookEventType } from './webhook-events';

const httpUrl = (control: AbstractControl): ValidationErrors | null => {
  const value = String(control.value ?? '').trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : { url: true };
  } catch {
    return { url: true };
  }
};

const someEvent = (control: AbstractControl): ValidationErrors | null =>
  Object.values(control.value as Record<string, boolean>).some(Boolean) ? null : { events: true };

@Component({
  selector: 'lf-webhooks',
  imports: [
    ReactiveFormsModule, RouterLink, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatProgressBarModule, MatSlideToggleModule,
    EmptyState, PageHeader, SecretReveal,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Webhooks" subtitle="Signed POSTs to your systems when tasks finish and leads arrive (Standard Webhooks).">
      <a mat-button routerLink="/settings">Back to settings</a>
    </lf-page-header>
    @if (secret(); as shown) {
      <lf-secret-reveal [secret]="shown.secret" [label]="'Signing secret for ' + shown.url" (dismissed)="secret.set(null)" />
    }
    <section class="lf-card">
      <h2>Add an endpoint</h2>
      <form [formGroup]="form" (ngSubmit)="create()" novalidate class="create">
        <mat-form-field appearance="outline" class="url">
          <mat-label>Endpoint URL</mat-label>
          <input matInput formControlName="url" maxlength="2048" placeholder="https://hooks.example.com/leadforge" data-testid="webhook-url" />
          @if (form.controls.url.hasError('required')) { <mat-error>Enter the URL that receives the POSTs</mat-error> }
          @if (form.controls.url.hasError('url')) { <mat-error>Enter a full http(s) URL</mat-error> }
        </mat-form-field>
        <mat-form-field appearance="outline" class="desc">
          <mat-label>Description (optional)</mat-label>
          <input matInput formControlName="description" maxlength="500" />
        </mat-form-field>
        <fieldset formGroupName="events" class="events">
          <legend>Events</legend>
          @for (event of events; track event.type) { <mat-checkbox [formControlName]="event.key">{{ event.label }}</mat-checkbox> }
          @if (form.controls.events.touched && form.controls.events.invalid) { <span class="lf-error-text" role="alert">Choose at least one event</span> }
        </fieldset>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="webhook-create">Add endpoint</button>
      </form>
    </section>

    <h2 class="section">Endpoints</h2>
    @if (list.errorText()) {
      <p class="lf-error-text" role="alert">{{ list.errorText() }}</p>
      <button mat-stroked-button (click)="load()">Try again</button>
    } @else if (list.loadingFirstPage()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading webhooks" />
    } @else if (list.items().length === 0) {
      <lf-empty-state icon="bolt" title="No endpoints yet" message="Add one above to receive task and lead events." />
    } @else {
      <ul class="list" aria-label="Webhook endpoints">
        @for (endpoint of list.items(); track endpoint.id) {
          <li class="lf-card endpoint" data-testid="webhook-row">
            <div class="line">
              <code class="target">{{ endpoint.url }}</code>
              <span class="lf-spacer"></span>
              <mat-slide-toggle [checked]="endpoint.enabled" (change)="setEnabled(endpoint, $event.checked)" [disabled]="busy()">{{ endpoint.enabled ? 'Enabled' : 'Disabled' }}</mat-slide-toggle>
            </div>
            <p class="lf-muted">
              {{ endpoint.description || 'No description' }} · {{ endpoint.events.join(', ') }} · created {{ formatDateTime(endpoint.createdAt) }}
              @if (endpoint.failingSince) { <span class="warn"> · failing since {{ formatDateTime(endpoint.failingSince) }}</span> }
              @if (endpoint.disabledReason) { <span class="warn"> · disabled: {{ endpoint.disabledReason }}</span> }
              @if (endpoint.previousSecretExpiresAt) { <span> · previous secret signs until {{ formatDateTime(endpoint.previousSecretExpiresAt) }}</span> }
            </p>
            <div class="lf-row">
              <a mat-stroked-button [routerLink]="['/settings/webhooks', endpoint.id]" data-testid="webhook-deliveries">Deliveries</a>
              <button mat-stroked-button (click)="ping(endpoint)" [disabled]="busy()" data-testid="webhook-ping">Send ping</button>
              <button mat-button (click)="rotate(endpoint)" [disabled]="busy()">Rotate secret</button>
              <button mat-button class="danger" (click)="remove(endpoint)" [disabled]="busy()">Delete</button>
            </div>
          </li>
        }
      </ul>
      @if (list.nextCursor()) { <div class="more"><button mat-stroked-button (click)="list.more()" [disabled]="list.loading()">Load more</button></div> }
    }
  `,
  styles: `
    .create { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
    .url { flex: 2 1 360px; }
    .desc { flex: 1 1 220px; }
    .events { border: 0; padding: 0; margin: 0; display: flex; gap: 8px; align-items: center; flex: 1 1 100%; flex-wrap: wrap; }
    .events legend { font-weight: 500; float: left; margin-right: 8px; }
    .section { font-size: 16px; margin: 24px 0 12px; }
    .list { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px; }
    .line { display: flex; align-items: center; gap: 12px; }
    .target { font-size: 14px; word-break: break-all; }
    .warn { color: var(--lf-warn); }
    .danger { color: var(--lf-danger); }
    .more { display: flex; justify-content: center; padding: 12px; }
  `,
})
export class Webhooks implements OnInit {
  private readonly notify = inject(NotifyService);
  private readonly router = inject(Router);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly events = WEBHOOK_EVENTS;
  protected readonly form = this.fb.group({
    url: ['', [Validators.required, Validators.maxLength(2048), httpUrl]],
    description: ['', Validators.maxLength(500)],
    events: this.fb.group(Object.fromEntries(WEBHOOK_EVENTS.map((event) => [event.key, true])) as Record<string, boolean>, { validators: someEvent }),
  });
  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly list = new CursorList<WebhookResponse>(
    async (_q, cursor) => (await webhooksList({ query: { limit: 50, ...(cursor ? { cursor } : {}) }, throwOnError: true })).data,
    { onMoreError: (error) => this.notify.error(error) },
  );
  protected readonly secret = signal<{ url: string; secret: string } | null>(null);
  protected readonly busy = signal(false);
  protected readonly formatDateTime = formatDateTime;

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    await this.list.reload();
  }

  async create(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    const events: WebhookEventType[] = WEBHOOK_EVENTS.filter((event) => value.events[event.key]).map((event) => event.type);
    await this.run(async () => {
      const { data } = await webhooksCreate({ body: { url: value.url.trim(), events, ...(value.description.trim() ? { description: value.description.trim() } : {}) }, throwOnError: true });
      this.secret.set({ url: data.url, secret: data.secret });
      // resetForm also clears the submitted state, so the emptied URL field is not shown as an error.
      this.formDirective().resetForm();
      await this.load();
    }, 'Endpoint added');
  }

  setEnabled(endpoint: WebhookResponse, enabled: boolean): Promise<void> {
    return this.run(async () => {
      const { data } = await webhooksUpdate({ path: { id: endpoint.id }, body: { enabled }, throwOnError: true });
      this.list.replace((item) => item.id === data.id, data);
    }, enabled ? 'Endpoint enabled' : 'Endpoint disabled');
  }

  ping(endpoint: WebhookResponse): Promise<void> {
    return this.run(async () => {
      await webhooksPing({ path: { id: endpoint.id }, throwOnError: true });
      await this.router.navigate(['/settings/webhooks', endpoint.id]);
    }, 'Ping queued');
  }

  rotate(endpoint: WebhookResponse): Promise<void> {
    if (!confirm(`Create a new signing secret for ${endpoint.url}? The current one keeps signing beside it for 24 hours.`)) return Promise.resolve();
    return this.run(async () => {
      const { data } = await webhooksRotateSecret({ path: { id: endpoint.id }, body: {}, throwOnError: true });
      this.secret.set({ url: data.url, secret: data.secret });
      this.list.replace((item) => item.id === data.id, data);
    }, 'New secret created');
  }

  remove(endpoint: WebhookResponse): Promise<void> {
    if (!confirm(`Delete ${endpoint.url} and its delivery log?`)) return Promise.resolve();
    return this.run(async () => {
      await webhooksRemove({ path: { id: endpoint.id }, throwOnError: true });
      this.list.remove((item) => item.id === endpoint.id);
    }, 'Endpoint deleted');
  }

  private async run(work: () => Promise<void>, success: string): Promise<void> {
    this.busy.set(true);
    try {
      await work();
      this.notify.success(success);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.busy.set(false);
    }
  }
}
