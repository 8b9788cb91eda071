import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class AdminUpdateUserRequest {
  @ApiPropertyOptional({ description: 'Grant (true) or remove (false) the platform administrator flag. You cannot remove your own, nor the last active one.' })
  @IsOptional()
  @IsBoolean()
  isPlatformAdmin?: boolean;

  @ApiPropertyOptional({
    description:
      'Suspend (true) or reactivate (false) the account. Suspension ends all of its sessions at once and refuses sign-in (403 `account_suspended`); the organization API keys it created keep working, as keys act for the organization. You cannot suspend yourself.',
  })
  @IsOptional()
  @IsBoolean()
  suspended?: boolean;
}
