import { ChangeDetectionStrategy, Component, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { databaseHealthDatabase, healthReady, type DatabaseHealthResponse } from '@leadforge/sdk';
import { describeError, isProblem } from '../../core/problem';
import { formatCount, formatDateTime } from '../../shared/format';

interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
  message?: string;
}

const formatBytes = (bytes: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};

@Component({
  selector: 'lf-system-health',
  imports: [MatButtonModule, MatProgressBarModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="lf-row bar">
      <span class="lf-muted">{{ checkedAt() ? 'Checked ' + formatDateTime(checkedAt()) : '' }}</span>
      <span class="lf-spacer"></span>
      <button mat-stroked-button (click)="load()" [disabled]="loading()">Refresh</button>
    </div>
    @if (loading()) { <mat-progress-bar mode="indeterminate" aria-label="Checking the system" /> }
    <div class="grid">
      <section class="lf-card" aria-labelledby="ready-title">
        <h2 id="ready-title">Readiness</h2>
        @if (readiness(); as r) {
          <p [class.ok]="r.ready" [class.down]="!r.ready" data-testid="readiness">{{ r.ready ? 'Ready to take traffic' : 'Not ready' }}</p>
          @if (r.message) { <p class="lf-error-text">{{ r.message }}</p> }
          <ul class="checks">
            @for (check of entries(r.checks); track check[0]) {
              <li><span class="dot" [class.up]="check[1] === 'up'" aria-hidden="true"></span>{{ check[0] }}: <strong>{{ check[1] }}</strong></li>
            }
          </ul>
        }
      </section>
      <section class="lf-card" aria-labelledby="db-title">
        <h2 id="db-title">Database</h2>
        @if (dbError()) { <p class="lf-error-text" role="alert">{{ dbError() }}</p> }
        @if (database(); as db) {
          <dl data-testid="database-health">
            <dt>Server</dt><dd>{{ db.serverVersion }} · {{ db.database }}</dd>
            <dt>Size</dt><dd>{{ formatBytes(db.sizeBytes) }}</dd>
            <dt>Connections to the database</dt><dd>{{ formatCount(db.connections) }} ({{ formatCount(db.activeConnections) }} active)</dd>
            <dt>This process's pool</dt><dd data-testid="pool">{{ db.pool.total }} open of {{ db.pool.max }} · {{ db.pool.idle }} idle · {{ db.pool.waiting }} waiting</dd>
            <dt>Migrations</dt><dd>{{ db.migrations.applied }} of {{ db.migrations.known }} applied{{ db.migrations.pending ? ' — some pending' : '' }}@if (db.migrations.latest) { <span class="lf-muted"> · latest {{ db.migrations.latest }}</span> }</dd>
          </dl>
        }
      </section>
    </div>
  `,
  styles: `
    .bar { margin-bottom: 12px; }
    .grid { display: grid; grid-template-columns: 1fr 1.4fr; gap: 16px; align-items: start; }
    .ok { color: var(--lf-success); font-weight: 600; }
    .down { color: var(--lf-danger); font-weight: 600; }
    .checks { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; }
    .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--lf-danger); margin-right: 8px; }
    .dot.up { background: var(--lf-success); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 8px 16px; margin: 0; }
    dt { color: var(--lf-muted); }
    dd { margin: 0; }
  `,
})
export class SystemHealth implements OnInit {
  protected readonly readiness = signal<Readiness | null>(null);
  protected readonly database = signal<DatabaseHealthResponse | null>(null);
  protected readonly dbError = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly checkedAt = signal<string | null>(null);
  protected readonly formatBytes = formatBytes;
  protected readonly formatCount = formatCount;
  protected readonly formatDateTime = formatDateTime;
  protected readonly entries = (checks: Record<string, string>) => Object.entries(checks);

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.dbError.set(null);
    await Promise.all([this.loadReadiness(), this.loadDatabase()]);
    this.checkedAt.set(new Date().toISOString());
    this.loading.set(false);
  }

  private async loadReadiness(): Promise<void> {
    try {
      const { data } = await healthReady({ throwOnError: true });
      this.readiness.set({ ready: true, checks: data.checks });
    } catch (error) {
      // 503 not_ready carries which checks are down.
      const checks = isProblem(error) && typeof error['checks'] === 'object' && error['checks'] ? (error['checks'] as Record<string, string>) : {};
      this.readiness.set({ ready: false, checks, message: describeError(error) });
    }
  }

  private async loadDatabase(): Promise<void> {
    try {
      const { data } = await databaseHealthDatabase({ throwOnError: true });
      this.database.set(data);
    } catch (error) {
      this.dbError.set(describeError(error));
    }
  }
}
