import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every way a session ends (logout, logout-all, password change, refresh reuse, suspension, account
 * deletion) and every API key revocation notifies `leadforge_credentials_ended` on commit, so each
 * API node closes the Socket.IO connections opened with it at once instead of at token expiry.
 */
export class CredentialEndNotifications1796256000000 implements MigrationInterface {
  name = 'CredentialEndNotifications1796256000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION credential_ended_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('leadforge_credentials_ended', json_build_object('kind', TG_ARGV[0], 'id', OLD.id)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER auth_session_revoked AFTER UPDATE OF revoked_at ON auth_session FOR EACH ROW
        WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION credential_ended_notify('session')`);
    await queryRunner.query(`
      CREATE TRIGGER auth_session_deleted AFTER DELETE ON auth_session FOR EACH ROW
        WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION credential_ended_notify('session')`);
    await queryRunner.query(`CREATE TRIGGER api_key_deleted AFTER DELETE ON api_key FOR EACH ROW EXECUTE FUNCTION credential_ended_notify('apiKey')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_key_deleted ON api_key`);
    await queryRunner.query(`DROP TRIGGER auth_session_deleted ON auth_session`);
    await queryRunner.query(`DROP TRIGGER auth_session_revoked ON auth_session`);
    await queryRunner.query(`DROP FUNCTION credential_ended_notify()`);
  }
}
