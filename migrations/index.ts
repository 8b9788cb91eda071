import { Foundation1795219200000 } from './1795219200000-Foundation';
import { Identity1795305600000 } from './1795305600000-Identity';

/** Every migration, in order. The only way the schema changes. */
export const MIGRATIONS = [Foundation1795219200000, Identity1795305600000];
