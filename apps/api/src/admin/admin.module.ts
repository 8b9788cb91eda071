import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AdminCreditsService } from './admin-credits.service';
import { AdminController } from './admin.controller';

/** The platform administrators' area (all organizations). */
@Module({
  imports: [AuditModule],
  controllers: [AdminController],
  providers: [AdminCreditsService],
})
export class AdminModule {}
