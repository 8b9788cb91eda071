import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { QUEUE_MODULE_OPTIONS, QueueExplorer, type QueueModuleOptions } from './queue-explorer';
import { QueueService } from './queue.service';

@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      imports: [DiscoveryModule],
      providers: [{ provide: QUEUE_MODULE_OPTIONS, useValue: options }, QueueService, QueueExplorer],
      exports: [QueueService],
    };
  }
}
