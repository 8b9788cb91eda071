import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform administrators can suspend an account (PATCH admin/users/:id). A suspended user cannot
 * sign in, and their access tokens stop working at once (the guard reads this column with the
 * session on every request). Reactivation clears it.
 */
export class UserSuspension1796169600000 implements MigrationInterface {
  name = 'UserSuspension1796169600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE user_account ADD COLUMN suspended_at timestamptz NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE user_account DROP COLUMN suspended_at`);
  }
}
