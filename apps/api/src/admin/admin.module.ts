import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AdminCreditsService } from './admin-credits.service';
import { AdminDirectoryService } from './admin-directory.service';
import { AdminStatsRepository } from './admin-stats.repository';
import { AdminStatsService } from './admin-stats.service';
import { AdminUsersService } from './admin-users.service';
import { AdminController } from './admin.controller';
import { AdminRepository } from './admin.repository';

/** The platform administrators' area (all organizations). */
@Module({
  imports: [AuditModule],
  controllers: [AdminController],
  providers: [AdminCreditsService, AdminDirectoryService, AdminRepository, AdminStatsRepository, AdminStatsService, AdminUsersService],
})
export class AdminModule {}
