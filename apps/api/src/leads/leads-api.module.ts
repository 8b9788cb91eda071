import { Module } from '@nestjs/common';
import { FiltersController } from './filters.controller';
import { FiltersService } from './filters.service';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

/** The leads API (DESIGN.md §4): list, read, correct, delete and restore, bulk changes, filter vocabularies. */
@Module({
  controllers: [LeadsController, FiltersController],
  providers: [LeadsRepository, LeadsService, FiltersService],
  exports: [LeadsRepository],
})
export class LeadsApiModule {}
