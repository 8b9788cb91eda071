import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { PageHeader } from '../../shared/components/page-header';

@Component({
  selector: 'lf-admin',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule, PageHeader],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Platform admin" subtitle="Every organization and user of this installation, and the health of the system." />
    <nav mat-tab-nav-bar [tabPanel]="panel" mat-stretch-tabs="false" aria-label="Admin sections">
      @for (link of links; track link.path) {
        <a mat-tab-link [routerLink]="link.path" routerLinkActive #active="routerLinkActive" [routerLinkActiveOptions]="{ exact: !!link.exact }" [active]="active.isActive">{{ link.label }}</a>
      }
    </nav>
    <mat-tab-nav-panel #panel><div class="panel"><router-outlet /></div></mat-tab-nav-panel>
  `,
  styles: `.panel { padding-top: 20px; }`,
})
export class Admin {
  protected readonly links: Array<{ path: string; label: string; exact?: boolean }> = [
    { path: '.', label: 'Overview', exact: true },
    { path: 'orgs', label: 'Organizations' },
    { path: 'users', label: 'Users' },
    { path: 'health', label: 'System health' },
  ];
}
