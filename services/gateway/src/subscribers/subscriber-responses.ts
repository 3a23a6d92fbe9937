import { ApiProperty } from '@nestjs/swagger';
import { SubscriberViewDto } from '../lists/list-lifecycle.dto';
import { SuppressionViewDto } from '../suppressions/suppression-responses';
import type { SubscriberErasure, SubscriberExport } from './subscribers.service';

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

export class SubscriberExportDto implements SubscriberExport {
  @ApiProperty({ example: 'ann@example.org' })
  readonly email!: string;

  @ApiProperty({ type: [ExportedListDto], description: "The caller's tenant's lists that hold the address (matched by mailbox, any case)." })
  readonly lists!: ExportedListDto[];

  @ApiProperty({ type: ExportedSuppressionDto })
  readonly suppression!: ExportedSuppressionDto;
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
