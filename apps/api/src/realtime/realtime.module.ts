import { Module } from '@nestjs/common';
import { ScraperModule } from '../scraper/scraper.module';
import { EventsGateway } from './events.gateway';
import { DEFAULT_REALTIME_LIMITS, REALTIME_LIMITS } from './realtime-limits';
import { SocketHandshake } from './socket-handshake';
import { TaskEventRelay } from './task-event-relay';

/** The Socket.IO gateway of DESIGN.md §7 (namespace /events). */
@Module({
  imports: [ScraperModule],
  providers: [EventsGateway, SocketHandshake, TaskEventRelay, { provide: REALTIME_LIMITS, useValue: DEFAULT_REALTIME_LIMITS }],
  exports: [EventsGateway],
})
export class RealtimeModule {}
