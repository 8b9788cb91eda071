import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795219200000 implements MigrationInterface {
  name = 'Foundation1795219200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE UNLOGGED TABLE rate_limit_counter (
        key text NOT NULL,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz,
        CONSTRAINT rate_limit_counter_pkey PRIMARY KEY (key)
      )`);
    await queryRunner.query(`CREATE INDEX rate_limit_counter_window_ends_at_idx ON rate_limit_counter (window_ends_at)`);
    // One hit in a fixed window; once over the limit the key stays blocked for the block duration.
    await queryRunner.query(`
      CREATE FUNCTION rate_limit_hit(p_key text, p_ttl_ms integer, p_limit integer, p_block_ms integer)
      RETURNS TABLE (total_hits integer, expires_in_ms bigint, blocked_for_ms bigint)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_now timestamptz := clock_timestamp();
        v_hits integer;
        v_window_ends_at timestamptz;
        v_blocked_until timestamptz;
      BEGIN
        INSERT INTO rate_limit_counter AS c (key, hits, window_ends_at, blocked_until)
        VALUES (p_key, 0, v_now + make_interval(secs => p_ttl_ms / 1000.0), NULL)
        ON CONFLICT (key) DO NOTHING;

        SELECT c.hits, c.window_ends_at, c.blocked_until
          INTO v_hits, v_window_ends_at, v_blocked_until
          FROM rate_limit_counter c WHERE c.key = p_key FOR UPDATE;
        -- Read the clock again once the row is ours: waiting for the lock must not shorten windows.
        v_now := clock_timestamp();

        IF v_blocked_until IS NULL OR v_blocked_until <= v_now THEN
          IF v_blocked_until IS NOT NULL OR v_window_ends_at <= v_now THEN
            v_hits := 0;
            v_window_ends_at := v_now + make_interval(secs => p_ttl_ms / 1000.0);
            v_blocked_until := NULL;
          END IF;
          v_hits := v_hits + 1;
          IF v_hits > p_limit THEN
            v_blocked_until := v_now + make_interval(secs => p_block_ms / 1000.0);
          END IF;
          UPDATE rate_limit_counter
             SET hits = v_hits, window_ends_at = v_window_ends_at, blocked_until = v_blocked_until
           WHERE key = p_key;
        END IF;

        total_hits := v_hits;
        expires_in_ms := GREATEST(0, round(extract(epoch FROM (v_window_ends_at - v_now)) * 1000))::bigint;
        blocked_for_ms := CASE WHEN v_blocked_until IS NULL THEN 0
                               ELSE GREATEST(0, round(extract(epoch FROM (v_blocked_until - v_now)) * 1000))::bigint END;
        RETURN NEXT;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION rate_limit_hit(text, integer, integer, integer)`);
    await queryRunner.query(`DROP TABLE rate_limit_counter`);
  }
}
