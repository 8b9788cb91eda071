import { Module } from '@nestjs/common';
import { LegalRepository } from './legal.repository';
import { OptOutController } from './opt-out.controller';
import { OptOutService } from './opt-out.service';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { SuppressionPurgeService } from './suppression-purge.service';

/** Legal (DESIGN.md §8): opt-out and its purge, retention, data subject requests, the audit log reader. */
@Module({
  controllers: [OptOutController, RetentionController, RecordsController],
  providers: [LegalRepository, RetentionRepository, OptOutService, SuppressionPurgeService, RetentionService, RecordsService],
})
export class LegalModule {}
