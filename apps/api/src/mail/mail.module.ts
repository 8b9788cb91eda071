import { Global, Module } from '@nestjs/common';
import { MailSender } from './mail.sender';
import { MailService } from './mail.service';

@Global()
@Module({ providers: [MailService, MailSender], exports: [MailService] })
export class MailModule {}
