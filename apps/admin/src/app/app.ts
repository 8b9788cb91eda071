import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { NetworkStatusService } from './core/network-status.service';
import { Icon } from './shared/components/icon';

@Component({
  selector: 'lf-root',
  imports: [RouterOutlet, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (!network.online()) {
      <div class="offline" role="alert"><lf-icon name="wifiOff" [size]="18" /> You are offline. Changes will not be saved until the connection is back.</div>
    }
    <router-outlet />
  `,
  styles: `
    .offline { position: sticky; top: 0; z-index: 1000; display: flex; gap: 8px; align-items: center; justify-content: center; padding: 8px 16px; background: #7f1d1d; color: #fff; font-weight: 500; }
  `,
})
export class App {
  protected readonly network = inject(NetworkStatusService);
}
