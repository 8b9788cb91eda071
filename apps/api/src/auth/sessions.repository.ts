import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClientInfo } from '../common/auth/auth-context';
import { sha256 } from '../common/crypto/tokens';
import { newId } from '../common/ids';
import { AuthToken, type AuthTokenPurpose } from './auth-token.entity';
import { RefreshToken } from './refresh-token.entity';
import { AuthSession } from './session.entity';

export interface RefreshTokenRow {
  tokenId: string;
  rotatedAt: Date | null;
  sessionId: string;
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
}

/** Sessions, their refresh-token families, and single-use emailed tokens. All keyed by user. */
@Injectable()
export class SessionsRepository {
  async createSession(db: EntityManager, userId: string, client: ClientInfo, expiresAt: Date): Promise<AuthSession> {
    const session = db.create(AuthSession, { id: newId(), userId, ip: client.ip, userAgent: client.userAgent, expiresAt });
    await db.insert(AuthSession, session);
    return session;
  }

  async addRefreshToken(db: EntityManager, sessionId: string, token: string): Promise<void> {
    await db.insert(RefreshToken, { id: newId(), sessionId, tokenHash: sha256(token) });
  }

  /** Locks the token and its session, so two concurrent uses of one token cannot both rotate it. */
  async lockRefreshToken(db: EntityManager, token: string): Promise<RefreshTokenRow | undefined> {
    const rows = (await db.query(
      `SELECT t.id AS token_id, t.rotated_at, s.id AS session_id, s.user_id, s.revoked_at, s.expires_at
         FROM refresh_token t JOIN auth_session s ON s.id = t.session_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [sha256(token)],
    )) as Array<{ token_id: string; rotated_at: Date | null; session_id: string; user_id: string; revoked_at: Date | null; expires_at: Date }>;
    const row = rows[0];
    return row && { tokenId: row.token_id, rotatedAt: row.rotated_at, sessionId: row.session_id, userId: row.user_id, revokedAt: row.revoked_at, expiresAt: row.expires_at };
  }

  async markRotated(db: EntityManager, tokenId: string): Promise<void> {
    await db.update(RefreshToken, { id: tokenId }, { rotatedAt: () => 'now()' });
  }

  async touchSession(db: EntityManager, sessionId: string, client: ClientInfo, expiresAt: Date): Promise<void> {
    await db.update(AuthSession, { id: sessionId }, { lastUsedAt: () => 'now()', expiresAt, ip: client.ip, userAgent: client.userAgent });
  }

  async revokeSession(db: EntityManager, userId: string, sessionId: string, reason: string): Promise<boolean> {
    const result = (await db.query(
      `UPDATE auth_session SET revoked_at = now(), revoked_reason = $3
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [sessionId, userId, reason],
    )) as [unknown[], number];
    return result[1] > 0;
  }

  /** Revokes every live session of the user except `keep`; returns how many. */
  async revokeAllSessions(db: EntityManager, userId: string, reason: string, keep?: string): Promise<number> {
    const result = (await db.query(
      `UPDATE auth_session SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid) RETURNING id`,
      [userId, reason, keep ?? null],
    )) as [unknown[], number];
    return result[1];
  }

  async listActiveSessions(db: EntityManager, userId: string, limit: number, cursor?: string): Promise<AuthSession[]> {
    const query = db
      .createQueryBuilder(AuthSession, 'session')
      .where('session.userId = :userId', { userId })
      .andWhere('session.revokedAt IS NULL')
      .andWhere('session.expiresAt > now()')
      .orderBy('session.id', 'DESC')
      .take(limit + 1);
    if (cursor) query.andWhere('session.id < :cursor', { cursor });
    return query.getMany();
  }

  /** Issues a single-use token; earlier unused tokens of the same purpose stop working. */
  async issueUserToken(db: EntityManager, userId: string, purpose: AuthTokenPurpose, token: string, ttlMs: number): Promise<void> {
    await db.query(`DELETE FROM auth_token WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, purpose]);
    await db.insert(AuthToken, { id: newId(), userId, purpose, tokenHash: sha256(token), expiresAt: new Date(Date.now() + ttlMs) });
  }

  /** The user a valid, unused token belongs to (row locked), without consuming it. */
  async findUsableUserToken(db: EntityManager, purpose: AuthTokenPurpose, token: string): Promise<{ id: string; userId: string } | undefined> {
    const rows = (await db.query(
      `SELECT id, user_id FROM auth_token
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        FOR UPDATE`,
      [sha256(token), purpose],
    )) as Array<{ id: string; user_id: string }>;
    return rows[0] && { id: rows[0].id, userId: rows[0].user_id };
  }

  async consumeUserToken(db: EntityManager, id: string): Promise<void> {
    await db.update(AuthToken, { id }, { usedAt: () => 'now()' });
  }

  /** Housekeeping: sessions past their expiry (and their refresh tokens, by cascade) and old tokens. */
  async purgeExpired(db: EntityManager): Promise<void> {
    await db.query(`DELETE FROM auth_session WHERE expires_at < now() - interval '7 days' OR revoked_at < now() - interval '7 days'`);
    await db.query(`DELETE FROM auth_token WHERE expires_at < now() - interval '7 days'`);
  }
}
