import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE } from '../common/pagination/page';
import { BulkStopRequest, BulkStopResponse, QueueStatusResponse, TaskEventListResponse, TaskEventsQuery, TaskListQuery } from './dto/task-queries.dto';
import { TaskListResponse, TaskResponse } from './dto/task.response';
import { TasksService } from './tasks/tasks.service';

@ApiTags('tasks')
@Controller('tasks')
@Auth()
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: "The organization's tasks, newest first, optionally by status." })
  @ApiOkResponse({ type: TaskListResponse })
  list(@CurrentAuth() auth: AuthContext, @Query() query: TaskListQuery): Promise<TaskListResponse> {
    return this.tasks.list(auth, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, status: query.status });
  }

  @Get('queue/status')
  @ApiOperation({ summary: "This organization's queued, running and paused tasks and shards, and the shared queue's depth." })
  @ApiOkResponse({ type: QueueStatusResponse })
  queueStatus(@CurrentAuth() auth: AuthContext): Promise<QueueStatusResponse> {
    return this.tasks.queueStatus(auth);
  }

  @Post('bulk/stop')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop up to 100 tasks; says which could not be stopped and why.' })
  @ApiOkResponse({ type: BulkStopResponse })
  bulkStop(@CurrentAuth() auth: AuthContext, @Body() body: BulkStopRequest): Promise<BulkStopResponse> {
    return this.tasks.bulkStop(auth, body.taskIds);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task with its live progress.' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  get(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<TaskResponse> {
    return this.tasks.get(auth, id);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "A task's persisted events after sinceSeq, in order (the same events the socket streams)." })
  @ApiOkResponse({ type: TaskEventListResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  async events(@CurrentAuth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TaskEventsQuery): Promise<TaskEventListResponse> {
    const sinceSeq = query.sinceSeq ?? 0;
    const items = await this.tasks.events(auth, id, sinceSeq, query.limit ?? 500);
    return { items, lastSeq: items.at(-1)?.seq ?? sinceSeq };
  }
}
