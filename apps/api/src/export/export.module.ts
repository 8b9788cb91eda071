import { Module } from '@nestjs/common';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { LeadCursor } from './lead-cursor';

@Module({
  controllers: [ExportController],
  providers: [ExportService, LeadCursor],
})
export class ExportModule {}
