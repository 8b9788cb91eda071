import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** The frame of the public pages: brand, a card with a title, and a footer slot. */
@Component({
  selector: 'lf-auth-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="brand"><span class="logo" aria-hidden="true">L</span> Leadforge</div>
    <main class="card">
      <h1>{{ title() }}</h1>
      @if (subtitle()) { <p class="sub">{{ subtitle() }}</p> }
      <ng-content />
    </main>
    <div class="foot"><ng-content select="[footer]" /></div>
  `,
  styles: `
    :host { min-height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 32px 16px; box-sizing: border-box;
      background: radial-gradient(1200px 600px at 10% -10%, #dbeafe 0, transparent 60%), radial-gradient(900px 500px at 110% 110%, #ede9fe 0, transparent 60%), var(--lf-bg); }
    .brand { display: flex; align-items: center; gap: 10px; font-size: 20px; font-weight: 700; margin-bottom: 24px; }
    .logo { width: 34px; height: 34px; border-radius: 9px; background: linear-gradient(135deg, #3b82f6, #8b5cf6); color: #fff; display: grid; place-items: center; }
    .card { width: 100%; max-width: 420px; background: #fff; border: 1px solid var(--lf-border); border-radius: 16px; padding: 32px; box-sizing: border-box; box-shadow: 0 12px 32px rgb(15 23 42 / 8%); }
    h1 { font-size: 22px; margin-bottom: 4px; }
    .sub { color: var(--lf-muted); margin: 0 0 20px; }
    .foot { margin-top: 20px; color: var(--lf-muted); text-align: center; }
  `,
})
export class AuthCard {
  readonly title = input.required<string>();
  readonly subtitle = input<string>();
}
