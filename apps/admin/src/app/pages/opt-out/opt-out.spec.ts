import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OptOut } from './opt-out';
import { settle } from '../../testing/page-testing';

describe('Opt-out page', () => {
  const realFetch = globalThis.fetch;
  let bodies: unknown[];
  let answer: () => Response;

  beforeEach(() => {
    bodies = [];
    answer = () => new Response(JSON.stringify({ status: 'suppressed', kind: 'domain', message: 'Done: example.com is opted out.' }), { status: 202, headers: { 'Content-Type': 'application/json' } });
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL) => {
      bodies.push(await (input as Request).json());
      return answer();
    }) as typeof fetch;
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
  });


  function type(page: HTMLElement, value: string): void {
    const input = page.querySelector<HTMLInputElement>('[data-testid="opt-out-value"]')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('explains an invalid value for the chosen kind and sends nothing', async () => {
    const fixture = TestBed.createComponent(OptOut);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    expect(page.textContent).toContain('A domain you control');
    type(page, 'https://example.com/about');
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle(fixture);
    expect(bodies).toEqual([]);
    expect(page.querySelector('[data-testid="opt-out-invalid"]')?.textContent).toContain('Enter a domain such as example.com');
  });

  it('sends exactly one field and shows the answer', async () => {
    const fixture = TestBed.createComponent(OptOut);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    type(page, '  example.com ');
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle(fixture);
    expect(bodies).toEqual([{ domain: 'example.com' }]);
    expect(page.querySelector('[data-testid="opt-out-done"]')?.textContent).toContain('Done: example.com is opted out.');
  });

  it('shows a refusal as a readable message with the request id', async () => {
    answer = () => new Response(JSON.stringify({ type: 'x', title: 'Unprocessable', status: 422, code: 'opt_out_domain_not_allowed', detail: 'gmail.com is a shared mail provider.', requestId: 'req-42' }), { status: 422, headers: { 'Content-Type': 'application/problem+json' } });
    const fixture = TestBed.createComponent(OptOut);
    await settle(fixture);
    const page = fixture.nativeElement as HTMLElement;
    type(page, 'gmail.com');
    page.querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle(fixture);
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('gmail.com is a shared mail provider. — request req-42');
  });
});
