import { ChangeDetectionStrategy, Component, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { A11yModule } from '@angular/cdk/a11y';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { leadsGet, leadsUpdate, type LeadResponse, type UpdateLeadRequest } from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { describeError } from '../../core/problem';
import { Icon } from '../../shared/components/icon';
import { formatDateTime, labelOf } from '../../shared/format';

/** The side panel with everything about one lead: contact data, sources, confidence reasons, status/tags/notes edit. */
@Component({
  selector: 'lf-lead-drawer',
  imports: [FormsModule, A11yModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatProgressBarModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.escape)': 'closed.emit()' },
  template: `
    <div class="scrim" (click)="closed.emit()" aria-hidden="true"></div>
    <aside class="drawer" role="dialog" aria-modal="true" aria-labelledby="lead-title" cdkTrapFocus [cdkTrapFocusAutoCapture]="true" data-testid="lead-drawer">
      <header>
        <h2 id="lead-title">{{ lead()?.fullName ?? lead()?.companyName ?? 'Lead' }}</h2>
        <button mat-icon-button (click)="closed.emit()" aria-label="Close"><lf-icon name="close" /></button>
      </header>
      @if (error()) { <p class="lf-error-text" role="alert">{{ error() }}</p> }
      @if (lead(); as l) {
        <div class="body">
          <p class="lf-muted">{{ l.jobTitle ?? '' }}{{ l.jobTitle && l.companyName ? ' · ' : '' }}{{ l.companyName ?? '' }}</p>
          <dl>
            <dt>Email</dt><dd>@if (l.email) { <a [href]="'mailto:' + l.email">{{ l.email }}</a> } @else { — }</dd>
            <dt>Phones</dt><dd>@for (phone of l.phones; track phone.e164) { <div>{{ phone.e164 }} <span class="lf-muted">{{ phone.type }}</span></div> } @empty { — }</dd>
            <dt>Website</dt><dd>@if (l.website) { <a [href]="l.website" target="_blank" rel="noopener noreferrer">{{ l.website }}</a> } @else { — }</dd>
            <dt>Level</dt><dd>{{ labelOf(l.jobLevel) }}</dd>
            <dt>Department</dt><dd>{{ l.department ?? '—' }}</dd>
            <dt>Business</dt><dd>{{ labelOf(l.businessType) }}</dd>
            <dt>Address</dt><dd>{{ address(l) }}</dd>
            <dt>Socials</dt><dd>@for (social of socials(l); track social[0]) { <a [href]="social[1]" target="_blank" rel="noopener noreferrer" class="social">{{ social[0] }}</a> } @empty { — }</dd>
            <dt>First seen</dt><dd>{{ formatDateTime(l.firstSeenAt) }}</dd>
          </dl>

          <h3>Confidence <span class="score">{{ l.confidence }}</span></h3>
          <ul class="reasons">
            @for (reason of l.confidenceReasons; track reason.signal) {
              <li><span>{{ labelOf(reason.signal) }}</span><span [class.neg]="reason.weight < 0">{{ reason.weight > 0 ? '+' : '' }}{{ reason.weight }}</span></li>
            } @empty { <li class="lf-muted">No signals recorded.</li> }
          </ul>

          <h3>Sources</h3>
          <ul class="sources">
            @for (source of l.sources; track source.url + source.seenAt) {
              <li><a [href]="source.url" target="_blank" rel="noopener noreferrer">{{ source.url }}</a> <span class="lf-muted">{{ formatDateTime(source.seenAt) }}</span></li>
            }
          </ul>

          <h3>Qualify</h3>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Status</mat-label>
            <mat-select [ngModel]="status()" (ngModelChange)="status.set($event)">
              @for (option of statuses; track option) { <mat-option [value]="option">{{ labelOf(option) }}</mat-option> }
            </mat-select>
          </mat-form-field>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Tags</mat-label>
            <input matInput [ngModel]="tags()" (ngModelChange)="tags.set($event)" placeholder="comma, separated" />
          </mat-form-field>
          <mat-form-field appearance="outline" class="lf-full">
            <mat-label>Notes</mat-label>
            <textarea matInput rows="3" [ngModel]="notes()" (ngModelChange)="notes.set($event)"></textarea>
          </mat-form-field>
          <div class="actions">
            <button mat-flat-button (click)="save(l)" [disabled]="saving()">Save</button>
            <span class="lf-spacer"></span>
            <button mat-button class="danger" (click)="deleted.emit(l)">Delete lead</button>
          </div>
        </div>
      } @else if (!error()) {
        <mat-progress-bar mode="indeterminate" />
      }
    </aside>
  `,
  styles: `
    .scrim { position: fixed; inset: 0; background: rgb(15 23 42 / 30%); z-index: 20; }
    .drawer { position: fixed; top: 0; right: 0; bottom: 0; width: min(480px, 100vw); background: #fff; z-index: 21; box-shadow: -12px 0 32px rgb(15 23 42 / 16%); display: flex; flex-direction: column; }
    header { display: flex; align-items: center; justify-content: space-between; padding: 16px 20px; border-bottom: 1px solid var(--lf-border); }
    header h2 { font-size: 18px; }
    .body { padding: 4px 20px 24px; overflow: auto; }
    dl { display: grid; grid-template-columns: 110px 1fr; gap: 6px 12px; margin: 12px 0 20px; }
    dt { color: var(--lf-muted); }
    dd { margin: 0; word-break: break-word; }
    h3 { font-size: 14px; margin: 16px 0 8px; display: flex; align-items: center; gap: 8px; }
    .score { background: #dcfce7; color: #166534; border-radius: 6px; padding: 0 8px; }
    .reasons, .sources { list-style: none; margin: 0; padding: 0; }
    .reasons li { display: flex; justify-content: space-between; padding: 4px 0; border-bottom: 1px dashed var(--lf-border); }
    .reasons .neg { color: var(--lf-danger); }
    .sources li { padding: 4px 0; font-size: 12.5px; word-break: break-all; }
    .social { margin-right: 8px; text-transform: capitalize; }
    .actions { display: flex; gap: 8px; }
    .danger { color: var(--lf-danger); }
  `,
})
export class LeadDrawer {
  private readonly notify = inject(NotifyService);
  readonly leadId = input.required<string>();
  readonly closed = output<void>();
  readonly updated = output<LeadResponse>();
  readonly deleted = output<LeadResponse>();
  protected readonly lead = signal<LeadResponse | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly status = signal<LeadResponse['status']>('new');
  protected readonly tags = signal('');
  protected readonly notes = signal('');
  protected readonly statuses = ['new', 'contacted', 'qualified', 'disqualified'] as const;
  protected readonly labelOf = labelOf;
  protected readonly formatDateTime = formatDateTime;

  constructor() {
    effect(() => void this.load(this.leadId()));
  }

  private async load(id: string): Promise<void> {
    this.lead.set(null);
    this.error.set(null);
    try {
      const { data } = await leadsGet({ path: { id }, throwOnError: true });
      this.lead.set(data);
      this.status.set(data.status);
      this.tags.set(data.tags.join(', '));
      this.notes.set(data.notes ?? '');
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  protected address(lead: LeadResponse): string {
    const parts = [lead.address?.street, lead.address?.city, lead.address?.region, lead.address?.postalCode, lead.address?.country].filter(Boolean);
    return parts.length ? parts.join(', ') : '—';
  }

  protected socials(lead: LeadResponse): Array<[string, string]> {
    return Object.entries(lead.socials ?? {}).filter(([, url]) => !!url);
  }

  async save(lead: LeadResponse): Promise<void> {
    this.saving.set(true);
    const body: UpdateLeadRequest = {
      status: this.status(),
      tags: [...new Set(this.tags().split(',').map((tag) => tag.trim()).filter(Boolean))].slice(0, 50),
      notes: this.notes().trim() ? this.notes().trim() : null,
    };
    try {
      const { data } = await leadsUpdate({ path: { id: lead.id }, body, throwOnError: true });
      this.lead.set(data);
      this.updated.emit(data);
      this.notify.success('Lead saved');
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.saving.set(false);
    }
  }
}
