import { ChangeDetectionStrategy, Component, computed, inject, type OnInit } from '@angular/core';
import { ServiceStatus } from './service-status';

@Component({
  selector: 'lf-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="shell">
      <h1>Leadforge</h1>
      <p class="lead">Lead intelligence: crawl politely, extract and score contacts, export with confidence.</p>
      <p class="status" [attr.data-state]="status.state()" role="status">{{ statusText() }}</p>
      <nav>
        <a href="/api/docs">API reference (Swagger UI)</a>
        <button type="button" (click)="status.refresh()">Check again</button>
      </nav>
    </main>
  `,
  styles: `
    .shell { max-width: 40rem; margin: 10vh auto; padding: 0 1.5rem; font-family: system-ui, sans-serif; }
    h1 { font-size: 2.25rem; margin: 0 0 .5rem; }
    .lead { color: #555; }
    .status { padding: .5rem .75rem; border-radius: .375rem; background: #eef2ff; }
    .status[data-state='ready'] { background: #e7f8ee; color: #14532d; }
    .status[data-state='unavailable'] { background: #fdecec; color: #7f1d1d; }
    nav { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
  `,
})
export class App implements OnInit {
  protected readonly status = inject(ServiceStatus);
  protected readonly statusText = computed(() => {
    switch (this.status.state()) {
      case 'ready':
        return 'The API is ready.';
      case 'unavailable':
        return 'The API is not reachable or not ready.';
      default:
        return 'Checking the API…';
    }
  });

  ngOnInit(): void {
    this.status.refresh();
  }
}
