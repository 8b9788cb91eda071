import { Module } from '@nestjs/common';
import { LeadIngestService } from './lead-ingest.service';

/** Leads: the table and the ingest path for now; the read API ([Leads]) comes later. */
@Module({
  providers: [LeadIngestService],
  exports: [LeadIngestService],
})
export class LeadsModule {}
