import { Injectable } from '@nestjs/common';
import { type EntityManager, In, LessThan } from 'typeorm';
import { ACTIVE_TASK_STATUSES, ScrapeTask, type TaskStatus } from './scrape-task.entity';

export interface TaskListFilter {
  status?: TaskStatus[];
  cursor?: string;
  limit: number;
}

/** Task queries, always filtered by the caller's org (RLS is the second wall). */
@Injectable()
export class TasksRepository {
  async find(db: EntityManager, orgId: string, taskId: string, lock = false): Promise<ScrapeTask | null> {
    return db.findOne(ScrapeTask, { where: { id: taskId, orgId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async list(db: EntityManager, orgId: string, filter: TaskListFilter): Promise<ScrapeTask[]> {
    return db.find(ScrapeTask, {
      where: { orgId, ...(filter.status?.length ? { status: In(filter.status) } : {}), ...(filter.cursor ? { id: LessThan(filter.cursor) } : {}) },
      order: { id: 'DESC' },
      take: filter.limit + 1,
    });
  }

  async countActive(db: EntityManager, orgId: string): Promise<number> {
    return db.count(ScrapeTask, { where: { orgId, status: In([...ACTIVE_TASK_STATUSES]) } });
  }
}
