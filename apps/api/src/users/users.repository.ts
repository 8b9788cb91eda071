import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { User } from './user.entity';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Accounts are not tenant rows (a user may belong to several orgs): no RLS, no org filter. */
@Injectable()
export class UsersRepository {
  findById(db: EntityManager, id: string): Promise<User | null> {
    return db.findOneBy(User, { id });
  }

  findByEmail(db: EntityManager, email: string): Promise<User | null> {
    return db.findOneBy(User, { email: normalizeEmail(email) });
  }

  async insert(db: EntityManager, user: Pick<User, 'id' | 'email' | 'name' | 'passwordHash' | 'currentOrgId'> & Partial<User>): Promise<void> {
    await db.insert(User, { ...user, email: normalizeEmail(user.email) });
  }

  async update(db: EntityManager, id: string, changes: Partial<Pick<User, 'name' | 'currentOrgId' | 'isPlatformAdmin'>>): Promise<void> {
    await db.update(User, { id }, changes);
  }

  async setPassword(db: EntityManager, id: string, passwordHash: string): Promise<void> {
    await db.update(User, { id }, { passwordHash, passwordChangedAt: () => 'now()' });
  }

  /** Returns whether the address was unverified until now. */
  async markEmailVerified(db: EntityManager, id: string): Promise<boolean> {
    const result = await db.update(User, { id, emailVerifiedAt: IsNull() }, { emailVerifiedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  async delete(db: EntityManager, id: string): Promise<void> {
    await db.delete(User, { id });
  }
}
