import { Injectable, computed, signal } from '@angular/core';
import { authLogin, authLogout, authMe, authRefresh, type MeResponse } from '@leadforge/sdk';
import { client } from '@leadforge/sdk/client.gen';
import { CSRF_COOKIE, createAuthFetch, readDocumentCookie, type AccessTokens } from './auth-fetch';

/**
 * The signed-in user and the access token, kept in memory only (never in storage). The refresh
 * cookie is httpOnly; one refresh runs at a time, across tabs too (Web Locks), because the server
 * treats two uses of one refresh token as theft.
 */
@Injectable({ providedIn: 'root' })
export class SessionService implements AccessTokens {
  private readonly token = signal<string | null>(null);
  private readonly user = signal<MeResponse | null>(null);
  private refreshing: Promise<string | null> | null = null;
  private readonly tokenListeners = new Set<(token: string | null) => void>();

  readonly me = this.user.asReadonly();
  readonly signedIn = computed(() => this.user() !== null);
  readonly accessToken = this.token.asReadonly();

  constructor() {
    client.setConfig({
      baseUrl: '',
      fetch: createAuthFetch({ fetch: (request) => fetch(request), tokens: this, readCookie: readDocumentCookie }) as typeof fetch,
    });
  }

  current(): string | null {
    return this.token();
  }

  onTokenChange(listener: (token: string | null) => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  refresh(): Promise<string | null> {
    this.refreshing ??= this.runExclusive(() => this.doRefresh()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** On start-up: resume the session of the refresh cookie, if there is one. */
  async restore(): Promise<boolean> {
    if (this.user()) return true;
    if (!readDocumentCookie(CSRF_COOKIE)) return false;
    const token = await this.refresh();
    if (!token) return false;
    return this.loadMe();
  }

  async login(email: string, password: string): Promise<MeResponse> {
    const { data } = await authLogin({ body: { email, password }, throwOnError: true });
    this.setToken(data.accessToken);
    this.user.set(data.user);
    return data.user;
  }

  async loadMe(): Promise<boolean> {
    try {
      const { data } = await authMe({ throwOnError: true });
      this.user.set(data);
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  setMe(me: MeResponse): void {
    this.user.set(me);
  }

  async logout(): Promise<void> {
    try {
      const csrf = readDocumentCookie(CSRF_COOKIE);
      if (csrf) await authLogout({ headers: { 'X-CSRF-Token': csrf }, throwOnError: true });
    } finally {
      this.clear();
    }
  }

  /** Forgets the session locally (after logout, account deletion or a failed refresh). */
  clear(): void {
    this.setToken(null);
    this.user.set(null);
  }

  private async doRefresh(): Promise<string | null> {
    const csrf = readDocumentCookie(CSRF_COOKIE);
    if (!csrf) {
      this.clear();
      return null;
    }
    const result = await authRefresh({ headers: { 'X-CSRF-Token': csrf } });
    if (!result.data) {
      this.clear();
      return null;
    }
    this.setToken(result.data.accessToken);
    if (result.data.user) this.user.set(result.data.user);
    return result.data.accessToken;
  }

  private setToken(token: string | null): void {
    this.token.set(token);
    for (const listener of this.tokenListeners) listener(token);
  }

  private runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request('leadforge-refresh', work) : work();
  }
}
