import { Module } from '@nestjs/common';
import { LeadIngestService } from './lead-ingest.service';
import { LeadStatsMaintenance } from './lead-stats-maintenance';

/** Leads: the table and the ingest path for now; the read API ([Leads]) comes later. */
@Module({
  providers: [LeadIngestService, LeadStatsMaintenance],
  exports: [LeadIngestService],
})
export class LeadsModule {}
