import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { uuidv7Floor } from './admin-stats.repository';

describe('uuidv7Floor', () => {
  it('is at or below every UUIDv7 of the same millisecond and above every earlier one', () => {
    const moment = new Date('2026-11-22T01:00:00.123Z');
    const floor = uuidv7Floor(moment);
    expect(floor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-0000-0000-000000000000$/);
    for (let index = 0; index < 50; index++) {
      expect(uuidv7({ msecs: moment.getTime() }) >= floor).toBe(true);
      expect(uuidv7({ msecs: moment.getTime() - 1 }) < floor).toBe(true);
    }
  });
});
