import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SubscriberViewDto } from '../lists/list-lifecycle.dto';
import { SuppressionViewDto } from '../suppressions/suppression-responses';
import type { DeliveryOutcome, SubscriberErasure, SubscriberExport } from './subscribers.service';

class ExportedListDto {
  @ApiProperty({ format: 'uuid' })
  readonly listId!: string;

  @ApiProperty({ example: 'Monthly readers' })
  readonly listName!: string;

  @ApiProperty({ type: SubscriberViewDto, description: 'What the list stores about the address.' })
  readonly subscriber!: SubscriberViewDto;
}

class GlobalSuppressionDto {
  @ApiProperty({ example: 'bounced' })
  readonly reason!: string;

  @ApiProperty({ format: 'date-time' })
  readonly at!: string;
}

class ExportedSuppressionDto {
  @ApiProperty({ type: SuppressionViewDto, nullable: true, description: "The tenant's suppression entry of the address; null when none." })
  readonly tenant!: SuppressionViewDto | null;

  @ApiProperty({ type: GlobalSuppressionDto, nullable: true, description: 'The global list (hard bounces, complaints; kept by the operator) holds it, and why; null when not.' })
  readonly global!: GlobalSuppressionDto | null;
}

class DeliveryOutcomeDto implements DeliveryOutcome {
  @ApiProperty({ format: 'uuid' })
  readonly newsletterId!: string;

  @ApiProperty({ enum: ['accepted', 'deferred', 'failed', 'suppressed'], example: 'accepted', description: 'accepted: the provider took it; deferred: to be retried; failed; suppressed: skipped.' })
  readonly state!: string;

  @ApiProperty({ format: 'date-time', description: 'When the outcome was recorded.' })
  readonly at!: string;

  @ApiProperty({ example: 1, description: 'SMTP attempts.' })
  readonly attempts!: number;

  @ApiPropertyOptional({ example: 250, description: 'The SMTP reply code of the last attempt, when the server gave one.' })
  readonly code?: number;

  @ApiPropertyOptional({ example: '550 5.1.1 No such user' })
  readonly reason?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When a bounce after acceptance was reported.' })
  readonly bouncedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When a spam complaint was reported.' })
  readonly complainedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the recipient first opened it (a reader loading the tracking pixel; machine opens are not opens). Tracked newsletters only.' })
  readonly openedAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the recipient first followed a tracked link of it. Tracked newsletters only.' })
  readonly clickedAt?: string;
}

export class SubscriberExportDto implements SubscriberExport {
  @ApiProperty({ example: 'ann@example.org' })
  readonly email!: string;

  @ApiProperty({ type: [ExportedListDto], description: "The caller's tenant's lists that hold the address (matched by mailbox, any case)." })
  readonly lists!: ExportedListDto[];

  @ApiProperty({ type: ExportedSuppressionDto })
  readonly suppression!: ExportedSuppressionDto;

  @ApiProperty({ type: [DeliveryOutcomeDto], description: "Recent delivery outcomes: the caller's tenant's newsletters sent to the address while the delivery ledger keeps them (30 days by default), newest first, at most 100. The ledger keeps the address as it was sent: found for the spelling asked for, its all-lower-case form, those the tenant's lists hold and those of its suppression entries (an unsubscribe or bounce records the address as sent); a send to a spelling known nowhere else (a local part in another case, sent inline, never suppressed) is not found." })
  readonly deliveries!: DeliveryOutcomeDto[];
}

class RemovedFromDto {
  @ApiProperty({ format: 'uuid' })
  readonly listId!: string;

  @ApiProperty({ example: 'Monthly readers' })
  readonly listName!: string;

  @ApiProperty({ description: 'Subscribers the list has left.', example: 99_989 })
  readonly subscribers!: number;
}

class ErasureSuppressionDto {
  @ApiProperty({ enum: ['erased'], description: "The tenant's suppression entry is now an erased one: no address, only its hash as the key; nothing is sent to it again." })
  readonly kept!: 'erased';

  @ApiProperty({ type: String, nullable: true, example: 'unsubscribed', description: "The reason of the tenant's entry it replaced; null when the address was not suppressed." })
  readonly replacedReason!: string | null;

  @ApiProperty({ description: 'The global list holds the address too (the operator\'s; not erased by a tenant).', example: false })
  readonly global!: boolean;
}

export class SubscriberErasureDto implements SubscriberErasure {
  @ApiProperty({ enum: [true] })
  readonly erased!: true;

  @ApiProperty({ type: [RemovedFromDto], description: 'The lists the address was removed from.' })
  readonly removedFrom!: RemovedFromDto[];

  @ApiProperty({ type: ErasureSuppressionDto })
  readonly suppression!: ErasureSuppressionDto;
}
