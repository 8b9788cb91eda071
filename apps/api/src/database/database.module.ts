import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { buildDataSourceOptions } from './data-source-options';
import { TenantDatabase } from './tenant-database';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('No database URL: start the embedded database or set DATABASE_URL');
        return {
          ...buildDataSourceOptions({ url: config.databaseUrl, poolSize: config.databasePoolSize }),
          retryAttempts: 5,
          retryDelay: 2_000,
        };
      },
    }),
  ],
  providers: [TenantDatabase],
  exports: [TenantDatabase],
})
export class DatabaseModule {}
