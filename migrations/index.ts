import { Foundation1795219200000 } from './1795219200000-Foundation';

/** Every migration, in order. The only way the schema changes. */
export const MIGRATIONS = [Foundation1795219200000];
