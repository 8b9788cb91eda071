import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AdminCreditsService } from './admin-credits.service';
import { AdminDirectoryService } from './admin-directory.service';
import { AdminController } from './admin.controller';
import { AdminRepository } from './admin.repository';

/** The platform administrators' area (all organizations). */
@Module({
  imports: [AuditModule],
  controllers: [AdminController],
  providers: [AdminCreditsService, AdminDirectoryService, AdminRepository],
})
export class AdminModule {}
