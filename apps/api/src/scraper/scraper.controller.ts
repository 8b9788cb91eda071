import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../common/auth/auth-context';
import { Auth } from '../common/auth/auth.decorator';
import { CurrentAuth } from '../common/auth/current-auth.decorator';
import { validateIdempotencyKey } from '../common/idempotency/idempotency.service';
import { ProblemResponse } from '../common/openapi/problem.schema';
import { DEFAULT_PAGE_SIZE } from '../common/pagination/page';
import { StartTaskDto } from './dto/start-task.dto';
import { TaskEstimateResponse, TaskListQuery } from './dto/task-queries.dto';
import { StartTaskResponse, TaskListResponse, TaskResponse } from './dto/task.response';
import { TasksService } from './tasks/tasks.service';

@ApiTags('scraper')
@Controller('scraper')
@Auth()
export class ScraperController {
  constructor(private readonly tasks: TasksService) {}

  @Post('estimate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What a start with this body would cost (credits reserved) and whether the balance and plan allow it.' })
  @ApiOkResponse({ type: TaskEstimateResponse })
  estimate(@CurrentAuth() auth: AuthContext, @Body() body: StartTaskDto): Promise<TaskEstimateResponse> {
    return this.tasks.estimate(auth, body);
  }

  @Post('start')
  @Throttle({ default: { limit: 120, ttl: 60_000 } })
  @ApiOperation({
    summary: 'Start a scrape task. Reserves maxPages x seeds credits (unused ones come back when it ends) and queues one job per seed host.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body within 24 h returns the first response; another body is a 422.' })
  @ApiAcceptedResponse({ type: StartTaskResponse })
  @ApiResponse({ status: 402, type: ProblemResponse, description: '`insufficient_credits`, with `balance` and `required`.' })
  @ApiResponse({ status: 409, type: ProblemResponse, description: '`task_limit_reached`: the plan allows no more tasks at once.' })
  @ApiResponse({ status: 422, type: ProblemResponse, description: '`plan_limit_exceeded` or `idempotency_key_reused`.' })
  async start(
    @CurrentAuth() auth: AuthContext,
    @Body() body: StartTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StartTaskResponse> {
    const result = await this.tasks.start(auth, body, validateIdempotencyKey(idempotencyKey));
    reply.status(result.statusCode);
    return result.body;
  }

  @Post('stop/:taskId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a task for good; unused credits come back.' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiResponse({ status: 409, type: ProblemResponse, description: '`task_state_conflict`: the task has already ended.' })
  stop(@CurrentAuth() auth: AuthContext, @Param('taskId', new ParseUUIDPipe()) taskId: string): Promise<TaskResponse> {
    return this.tasks.stop(auth, taskId);
  }

  @Post('pause/:taskId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Pause a task: fetching stops within a second or two; credits stay reserved.' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiResponse({ status: 409, type: ProblemResponse, description: '`task_state_conflict`' })
  pause(@CurrentAuth() auth: AuthContext, @Param('taskId', new ParseUUIDPipe()) taskId: string): Promise<TaskResponse> {
    return this.tasks.pause(auth, taskId);
  }

  @Post('resume/:taskId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resume a paused task where it stopped, without fetching done pages again.' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  @ApiResponse({ status: 409, type: ProblemResponse, description: '`task_state_conflict`' })
  resume(@CurrentAuth() auth: AuthContext, @Param('taskId', new ParseUUIDPipe()) taskId: string): Promise<TaskResponse> {
    return this.tasks.resume(auth, taskId);
  }

  @Get('status/:taskId')
  @ApiOperation({ summary: 'A task with its live progress.' })
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ type: ProblemResponse })
  status(@CurrentAuth() auth: AuthContext, @Param('taskId', new ParseUUIDPipe()) taskId: string): Promise<TaskResponse> {
    return this.tasks.get(auth, taskId);
  }

  @Get('tasks')
  @ApiOperation({ summary: "The organization's tasks, newest first (same as GET /tasks)." })
  @ApiOkResponse({ type: TaskListResponse })
  list(@CurrentAuth() auth: AuthContext, @Query() query: TaskListQuery): Promise<TaskListResponse> {
    return this.tasks.list(auth, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, status: query.status });
  }
}
