import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class FilterOptionsQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: "Add how many of the organization's leads carry each value." })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  withCounts?: boolean;
}

export class FilterOptionResponse {
  @ApiProperty({ example: 'c_suite' }) value!: string;
  @ApiProperty({ example: 'C-suite / owner' }) label!: string;
  @ApiPropertyOptional({ description: 'Live leads with this value (withCounts=true only).' }) count?: number;
}

export class FilterOptionsResponse {
  @ApiProperty({ type: [FilterOptionResponse] }) items!: FilterOptionResponse[];
}
