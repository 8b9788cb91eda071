import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BusinessType, JobLevel, LeadObjective } from '@leadforge/contracts';
import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import type { AppConfig } from '../common/config/app-config';
import { InjectConfig } from '../common/config/config.module';
import { TenantDatabase } from '../database/tenant-database';
import { SuppressionHasher } from '../legal/suppression-hash';
import { candidatesFromPage, type IngestPage } from './findings-to-candidates';
import { COPY_STAGE_SQL, LEAD_STAGE_SQL, stageLine, UPSERT_LEADS_SQL, type UpsertedRow } from './lead-upsert.sql';
import type { LeadCandidate, LeadKind, LeadPlatform } from './lead.types';
import { mergeInto } from './merge';

export type { IngestPage } from './findings-to-candidates';

export interface IngestFilters {
  /** Person leads whose job level is not listed are dropped; company leads have none and pass. */
  jobLevels?: JobLevel[];
  /** Leads (person or company) whose business type is not listed are dropped. */
  businessTypes?: BusinessType[];
  minConfidence?: number;
}

export interface IngestInput {
  orgId: string;
  taskId: string;
  platform: LeadPlatform;
  leadObjective: LeadObjective | null;
  filters?: IngestFilters;
  pages: IngestPage[];
  /** Leads per upsert statement (default 500). */
  batchSize?: number;
}

/** What the live `task.leads` event carries per lead. */
export interface LeadSummary {
  id: string;
  kind: LeadKind;
  fullName: string | null;
  jobTitle: string | null;
  companyName: string | null;
  email: string | null;
  confidence: number;
  /** `new`: stored by this call; `merged`: a sighting of a lead the org already had. */
  change: 'new' | 'merged';
}

/**
 * Counts of lead sightings (one per person or company per page): found = stored + duplicates +
 * suppressed + filtered. `duplicates` are sightings merged into another sighting of the same call,
 * into a stored lead, or dropped because the stored lead was soft-deleted.
 */
export interface IngestResult {
  found: number;
  stored: number;
  duplicates: number;
  suppressed: number;
  filtered: number;
  leads: LeadSummary[];
}

const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 5_000;
const MAX_ATTEMPTS = 5;
/** deadlock_detected, serialization_failure, unique_violation (a race on a key outside ON CONFLICT). */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

interface Group {
  lead: LeadCandidate;
  sightings: number;
}

type BatchOutcome = Pick<IngestResult, 'stored' | 'duplicates' | 'suppressed' | 'leads'>;

function errorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.code ?? candidate?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Findings -> lead candidates -> filters -> in-memory merge by dedup key -> suppression check (one
 * query per batch) -> COPY of the batch into a staging table -> one merge statement per batch
 * (lead-upsert.sql.ts), each batch in its own org-scoped transaction (RLS applies). Re-ingesting
 * the same pages is harmless: sources are a set per (url, task).
 */
@Injectable()
export class LeadIngestService {
  private readonly hasher: SuppressionHasher;

  constructor(
    private readonly tenantDatabase: TenantDatabase,
    @InjectConfig() config: Pick<AppConfig, 'suppressionHashKey'>,
  ) {
    this.hasher = new SuppressionHasher(config.suppressionHashKey);
  }

  /** Ingests the pages; each batch of leads commits in its own org-scoped transaction, retried on lock races. */
  async ingest(input: IngestInput): Promise<IngestResult> {
    const { result, batches } = this.prepare(input);
    for (const batch of batches) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          this.add(result, await this.tenantDatabase.inOrg(input.orgId, (db) => this.writeBatch(db, input, batch)));
          break;
        } catch (error) {
          const code = errorCode(error);
          if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
          await sleep(10 * 2 ** attempt + Math.floor(Math.random() * 20));
        }
      }
    }
    return result;
  }

  /**
   * The same inside the caller's transaction (already scoped to `input.orgId` by TenantDatabase),
   * so leads commit together with whatever else the caller records (pages done, task counters,
   * events). An error aborts the caller's transaction: the caller retries the whole unit of work
   * (deadlock 40P01 and serialization 40001 are the retryable ones).
   */
  async ingestInTransaction(db: EntityManager, input: IngestInput): Promise<IngestResult> {
    const { result, batches } = this.prepare(input);
    for (const batch of batches) this.add(result, await this.writeBatch(db, input, batch));
    return result;
  }

  /** Findings -> candidates -> filters -> merged by key, sorted by key, cut into batches. */
  private prepare(input: IngestInput): { result: IngestResult; batches: Group[][] } {
    const result: IngestResult = { found: 0, stored: 0, duplicates: 0, suppressed: 0, filtered: 0, leads: [] };
    const groups = new Map<string, Group>();
    for (const page of input.pages) {
      for (const candidate of candidatesFromPage(page, input.taskId).candidates) {
        result.found += 1;
        if (!this.passes(candidate, input.filters)) {
          result.filtered += 1;
          continue;
        }
        const group = groups.get(candidate.dedupKey);
        if (group) {
          mergeInto(group.lead, candidate);
          group.sightings += 1;
        } else {
          groups.set(candidate.dedupKey, { lead: candidate, sightings: 1 });
        }
      }
    }
    // One lock order for everyone: overlapping batches of concurrent tasks queue instead of deadlocking.
    const sorted = [...groups.values()].sort((a, b) => (a.lead.dedupKey < b.lead.dedupKey ? -1 : a.lead.dedupKey > b.lead.dedupKey ? 1 : 0));
    const batchSize = Math.max(1, Math.min(input.batchSize ?? DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE));
    const batches: Group[][] = [];
    for (let start = 0; start < sorted.length; start += batchSize) batches.push(sorted.slice(start, start + batchSize));
    return { result, batches };
  }

  private add(result: IngestResult, batch: BatchOutcome): void {
    result.stored += batch.stored;
    result.duplicates += batch.duplicates;
    result.suppressed += batch.suppressed;
    for (const lead of batch.leads) result.leads.push(lead);
  }

  private passes(lead: LeadCandidate, filters: IngestFilters | undefined): boolean {
    if (!filters) return true;
    if (filters.minConfidence !== undefined && lead.confidence < filters.minConfidence) return false;
    if (filters.jobLevels?.length && lead.kind === 'person' && !filters.jobLevels.includes(lead.jobLevel ?? 'unknown')) return false;
    if (filters.businessTypes?.length && !filters.businessTypes.includes(lead.businessType ?? 'other')) return false;
    return true;
  }

  private async writeBatch(db: EntityManager, input: IngestInput, batch: Group[]): Promise<BatchOutcome> {
    const suppressedAt = await this.suppressedIndexes(db, batch);
    const out: BatchOutcome = { stored: 0, duplicates: 0, suppressed: 0, leads: [] };
    const lines: string[] = [];
    batch.forEach((group, index) => {
      if (suppressedAt.has(index)) {
        out.suppressed += group.sightings;
        return;
      }
      out.duplicates += group.sightings - 1;
      lines.push(stageLine(newId(), group.lead, lines.length));
    });
    if (lines.length === 0) return out;

    // COPY into the staging table on the transaction's own connection (same org scope), then one merge statement.
    await db.query(LEAD_STAGE_SQL);
    const client = (await db.queryRunner!.connect()) as PoolClient;
    await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(COPY_STAGE_SQL)));
    const returned: UpsertedRow[] = await db.query(UPSERT_LEADS_SQL, [input.orgId, input.taskId, input.platform, input.leadObjective]);
    for (const row of returned) {
      if (row.inserted) out.stored += 1;
      else out.duplicates += 1;
      out.leads.push({
        id: row.id,
        kind: row.kind,
        fullName: row.full_name,
        jobTitle: row.job_title,
        companyName: row.company_name,
        email: row.email,
        confidence: row.confidence,
        change: row.inserted ? 'new' : 'merged',
      });
    }
    // Sightings of soft-deleted leads: the row is left alone and not returned.
    out.duplicates += lines.length - returned.length;
    return out;
  }

  /** Positions in the batch of leads matching an opt-out: one query for every hash of the batch. */
  private async suppressedIndexes(db: EntityManager, batch: Group[]): Promise<Set<number>> {
    const positions: number[] = [];
    const kinds: string[] = [];
    const hashes: string[] = [];
    batch.forEach((group, index) => {
      const lead = group.lead;
      for (const probe of this.hasher.probes({
        email: lead.email,
        profileUrl: lead.profileUrl,
        profileLinks: Object.values(lead.socials),
        companyDomain: lead.companyDomain,
        website: lead.website,
      })) {
        positions.push(index);
        kinds.push(probe.kind);
        hashes.push(probe.hash.toString('hex'));
      }
    });
    if (positions.length === 0) return new Set();
    const rows: Array<{ position: number }> = await db.query(
      `SELECT DISTINCT p.position
         FROM unnest($1::int[], $2::text[], $3::text[]) AS p(position, kind, hash)
         JOIN suppression s ON s.kind = p.kind AND s.value_hash = decode(p.hash, 'hex')`,
      [positions, kinds, hashes],
    );
    return new Set(rows.map((row) => Number(row.position)));
  }
}
