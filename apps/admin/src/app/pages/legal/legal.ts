import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { PageHeader } from '../../shared/components/page-header';

@Component({
  selector: 'lf-legal',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule, PageHeader],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <lf-page-header title="Legal" subtitle="Opt-outs, retention, data subject requests and the audit log of your organization." />
    <nav mat-tab-nav-bar [tabPanel]="panel" mat-stretch-tabs="false" aria-label="Legal sections">
      @for (link of links; track link.path) {
        <a mat-tab-link [routerLink]="link.path" routerLinkActive #active="routerLinkActive" [active]="active.isActive">{{ link.label }}</a>
      }
    </nav>
    <mat-tab-nav-panel #panel><div class="panel"><router-outlet /></div></mat-tab-nav-panel>
  `,
  styles: `.panel { padding-top: 20px; }`,
})
export class Legal {
  protected readonly links = [
    { path: 'audit-log', label: 'Audit log' },
    { path: 'retention', label: 'Retention' },
    { path: 'dsar', label: 'Data requests' },
    { path: 'suppressions', label: 'Opt-outs' },
  ];
}
