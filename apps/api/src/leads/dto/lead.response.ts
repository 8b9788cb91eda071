import { BUSINESS_TYPES, DEGREE_TYPES, EDUCATION_LEVELS, JOB_LEVELS, LEAD_OBJECTIVES } from '@leadforge/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { TASK_PLATFORMS } from '../../scraper/tasks/scrape-task.entity';
import { LEAD_KINDS, LEAD_STATUSES } from '../lead.types';

export class LeadPhoneResponse {
  @ApiProperty({ example: '+4930123456' }) e164!: string;
  @ApiProperty({ example: 'landline' }) type!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) country!: string | null;
}

export class LeadAddressResponse {
  @ApiProperty({ type: String, nullable: true }) street!: string | null;
  @ApiProperty({ type: String, nullable: true }) city!: string | null;
  @ApiProperty({ type: String, nullable: true }) region!: string | null;
  @ApiProperty({ type: String, nullable: true }) postalCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) country!: string | null;
}

export class LeadConfidenceReasonResponse {
  @ApiProperty({ example: 'own_domain_email' }) signal!: string;
  @ApiProperty({ example: 15, description: 'Points added (negative: removed); see libs/extract/README.md.' }) weight!: number;
}

export class LeadSourceResponse {
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) taskId!: string | null;
  @ApiProperty({ format: 'date-time' }) seenAt!: string;
}

/** A lead (DESIGN.md §6, §11). */
export class LeadResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: LEAD_KINDS }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName!: string | null;
  @ApiProperty({ type: String, nullable: true }) jobTitle!: string | null;
  @ApiProperty({ enum: JOB_LEVELS, nullable: true }) jobLevel!: string | null;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: [LeadPhoneResponse] }) phones!: LeadPhoneResponse[];
  @ApiProperty({ type: String, nullable: true }) companyName!: string | null;
  @ApiProperty({ type: String, nullable: true }) companyDomain!: string | null;
  @ApiProperty({ type: String, nullable: true }) website!: string | null;
  @ApiProperty({ enum: BUSINESS_TYPES, nullable: true }) businessType!: string | null;
  @ApiProperty({ type: String, nullable: true }) industry!: string | null;
  @ApiProperty({ type: LeadAddressResponse, nullable: true }) address!: LeadAddressResponse | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Profile URLs by network.' }) socials!: Record<string, string>;
  @ApiProperty({ type: String, nullable: true }) profileUrl!: string | null;
  @ApiProperty({ enum: EDUCATION_LEVELS, nullable: true }) educationLevel!: string | null;
  @ApiProperty({ enum: DEGREE_TYPES, nullable: true }) degreeType!: string | null;
  @ApiProperty({ enum: LEAD_OBJECTIVES, nullable: true }) leadObjective!: string | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) confidence!: number;
  @ApiProperty({ type: [LeadConfidenceReasonResponse] }) confidenceReasons!: LeadConfidenceReasonResponse[];
  @ApiProperty({ type: [LeadSourceResponse] }) sources!: LeadSourceResponse[];
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ enum: LEAD_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ enum: TASK_PLATFORMS, nullable: true }) platform!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) taskId!: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;
}

export class LeadListResponse {
  @ApiProperty({ type: [LeadResponse] }) items!: LeadResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as cursor with the same sort and order.' }) nextCursor!: string | null;
}

export class BulkLeadsResponse {
  @ApiProperty({ description: 'Leads changed by the action.' }) affected!: number;
}
