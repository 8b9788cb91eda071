import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Fixed-window request counters shared by every API node. The table is UNLOGGED: counters are
 * cheap to lose in a crash and expensive to write-ahead-log on every request.
 */
@Entity({ name: 'rate_limit_counter' })
@Index('rate_limit_counter_window_ends_at_idx', ['windowEndsAt'])
export class RateLimitCounter {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'integer' })
  hits!: number;

  @Column({ type: 'timestamptz' })
  windowEndsAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;
}
