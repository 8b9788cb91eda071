import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTabsModule } from '@angular/material/tabs';
import { Router, RouterLink } from '@angular/router';
import {
  apiKeysCreate, apiKeysList, apiKeysRevoke, authChangePassword, authDeleteMe, authLogoutAll, authRevokeSession, authSessions, authUpdateMe,
  orgsChangeRole, orgsCurrent, orgsInvitations, orgsInvite, orgsMembers, orgsRemoveMember, orgsRevokeInvitation, orgsUpdate,
  type ApiKeyResponse, type InvitableRole, type InvitationResponse, type MemberResponse, type OrgRole, type SessionResponse,
} from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { SessionService } from '../../core/session.service';
import { PageHeader } from '../../shared/components/page-header';
import { formatDateTime, labelOf } from '../../shared/format';

@Component({
  selector: 'lf-settings',
  imports: [FormsModule, RouterLink, MatTabsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, PageHeader],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.html',
  styleUrl: './settings.scss',
})
export class Settings implements OnInit {
  private readonly notify = inject(NotifyService);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);
  protected readonly name = signal(this.session.me()?.name ?? '');
  protected readonly orgName = signal(this.session.me()?.organization.name ?? '');
  protected readonly currentPassword = signal('');
  protected readonly newPassword = signal('');
  protected readonly sessions = signal<SessionResponse[]>([]);
  protected readonly keys = signal<ApiKeyResponse[]>([]);
  protected readonly newKeyName = signal('');
  protected readonly createdSecret = signal<string | null>(null);
  protected readonly members = signal<MemberResponse[]>([]);
  protected readonly invitations = signal<InvitationResponse[]>([]);
  protected readonly inviteEmail = signal('');
  protected readonly inviteRole = signal<InvitableRole>('member');
  protected readonly deletePassword = signal('');
  protected readonly busy = signal(false);
  protected readonly canManage = computed(() => ['owner', 'admin'].includes(this.session.me()?.organization.role ?? ''));
  protected readonly isOwner = computed(() => this.session.me()?.organization.role === 'owner');
  protected readonly roles: OrgRole[] = ['owner', 'admin', 'member'];
  protected readonly formatDateTime = formatDateTime;
  protected readonly labelOf = labelOf;

  async ngOnInit(): Promise<void> {
    await Promise.all([this.loadSessions(), this.loadMembers(), this.canManage() ? this.loadKeys() : Promise.resolve(), this.canManage() ? this.loadInvitations() : Promise.resolve()]);
    const org = await orgsCurrent();
    if (org.data) this.orgName.set(org.data.name);
  }

  private async run(work: () => Promise<unknown>, success?: string): Promise<boolean> {
    this.busy.set(true);
    try {
      await work();
      if (success) this.notify.success(success);
      return true;
    } catch (error) {
      this.notify.error(error);
      return false;
    } finally {
      this.busy.set(false);
    }
  }

  saveProfile(): Promise<boolean> {
    return this.run(async () => {
      const { data } = await authUpdateMe({ body: { name: this.name().trim() }, throwOnError: true });
      this.session.setMe(data);
    }, 'Profile saved');
  }

  saveOrg(): Promise<boolean> {
    return this.run(async () => {
      await orgsUpdate({ body: { name: this.orgName().trim() }, throwOnError: true });
      await this.session.loadMe();
    }, 'Organization renamed');
  }

  async changePassword(): Promise<void> {
    const ok = await this.run(() => authChangePassword({ body: { currentPassword: this.currentPassword(), newPassword: this.newPassword() }, throwOnError: true }), 'Password changed; other devices were signed out');
    if (ok) {
      this.currentPassword.set('');
      this.newPassword.set('');
      await this.loadSessions();
    }
  }

  async loadSessions(): Promise<void> {
    const { data } = await authSessions();
    this.sessions.set(data?.items ?? []);
  }

  async revokeSession(item: SessionResponse): Promise<void> {
    if (await this.run(() => authRevokeSession({ path: { id: item.id }, throwOnError: true }), 'Session ended')) await this.loadSessions();
  }

  async logoutEverywhere(): Promise<void> {
    if (await this.run(() => authLogoutAll({ throwOnError: true }), 'Signed out everywhere')) {
      this.session.clear();
      await this.router.navigateByUrl('/login');
    }
  }

  async loadKeys(): Promise<void> {
    const { data } = await apiKeysList();
    this.keys.set(data?.items ?? []);
  }

  async createKey(): Promise<void> {
    await this.run(async () => {
      const { data } = await apiKeysCreate({ body: { name: this.newKeyName().trim() }, throwOnError: true });
      this.createdSecret.set(data.secret);
      this.newKeyName.set('');
      await this.loadKeys();
    });
  }

  async revokeKey(key: ApiKeyResponse): Promise<void> {
    if (await this.run(() => apiKeysRevoke({ path: { id: key.id }, throwOnError: true }), 'API key revoked')) await this.loadKeys();
  }

  async copySecret(): Promise<void> {
    const secret = this.createdSecret();
    if (secret) await navigator.clipboard.writeText(secret).then(() => this.notify.success('Copied'), (error: unknown) => this.notify.error(error));
  }

  async loadMembers(): Promise<void> {
    const { data } = await orgsMembers();
    this.members.set(data?.items ?? []);
  }

  async loadInvitations(): Promise<void> {
    const { data } = await orgsInvitations();
    this.invitations.set(data?.items ?? []);
  }

  async invite(): Promise<void> {
    const ok = await this.run(() => orgsInvite({ body: { email: this.inviteEmail().trim(), role: this.inviteRole() }, throwOnError: true }), 'Invitation sent');
    if (ok) {
      this.inviteEmail.set('');
      await this.loadInvitations();
    }
  }

  async withdraw(invitation: InvitationResponse): Promise<void> {
    if (await this.run(() => orgsRevokeInvitation({ path: { id: invitation.id }, throwOnError: true }), 'Invitation withdrawn')) await this.loadInvitations();
  }

  async changeRole(member: MemberResponse, role: OrgRole): Promise<void> {
    if (await this.run(() => orgsChangeRole({ path: { userId: member.userId }, body: { role }, throwOnError: true }), 'Role changed')) await this.loadMembers();
  }

  async removeMember(member: MemberResponse): Promise<void> {
    if (await this.run(() => orgsRemoveMember({ path: { userId: member.userId }, throwOnError: true }), 'Member removed')) await this.loadMembers();
  }

  async deleteAccount(): Promise<void> {
    if (await this.run(() => authDeleteMe({ body: { password: this.deletePassword() }, throwOnError: true }), 'Your account was deleted')) {
      this.session.clear();
      await this.router.navigateByUrl('/login');
    }
  }
}
