import { Module } from '@nestjs/common';
import { UsersRepository } from '../users/users.repository';
import { OrgsController } from './orgs.controller';
import { OrgsRepository } from './orgs.repository';
import { OrgsService } from './orgs.service';

@Module({
  controllers: [OrgsController],
  providers: [OrgsRepository, OrgsService, UsersRepository],
  exports: [OrgsRepository, UsersRepository],
})
export class OrgsModule {}
