import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { ShardRunner } from './runner/shard-runner';
import { TaskRecovery } from './runner/task-recovery';
import { ScraperController } from './scraper.controller';
import { TasksController } from './tasks.controller';
import { TaskEventsService } from './tasks/task-events.service';
import { TaskLifecycle } from './tasks/task-lifecycle.service';
import { TasksRepository } from './tasks/tasks.repository';
import { TasksService } from './tasks/tasks.service';

@Module({
  imports: [LeadsModule],
  controllers: [ScraperController, TasksController],
  providers: [TasksService, TasksRepository, TaskLifecycle, TaskEventsService, ShardRunner, TaskRecovery],
  exports: [TaskLifecycle, TaskEventsService],
})
export class ScraperModule {}
