import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOwnerTestDatabase } from '../../../../../test/support/tenant-test-databases';
import { TenantDatabase } from '../../database/tenant-database';
import { SecretBox } from './secret-box';
import { resealStoredSecrets } from './secret-rotation';

const OLD = { currentId: 'k1', current: 'o'.repeat(40), retired: {} };
const NEW = { currentId: 'k2', current: 'n'.repeat(40), retired: { k1: 'o'.repeat(40) } };

let database: Awaited<ReturnType<typeof openOwnerTestDatabase>>;
let dataSource: DataSource;

beforeAll(async () => {
  database = await openOwnerTestDatabase();
  ({ dataSource } = database);
});

afterAll(async () => {
  await database?.close();
});

describe('resealStoredSecrets', () => {
  it('re-seals every webhook secret sealed with a retired key, in every organization, and leaves current ones alone', async () => {
    const oldBox = new SecretBox(OLD, 'webhooks');
    const newBox = new SecretBox(NEW, 'webhooks');
    const orgs = ['01a20000-0000-7000-8000-00000000000a', '01a20000-0000-7000-8000-00000000000b'];
    for (const org of orgs) await dataSource.query(`INSERT INTO organization (id, name) VALUES ($1, 'Org')`, [org]);
    const rows = [
      { id: '01a20000-0000-7000-8000-0000000000a1', org: orgs[0], secret: oldBox.seal('whsec_a'), previous: oldBox.seal('whsec_a_old') },
      { id: '01a20000-0000-7000-8000-0000000000b1', org: orgs[1], secret: oldBox.seal('whsec_b'), previous: null },
      { id: '01a20000-0000-7000-8000-0000000000b2', org: orgs[1], secret: newBox.seal('whsec_c'), previous: null },
    ];
    for (const row of rows) {
      await dataSource.query(`INSERT INTO webhook_endpoint (id, org_id, url, events, secret_sealed, previous_secret_sealed) VALUES ($1, $2, 'https://hooks.example/x', '{task.completed}', $3, $4)`, [
        row.id,
        row.org,
        row.secret,
        row.previous,
      ]);
    }

    const results = await new TenantDatabase(dataSource).asSystem((db) => resealStoredSecrets(db, NEW, 1));
    expect(results).toEqual([
      { table: 'webhook_endpoint', column: 'secret_sealed', resealed: 2 },
      { table: 'webhook_endpoint', column: 'previous_secret_sealed', resealed: 1 },
    ]);

    const stored = (await dataSource.query(`SELECT id, secret_sealed, previous_secret_sealed FROM webhook_endpoint ORDER BY id`)) as Array<{ id: string; secret_sealed: string; previous_secret_sealed: string | null }>;
    const onlyNewKey = new SecretBox({ currentId: 'k2', current: 'n'.repeat(40), retired: {} }, 'webhooks');
    expect(stored.map((row) => onlyNewKey.open(row.secret_sealed))).toEqual(['whsec_a', 'whsec_b', 'whsec_c']);
    expect(onlyNewKey.open(stored[0]!.previous_secret_sealed!)).toBe('whsec_a_old');
    expect(stored[2]!.secret_sealed).toBe(rows[2]!.secret);
  });
});
