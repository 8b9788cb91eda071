import { Foundation1795219200000 } from './1795219200000-Foundation';
import { Identity1795305600000 } from './1795305600000-Identity';
import { Scraper1795392000000 } from './1795392000000-Scraper';
import { Leads1795478400000 } from './1795478400000-Leads';

/** Every migration, in order. The only way the schema changes. */
export const MIGRATIONS = [Foundation1795219200000, Identity1795305600000, Scraper1795392000000, Leads1795478400000];
