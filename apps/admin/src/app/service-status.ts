import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';

export type ServiceState = 'checking' | 'ready' | 'unavailable';

/** Whether the API behind the console is ready (GET /api/v1/health/ready). */
@Injectable({ providedIn: 'root' })
export class ServiceStatus {
  private readonly http = inject(HttpClient);
  readonly state = signal<ServiceState>('checking');

  refresh(): void {
    this.state.set('checking');
    this.http.get<{ status: string }>('/api/v1/health/ready').subscribe({
      next: (body) => this.state.set(body.status === 'ok' ? 'ready' : 'unavailable'),
      error: () => this.state.set('unavailable'),
    });
  }
}
