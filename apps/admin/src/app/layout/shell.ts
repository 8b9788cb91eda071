import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { paymentsCredits } from '@leadforge/sdk';
import { EventsSocketService } from '../core/events-socket.service';
import { NotifyService } from '../core/notify.service';
import { SessionService } from '../core/session.service';
import { Icon } from '../shared/components/icon';
import { formatCount } from '../shared/format';

interface NavItem {
  path: string;
  label: string;
  icon: string;
  exact?: boolean;
}

@Component({
  selector: 'lf-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatButtonModule, MatMenuModule, MatTooltipModule, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip" href="#main">Skip to content</a>
    <aside class="nav">
      <a class="brand" routerLink="/"><span class="logo" aria-hidden="true">L</span> Leadforge</a>
      <nav aria-label="Main">
        @for (item of nav(); track item.path) {
          <a [routerLink]="item.path" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: item.exact ?? false }">
            <lf-icon [name]="item.icon" /> {{ item.label }}
          </a>
        }
      </nav>
      <div class="credits" matTooltip="1 credit = 1 page fetched">
        <span class="lf-muted">Credits</span>
        <strong data-testid="credit-balance">{{ balanceText() }}</strong>
        <a routerLink="/billing">Buy more</a>
      </div>
    </aside>
    <div class="main">
      <header class="top">
        <span class="org">{{ session.me()?.organization?.name }}</span>
        <span class="lf-spacer"></span>
        <a mat-flat-button routerLink="/scrape"><lf-icon name="add" [size]="18" /> New scrape</a>
        <button mat-button [matMenuTriggerFor]="userMenu" class="user" aria-label="Account menu">
          <span class="avatar" aria-hidden="true">{{ initials() }}</span> {{ session.me()?.name }}
        </button>
        <mat-menu #userMenu="matMenu" xPosition="before">
          <div class="menu-head"><strong>{{ session.me()?.name }}</strong><br /><span class="lf-muted">{{ session.me()?.email }}</span></div>
          <a mat-menu-item routerLink="/settings"><lf-icon name="settings" [size]="18" /> Settings</a>
          <button mat-menu-item (click)="logout()" data-testid="logout"><lf-icon name="logout" [size]="18" /> Log out</button>
        </mat-menu>
      </header>
      <main id="main" tabindex="-1"><router-outlet /></main>
    </div>
  `,
  styles: `
    :host { display: flex; min-height: 100vh; background: linear-gradient(to right, #0f172a 232px, transparent 232px); }
    .skip { position: absolute; left: -999px; top: 8px; z-index: 10; background: #fff; padding: 8px 12px; }
    .skip:focus { left: 8px; }
    .nav { width: 232px; flex: 0 0 232px; background: #0f172a; color: #cbd5e1; display: flex; flex-direction: column; padding: 20px 12px; position: sticky; top: 0; height: 100vh; box-sizing: border-box; }
    .brand { display: flex; align-items: center; gap: 10px; color: #fff; font-weight: 700; font-size: 18px; text-decoration: none; padding: 0 8px 24px; }
    .logo { width: 30px; height: 30px; border-radius: 8px; background: linear-gradient(135deg, #3b82f6, #8b5cf6); display: grid; place-items: center; font-size: 16px; }
    nav { display: flex; flex-direction: column; gap: 2px; }
    nav a { display: flex; align-items: center; gap: 12px; padding: 9px 12px; border-radius: 8px; color: #cbd5e1; text-decoration: none; font-weight: 500; }
    nav a:hover { background: rgb(255 255 255 / 6%); color: #fff; }
    nav a.active { background: rgb(59 130 246 / 18%); color: #fff; }
    .credits { margin-top: auto; padding: 14px; border-radius: 10px; background: rgb(255 255 255 / 5%); display: flex; flex-direction: column; gap: 2px; }
    .credits .lf-muted { color: #94a3b8; font-size: 12px; }
    .credits strong { color: #fff; font-size: 20px; }
    .credits a { color: #93c5fd; font-size: 12px; }
    .main { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; }
    .top { height: 60px; display: flex; align-items: center; gap: 12px; padding: 0 28px; background: var(--lf-surface); border-bottom: 1px solid var(--lf-border); position: sticky; top: 0; z-index: 5; }
    .org { font-weight: 600; }
    .avatar { width: 28px; height: 28px; border-radius: 50%; background: #e0e7ff; color: #3730a3; display: inline-grid; place-items: center; font-size: 12px; font-weight: 700; margin-right: 6px; }
    .menu-head { padding: 8px 16px 12px; border-bottom: 1px solid var(--lf-border); margin-bottom: 4px; }
    main { padding: 28px; max-width: 1400px; width: 100%; box-sizing: border-box; outline: none; }
    a[mat-flat-button] lf-icon { margin-right: 4px; }
  `,
})
export class Shell implements OnInit {
  protected readonly session = inject(SessionService);
  private readonly socket = inject(EventsSocketService);
  private readonly router = inject(Router);
  private readonly notify = inject(NotifyService);
  private readonly balance = signal<number | null>(null);
  protected readonly balanceText = computed(() => formatCount(this.balance()));
  protected readonly initials = computed(() =>
    (this.session.me()?.name ?? '?')
      .split(/\s+/)
      .slice(0, 2)
      .map((part) => part.charAt(0).toUpperCase())
      .join(''),
  );
  protected readonly nav = computed<NavItem[]>(() => {
    const me = this.session.me();
    const manages = me?.organization.role === 'owner' || me?.organization.role === 'admin';
    return [
      { path: '/', label: 'Dashboard', icon: 'dashboard', exact: true },
      { path: '/scrape', label: 'New scrape', icon: 'add' },
      { path: '/tasks', label: 'Tasks', icon: 'tasks' },
      { path: '/leads', label: 'Leads', icon: 'leads' },
      { path: '/billing', label: 'Billing', icon: 'billing' },
      ...(manages ? [{ path: '/legal', label: 'Legal', icon: 'shield' }] : []),
      { path: '/settings', label: 'Settings', icon: 'settings' },
      ...(me?.isPlatformAdmin ? [{ path: '/admin', label: 'Admin', icon: 'bolt' }] : []),
    ];
  });

  constructor() {
    const stop = this.socket.onCredits((event) => this.balance.set(event.balance));
    inject(DestroyRef).onDestroy(stop);
  }

  ngOnInit(): void {
    paymentsCredits({ query: { limit: 1 } }).then((result) => {
      if (result.data) this.balance.set(result.data.balance);
    });
  }

  async logout(): Promise<void> {
    try {
      await this.session.logout();
    } catch (error) {
      this.notify.error(error);
    }
    await this.router.navigateByUrl('/login');
  }
}
