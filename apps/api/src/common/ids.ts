import { v7 as uuidv7 } from 'uuid';

/** Every row id is a UUIDv7: unique, and ordered by creation time (keyset pagination relies on it). */
export const newId = (): string => uuidv7();
