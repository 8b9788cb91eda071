import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength, NotEquals } from 'class-validator';

export class AdjustCreditsRequest {
  @ApiProperty({ minimum: -1_000_000, maximum: 1_000_000, example: 500, description: 'Credits to add (positive) or take (negative); never 0.' })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  @NotEquals(0)
  delta!: number;

  @ApiProperty({ minLength: 3, maxLength: 200, example: 'Goodwill credit for the outage on 3 March' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  reason!: string;
}

export class AdjustCreditsResponse {
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty() delta!: number;
  @ApiProperty({ description: 'Balance after the adjustment.' }) balance!: number;
}
