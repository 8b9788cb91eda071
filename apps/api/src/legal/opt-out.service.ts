import { HttpStatus, Injectable } from '@nestjs/common';
import { isFreeMail } from '@leadforge/extract/values';
import { getDomain } from 'tldts';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, ClientInfo } from '../common/auth/auth-context';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { randomToken, sha256 } from '../common/crypto/tokens';
import { AppError, NotFoundError } from '../common/errors/app-error';
import { DEFAULT_PAGE_SIZE, toPage } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { MailService } from '../mail/mail.service';
import type { OptOutRequestBody, OptOutResponse, SuppressionListQuery, SuppressionListResponse } from './dto/opt-out.dto';
import { LegalRepository } from './legal.repository';
import { SuppressionPurgeService } from './suppression-purge.service';
import { normalizeSuppressedDomain, SuppressionHasher, type SuppressionKind } from './suppression-hash';

export const OPT_OUT_TOKEN_TTL_HOURS = 24;
/** One confirmation email per address in this window, however often it is asked for. */
const RESEND_WINDOW_MS = 10 * 60_000;

const CONFIRMATION_SENT =
  'If the address can receive email, a confirmation link is on its way. The opt-out takes effect when it is followed (within 24 hours).';

const invalidField = (field: string, message: string): AppError =>
  new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'The request is invalid; see errors for each field.', { errors: [{ field, message }] });

/**
 * The public opt-out (DESIGN.md §8, docs/legal.md). Values are normalized and hashed with the
 * suppression key at once; no plaintext is stored, logged or queued outside the sealed email job.
 */
@Injectable()
export class OptOutService {
  private readonly hasher: SuppressionHasher;

  constructor(
    private readonly tenant: TenantDatabase,
    private readonly repository: LegalRepository,
    private readonly purge: SuppressionPurgeService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    @InjectConfig() config: Pick<AppConfig, 'suppressionHashKey'>,
  ) {
    this.hasher = new SuppressionHasher(config.suppressionHashKey);
  }

  async request(body: OptOutRequestBody): Promise<OptOutResponse> {
    const given = (['email', 'profileUrl', 'domain'] as const).filter((field) => body[field] !== undefined);
    if (given.length !== 1) {
      throw new AppError('validation_failed', HttpStatus.BAD_REQUEST, 'Send exactly one of email, profileUrl or domain.', {
        errors: (given.length === 0 ? (['email', 'profileUrl', 'domain'] as const) : given).map((field) => ({ field, message: 'send exactly one of email, profileUrl or domain' })),
      });
    }
    if (body.email !== undefined) return this.requestEmail(body.email);
    if (body.profileUrl !== undefined) return this.suppressNow('profile_url', this.hashOf('profile_url', body.profileUrl, 'profileUrl'));
    return this.suppressNow('domain', this.domainHash(body.domain!));
  }

  /**
   * The email itself is never stored: the pending row holds its keyed hash and the token's
   * SHA-256; the address travels only inside the sealed email job. The answer is the same whatever
   * the address (in leads or not, already opted out or not, asked for a minute ago or not).
   */
  private async requestEmail(email: string): Promise<OptOutResponse> {
    const valueHash = this.hashOf('email', email, 'email');
    const token = randomToken();
    const send = await this.tenant.asSystem(async (db) => {
      if (await this.repository.recentOptOutRequest(db, valueHash, new Date(Date.now() - RESEND_WINDOW_MS))) return false;
      await this.repository.addOptOutRequest(db, valueHash, sha256(token), new Date(Date.now() + OPT_OUT_TOKEN_TTL_HOURS * 3_600_000));
      return true;
    });
    if (send) await this.mail.send('opt-out-confirm', email, { link: this.mail.link('opt-out/confirm', { token }), expiresInHours: OPT_OUT_TOKEN_TTL_HOURS });
    return { status: 'confirmation_sent', kind: 'email', message: CONFIRMATION_SENT };
  }

  async confirm(token: string): Promise<OptOutResponse> {
    await this.tenant.asSystem(async (db) => {
      const valueHash = await this.repository.consumeOptOutRequest(db, sha256(token));
      if (!valueHash) {
        throw new AppError('invalid_or_expired_token', HttpStatus.BAD_REQUEST, 'The link is invalid, expired or already used; ask for a new one.', {
          errors: [{ field: 'token', message: 'token is invalid, expired or already used' }],
        });
      }
      await this.record(db, 'email', valueHash);
    });
    return { status: 'suppressed', kind: 'email', message: 'The address is opted out: records holding it are being deleted and it will not be collected again.' };
  }

  private async suppressNow(kind: SuppressionKind, hash: Buffer): Promise<OptOutResponse> {
    await this.tenant.asSystem((db) => this.record(db, kind, hash));
    return {
      status: 'suppressed',
      kind,
      message: `The ${kind === 'domain' ? 'domain' : 'profile'} is opted out: records matching it are being deleted and it will not be collected again.`,
    };
  }

  /** Stores the hash, queues the purge of stored leads (same transaction) and logs the fact (no value). */
  private async record(db: EntityManager, kind: SuppressionKind, hash: Buffer): Promise<void> {
    const { id, created } = await this.repository.addSuppression(db, kind, hash);
    // Even for an existing entry: leads stored by hand or before a withdrawal are cleared again.
    await this.purge.schedule(db, { suppressionId: id, kind, hash: hash.toString('hex') });
    if (created) await this.audit.record(db, { action: 'legal.opt_out.recorded', orgId: null, target: { type: 'suppression', id }, metadata: { kind } });
  }

  /** Withdraws a profile-URL opt-out (an org admin, e.g. after a mistaken request); audited in the org. */
  async withdrawProfileUrl(auth: AuthContext, profileUrl: string, client: ClientInfo): Promise<void> {
    const hash = this.hashOf('profile_url', profileUrl, 'profileUrl');
    await this.tenant.inOrg(auth.orgId, async (db) => {
      const id = await this.repository.removeSuppression(db, 'profile_url', hash);
      if (!id) throw new NotFoundError('Opt-out');
      await this.audit.record(db, {
        action: 'legal.opt_out.withdrawn',
        orgId: auth.orgId,
        actorUserId: auth.userId,
        actorApiKeyId: auth.apiKeyId,
        target: { type: 'suppression', id },
        client,
        metadata: { kind: 'profile_url' },
      });
    });
  }

  /** Counts for org admins; platform administrators also see the entries (hash, kind, date). */
  async list(auth: AuthContext, query: SuppressionListQuery): Promise<SuppressionListResponse> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return this.tenant.inOrg(auth.orgId, async (db) => {
      const counts = await this.repository.countSuppressions(db);
      const summary = { email: counts.email, profileUrl: counts.profile_url, domain: counts.domain, total: counts.email + counts.profile_url + counts.domain };
      if (!auth.isPlatformAdmin) return { counts: summary, items: [], nextCursor: null };
      const rows = await this.repository.listSuppressions(db, { kind: query.kind, cursor: query.cursor, limit });
      const page = toPage(
        rows,
        limit,
        (row) => row.id,
        (row) => ({ id: row.id, kind: row.kind, hash: row.value_hash.toString('hex'), createdAt: new Date(row.created_at).toISOString() }),
      );
      return { counts: summary, ...page };
    });
  }

  private hashOf(kind: SuppressionKind, value: string, field: string): Buffer {
    const hash = this.hasher.hash(kind, value);
    if (!hash) throw invalidField(field, kind === 'profile_url' ? 'profileUrl must be an http(s) URL' : `${field} is not a valid ${field}`);
    return hash;
  }

  /**
   * A domain opt-out removes everyone at that domain from every org, so it must name an
   * organization's own domain: public suffixes, IP addresses and shared mail providers are refused.
   */
  private domainHash(value: string): Buffer {
    const domain = normalizeSuppressedDomain(value);
    if (!domain || !getDomain(domain)) throw invalidField('domain', 'domain must be a registered domain name such as example.com');
    if (isFreeMail(`x@${domain}`)) {
      throw new AppError('opt_out_domain_not_allowed', HttpStatus.UNPROCESSABLE_ENTITY, 'This domain is a shared mail provider: opt out your email address instead.', {
        errors: [{ field: 'domain', message: 'shared mail provider domains cannot be opted out as a whole' }],
      });
    }
    return this.hashOf('domain', domain, 'domain');
  }
}
