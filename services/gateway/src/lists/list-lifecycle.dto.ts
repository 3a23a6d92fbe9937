import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CreateListDto } from './create-list.dto';
import type { DeletedList, ListPage } from './lists.service';
import type { SubscriberPage, SubscriberView } from './list-subscribers.service';
import { ListViewDto } from './list-responses';

/** `?limit=&cursor=` of the paged list routes. */
export class CursorPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: '`next` of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** PATCH /v1/lists/{id}: the same rules as a new list's name. */
export class RenameListDto extends CreateListDto {}

export class UpdateSubscriberDto {
  @ApiPropertyOptional({ description: 'New name (one line, at most 256 characters); null or empty removes it.', example: 'Ann Berg', nullable: true, type: String })
  @IsOptional()
  @IsString()
  name?: string | null;

  @ApiPropertyOptional({
    description: 'Merge fields to set (text) or remove (null); fields not named are kept (JSON merge patch).',
    example: { city: 'Bergen', plan: null },
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  @IsOptional()
  @IsObject()
  vars?: Record<string, string | null>;
}

export class ListPageDto implements ListPage {
  @ApiProperty({ type: [ListViewDto], description: "The caller's tenant's lists, oldest first (ties by id)." })
  readonly items!: ListViewDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  readonly next!: string | null;
}

export class DeletedListDto implements DeletedList {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ example: 'Monthly readers' })
  readonly name!: string;

  @ApiProperty({ description: 'Subscribers the list held.', example: 99_990 })
  readonly subscribers!: number;

  @ApiProperty({ description: 'Stored parts removed (one per import that accepted someone).', example: 3 })
  readonly parts!: number;
}

export class SubscriberViewDto implements SubscriberView {
  @ApiProperty({ description: 'As imported (domain lower-cased, local part as written).', example: 'Ann@example.org' })
  readonly email!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ann' })
  readonly name!: string | null;

  @ApiProperty({ description: 'Merge fields (the import\'s other columns).', example: { city: 'Oslo' }, type: 'object', additionalProperties: { type: 'string' } })
  readonly vars!: Record<string, string>;
}

export class SubscriberPageDto implements SubscriberPage {
  @ApiProperty({ type: [SubscriberViewDto], description: 'In list order: imports oldest first, rows in the order imported.' })
  readonly items!: SubscriberViewDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  readonly next!: string | null;
}

export class RemovedSubscriberDto {
  @ApiProperty({ type: SubscriberViewDto, description: 'The subscriber as it was stored.' })
  readonly removed!: SubscriberViewDto;

  @ApiProperty({ description: "The list's subscribers now.", example: 99_989 })
  readonly subscribers!: number;
}
