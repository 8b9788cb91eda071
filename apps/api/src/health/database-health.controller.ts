import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Auth } from '../common/auth/auth.decorator';

/** The pieces of node-postgres' Pool that TypeORM's Postgres driver keeps as `master`. */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

class DatabasePoolStats {
  @ApiProperty({ example: 10, description: 'Connections the pool may open.' }) max!: number;
  @ApiProperty({ example: 3, description: 'Connections open now (idle + in use).' }) total!: number;
  @ApiProperty({ example: 2 }) idle!: number;
  @ApiProperty({ example: 0, description: 'Queries queued for a free connection.' }) waiting!: number;
}

class DatabaseMigrationState {
  @ApiProperty({ example: 9, description: 'Migrations recorded as applied in the database.' }) applied!: number;
  @ApiProperty({ example: 9, description: 'Migrations this build knows.' }) known!: number;
  @ApiProperty({ example: false, description: 'Whether some migration of this build is not applied yet.' }) pending!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'LeadsPerformance1795996800000' }) latest!: string | null;
}

class DatabaseHealthResponse {
  @ApiProperty({ type: DatabasePoolStats, description: "This process's connection pool." }) pool!: DatabasePoolStats;
  @ApiProperty({ example: 'PostgreSQL 18.1' }) serverVersion!: string;
  @ApiProperty({ example: 'leadforge' }) database!: string;
  @ApiProperty({ example: 48_250_000, description: 'Size of the database on disk, in bytes.' }) sizeBytes!: number;
  @ApiProperty({ example: 12, description: 'Server connections to this database (every process), from pg_stat_activity.' }) connections!: number;
  @ApiProperty({ example: 1, description: 'Of those, the ones running a statement now.' }) activeConnections!: number;
  @ApiProperty({ type: DatabaseMigrationState }) migrations!: DatabaseMigrationState;
  @ApiProperty({ format: 'date-time' }) checkedAt!: string;
}

@ApiTags('health')
@Controller('health')
@Auth({ platformAdmin: true })
export class DatabaseHealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('database')
  @ApiOperation({ summary: "Database detail for platform administrators: this process's pool, server version, size, connections and migrations." })
  @ApiOkResponse({ type: DatabaseHealthResponse })
  async database(): Promise<DatabaseHealthResponse> {
    const pool = (this.dataSource.driver as unknown as { master: PgPoolCounters }).master;
    const [server] = (await this.dataSource.query(
      `SELECT current_setting('server_version') AS version,
              current_database() AS database,
              pg_database_size(current_database())::text AS size,
              count(*) FILTER (WHERE a.datname = current_database())::int AS connections,
              count(*) FILTER (WHERE a.datname = current_database() AND a.state = 'active')::int AS active
         FROM pg_stat_activity a`,
    )) as Array<{ version: string; database: string; size: string; connections: number; active: number }>;
    const [applied] = (await this.dataSource.query(
      `SELECT count(*)::int AS count, (SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1) AS latest FROM schema_migrations`,
    )) as Array<{ count: number; latest: string | null }>;
    const pending = await this.dataSource.showMigrations();
    return {
      pool: { max: pool.options?.max ?? 0, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
      serverVersion: `PostgreSQL ${server!.version}`,
      database: server!.database,
      sizeBytes: Number(server!.size),
      connections: server!.connections,
      activeConnections: server!.active,
      migrations: { applied: applied!.count, known: this.dataSource.migrations.length, pending, latest: applied!.latest },
      checkedAt: new Date().toISOString(),
    };
  }
}
