import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import type { TaskStatus } from './scrape-task.entity';

export class TaskNotFoundError extends AppError {
  constructor() {
    super('not_found', HttpStatus.NOT_FOUND, 'Task not found');
  }
}

export class TaskLimitReachedError extends AppError {
  constructor(limit: number) {
    super('task_limit_reached', HttpStatus.CONFLICT, `Your plan allows ${limit} tasks at once (queued, running or paused); stop or finish one first.`, {
      extensions: { limit },
    });
  }
}

export class TaskStateError extends AppError {
  constructor(action: string, status: TaskStatus) {
    super('task_state_conflict', HttpStatus.CONFLICT, `A ${status} task cannot be ${action}.`, { extensions: { taskStatus: status } });
  }
}

export class PlanLimitError extends AppError {
  constructor(field: string, limit: number) {
    super('plan_limit_exceeded', HttpStatus.UNPROCESSABLE_ENTITY, `${field} exceeds your plan's limit of ${limit}.`, {
      extensions: { limit },
      errors: [{ field, message: `must not exceed ${limit} on your plan` }],
    });
  }
}
