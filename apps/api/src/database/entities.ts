import { RateLimitCounter } from '../common/throttling/rate-limit-counter.entity';

/**
 * Every TypeORM entity of the application. Listed explicitly (no globs) so that the same list
 * serves the compiled app, the tests and the entity/migration drift check.
 */
export const ENTITIES = [RateLimitCounter];
